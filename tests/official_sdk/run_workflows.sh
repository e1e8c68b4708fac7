#!/usr/bin/env bash
# Runs workflows.py (the official Python SDKs driving the emulator's LinkWAN and SMS
# workflows) against a freshly started standalone emulator.
#
#   bash tests/official_sdk/run_workflows.sh [workflows.py options, e.g. --only sms]
#
# 1. a virtualenv, ${OFFICIAL_SDK_VENV:-target/official-sdk-venv} (relative to the repository
#    root), created with ${PYTHON:-python3} unless it exists, then `pip install` of the pinned
#    SDK versions (a no-op, without network, when they are already there);
# 2. `cargo build --example emulator --features emulator`, then the emulator on a free
#    loopback port (`--listen 127.0.0.1:0`), waited for through GET /_emulator/health;
# 3. workflows.py against it, with the accounts and keys the emulator's banner prints.
#
# Exit status: workflows.py's (0 all steps passed, 1 a mismatch); 77 (skipped) when Python
# or its venv module is missing or pip cannot reach a package index; 1 when the emulator does
# not build or start. The emulator is stopped on exit, whatever happens. HTTP(S)_PROXY are
# cleared for the emulator and the workflows (everything goes to 127.0.0.1), not for pip.
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
export CARGO_INCREMENTAL=0
export PYTHONDONTWRITEBYTECODE=1

VENV=${OFFICIAL_SDK_VENV:-target/official-sdk-venv}
PYTHON=${PYTHON:-python3}
# The versions capture.py's docstring names (the wire fixtures were made with them).
PINS=(
    alibabacloud_dysmsapi20170525==4.6.0
    alibabacloud_tea_openapi==0.4.6
    darabonba-core==1.0.9
    alibabacloud-tea-util==0.3.15
    aliyun-python-sdk-core==2.16.1
    aliyun-python-sdk-linkwan==1.0.4
)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/official-sdk-workflows.XXXXXX") || exit 1
EMULATOR_PID=
cleanup() {
    if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill "$EMULATOR_PID" 2>/dev/null
        wait "$EMULATOR_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

skip() {
    echo "SKIPPED: $*" >&2
    exit 77
}

# 1. The SDKs ----------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    command -v "$PYTHON" >/dev/null 2>&1 || skip "no $PYTHON to create the virtualenv with (set PYTHON=...)"
    echo "creating the virtualenv $VENV"
    if ! "$PYTHON" -m venv "$VENV" >"$WORK/venv.log" 2>&1; then
        cat "$WORK/venv.log" >&2
        rm -rf "$VENV"
        skip "$PYTHON -m venv failed (on Debian: apt-get install python3-venv)"
    fi
fi
VPY="$VENV/bin/python"
echo "installing the pinned SDKs into $VENV: ${PINS[*]}"
if ! "$VPY" -m pip install --disable-pip-version-check "${PINS[@]}" >"$WORK/pip.log" 2>&1; then
    # Unreachable: connection errors, or no version at all of a package that exists on PyPI.
    # A pin the index does not have (other versions listed) is a real failure, not a skip.
    NETWORK='NewConnectionError|ConnectionError|ConnectTimeout|ReadTimeout|Max retries exceeded|Name or service not known|Temporary failure in name resolution|Network is unreachable|ProxyError|SSLError|from versions: none'
    if grep -qE "$NETWORK" "$WORK/pip.log"; then
        grep -E "$NETWORK" "$WORK/pip.log" | head -n 4 >&2
        skip "pip could not reach a package index to install the official SDKs (see above)"
    fi
    cat "$WORK/pip.log" >&2
    echo "pip install failed" >&2
    exit 1
fi
"$VPY" -m pip list --disable-pip-version-check 2>/dev/null \
    | grep -iE '^(alibabacloud|aliyun|darabonba)' | sed 's/^/  /'

# From here on everything talks to 127.0.0.1 only.
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy

# 2. The emulator --------------------------------------------------------------------------
echo "building the standalone emulator (cargo build --example emulator --features emulator)"
if ! cargo build --example emulator --features emulator --message-format=json-render-diagnostics \
    >"$WORK/build.json" 2>"$WORK/build.log"; then
    cat "$WORK/build.log" >&2
    echo "the emulator does not build" >&2
    exit 1
fi
EMULATOR=$("$VPY" - "$WORK/build.json" <<'PY'
import json, sys
exe = None
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        message = json.loads(line)
    except ValueError:
        continue
    if message.get("reason") == "compiler-artifact" and message.get("target", {}).get("name") == "emulator" \
            and message.get("executable"):
        exe = message["executable"]
print(exe or "")
PY
)
[ -n "$EMULATOR" ] && [ -x "$EMULATOR" ] || { echo "cannot find the built emulator in cargo's output" >&2; exit 1; }

"$EMULATOR" --listen 127.0.0.1:0 >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
EMULATOR_PID=$!
ADDRESS=
for _ in $(seq 1 100); do
    ADDRESS=$(sed -n 's/^alibaba-openapi emulator listening on \(.*\)$/\1/p' "$WORK/emulator.out" | head -n 1)
    # The banner ends with this line: the accounts are printed by then.
    [ -n "$ADDRESS" ] && grep -q '^Serving until interrupted' "$WORK/emulator.out" && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$ADDRESS" ] || ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
    cat "$WORK/emulator.out" "$WORK/emulator.err" >&2
    echo "the emulator did not start" >&2
    exit 1
fi
if ! "$VPY" - "http://$ADDRESS/_emulator/health" <<'PY'
import json, sys, time, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
for _ in range(50):
    try:
        with opener.open(sys.argv[1], timeout=2) as answer:
            if json.load(answer).get("status") == "ok":
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
PY
then
    cat "$WORK/emulator.err" >&2
    echo "the emulator at $ADDRESS does not answer GET /_emulator/health" >&2
    exit 1
fi
echo "emulator (pid $EMULATOR_PID) at http://$ADDRESS, healthy"

# The banner's account lines: "  owner   <aliyun id> <AccessKeyId>  <secret>", and the STS one.
account() { awk -v role="$1" '$1 == role && NF == 4 { print $2 ":" $3 ":" $4; exit }' "$WORK/emulator.out"; }
OWNER=$(account owner)
RENTER=$(account renter)
STS=$(account valid)
ARGS=(--endpoint "$ADDRESS")
[ -n "$OWNER" ] && ARGS+=(--owner "$OWNER")
[ -n "$RENTER" ] && ARGS+=(--renter "$RENTER")
[ -n "$STS" ] && ARGS+=(--sts "$STS")

# 3. The workflows -------------------------------------------------------------------------
echo
"$VPY" tests/official_sdk/workflows.py "${ARGS[@]}" "$@"
STATUS=$?
if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
    echo "the emulator died during the run:" >&2
    cat "$WORK/emulator.err" >&2
    [ "$STATUS" -eq 0 ] && STATUS=1
fi
exit "$STATUS"

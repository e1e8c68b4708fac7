#!/usr/bin/env bash
# The standalone emulator under load, at two commits in the same run: requests per second and
# resident memory (VmRSS) every CHUNK requests, up to REQUESTS requests each.
#
#   bash benches/emulator_load.sh                       # baseline e2af546 against HEAD
#   BASELINE=<commit> CANDIDATE=<commit> REQUESTS=200000 bash benches/emulator_load.sh
#   LOAD_TARGET_DIR=/tmp/load-target bash benches/emulator_load.sh   # keep the builds
#
# Builds examples/emulator in release at BASELINE and at CANDIDATE, and the load generator
# (examples/emulator_load.rs) at CANDIDATE: each commit checked out with `git worktree add`
# into a temporary folder just before it is built, into one temporary target folder, all
# removed at the end. (Cargo tells the two builds apart by the files' times: a checkout made
# after the previous build is always rebuilt, where this very checkout might not be.)
# Starts both emulators side by side on loopback and sends each REQUESTS signed requests over
# CONNECTIONS keep-alive connections, in turns of CHUNK requests (see emulator_load.rs). Not
# run in CI; on 2 cores, 1,000,000 requests each take a few minutes after the builds.
set -euo pipefail

BASELINE=${BASELINE:-e2af546}
CANDIDATE=${CANDIDATE:-HEAD}
REQUESTS=${REQUESTS:-1000000}
CHUNK=${CHUNK:-100000}
CONNECTIONS=${CONNECTIONS:-32}
export CARGO_INCREMENTAL=0

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/emulator-load.XXXXXX")
pids=()

cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for name in baseline candidate; do
        if [ -d "$work/$name" ]; then
            git -C "$root" worktree remove --force "$work/$name" 2>/dev/null || true
        fi
    done
    git -C "$root" worktree prune
    rm -rf "$work"
}
trap cleanup EXIT

# LOAD_TARGET_DIR: build there and keep it (for repeated runs; delete it yourself).
export CARGO_TARGET_DIR="${LOAD_TARGET_DIR:-$work/target}"
build() { # name commit examples...
    local name=$1 commit=$2
    shift 2
    git -C "$root" worktree add --quiet --detach "$work/$name" "$commit"
    echo "== building $* at $commit ($(git -C "$work/$name" rev-parse --short HEAD)) =="
    local examples=() example
    for example in "$@"; do examples+=(--example "$example"); done
    (cd "$work/$name" && cargo build --quiet --release --features emulator "${examples[@]}")
    cp "$CARGO_TARGET_DIR/release/examples/emulator" "$work/emulator-$name"
}
build baseline "$BASELINE" emulator
build candidate "$CANDIDATE" emulator emulator_load
cp "$CARGO_TARGET_DIR/release/examples/emulator_load" "$work/emulator_load"
# The builds are done: only the binaries are needed now.
[ -n "${LOAD_TARGET_DIR:-}" ] || rm -rf "$CARGO_TARGET_DIR"

start_emulator() { # name → sets addr_<name>, pid_<name>
    local name=$1 out="$work/$1.out"
    # Idle connections wait while the other emulator has its turn.
    "$work/emulator-$name" --listen 127.0.0.1:0 --idle-timeout 3600 >"$out" 2>&1 &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 100); do
        if grep -q '^alibaba-openapi emulator listening on ' "$out" 2>/dev/null; then break; fi
        sleep 0.1
    done
    local addr
    addr=$(sed -n 's/^alibaba-openapi emulator listening on //p' "$out" | head -n 1)
    [ -n "$addr" ] || { echo "the $name emulator did not start:"; cat "$out"; exit 1; }
    printf -v "addr_$name" '%s' "$addr"
    printf -v "pid_$name" '%s' "$pid"
}
start_emulator baseline
start_emulator candidate

echo "== $REQUESTS requests each, $CONNECTIONS connections, turns of $CHUNK; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) =="
"$work/emulator_load" \
    --target "baseline,$addr_baseline,$pid_baseline" \
    --target "candidate,$addr_candidate,$pid_candidate" \
    --requests "$REQUESTS" --chunk "$CHUNK" --connections "$CONNECTIONS"
echo "baseline $BASELINE ($(git -C "$root" rev-parse --short "$BASELINE")), candidate $CANDIDATE ($(git -C "$root" rev-parse --short "$CANDIDATE"))"

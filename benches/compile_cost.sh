#!/usr/bin/env bash
# Compile cost: the clean release build time of this crate next to a throwaway crate that
# depends only on reqwest (with the same TLS features as ours), serde_json and tokio, and the
# number of crates in each dependency tree. Ours is built three times: with default features
# (both products), with LinkWAN alone and with SMS alone. Every build is in a temporary target
# directory with the same cargo, one after the other, so the ratios come from one run.
#
#   bash benches/compile_cost.sh            # or ROUNDS=2 bash benches/compile_cost.sh
#
# Needs the dependencies in cargo's cache or the registry (the first run downloads them).
# Takes a few minutes on 2 cores. Leaves nothing behind (temporary directories are removed).
set -euo pipefail
cd "$(dirname "$0")/.."
crate_dir=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same reqwest requirement and features as ours under default features (rustls).
reqwest_line=$(grep -E '^reqwest *=' Cargo.toml)
serde_json_line=$(grep -E '^serde_json *=' Cargo.toml)
tokio_line=$(grep -E '^tokio *=' Cargo.toml | head -n 1)
mkdir -p "$work/bare/src"
cat > "$work/bare/Cargo.toml" <<TOML
[package]
name = "bare-reqwest"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$reqwest_line
$serde_json_line
$tokio_line

[features]
default = ["rustls"]
rustls = ["reqwest/rustls-tls"]

[workspace]
TOML
echo 'pub use reqwest; pub use serde_json; pub use tokio;' > "$work/bare/src/lib.rs"

# Resolve the bare crate against our lock file's versions where they overlap, so both build
# the same versions of the shared crates.
if [ -f "$crate_dir/Cargo.lock" ]; then
    cp "$crate_dir/Cargo.lock" "$work/bare/Cargo.lock"
fi

crates() { # the distinct crates of the normal dependency tree, the root included
    (cd "$1" && cargo tree -e normal --prefix none 2>/dev/null | sed 's/ (\*)$//' | sort -u | wc -l)
}

build() { # seconds of a clean release build; extra arguments select features
    local dir=$1 target=$2
    shift 2
    (cd "$dir" && cargo fetch -q >/dev/null 2>&1 || true)
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$target" cargo build --release -q "$@")
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

# The builds, by name: the arguments of `cargo build` for each.
declare -A features=(
    [bare]=""
    [default]=""
    [linkwan]="--no-default-features --features rustls,linkwan"
    [sms]="--no-default-features --features rustls,sms"
)
ours=(default linkwan sms)

# ROUNDS=2 builds bare, ours..., ours... (reversed), bare (ABBA) and adds up the times, which
# cancels most of the drift when other work shares the machine; the default, 1, builds each once.
rounds=${ROUNDS:-1}
declare -A total=([bare]=0 [default]=0 [linkwan]=0 [sms]=0)
for ((i = 1; i <= rounds; i++)); do
    if ((i % 2 == 1)); then
        order="bare ${ours[*]}"
    else
        order=""
        for ((j = ${#ours[@]} - 1; j >= 0; j--)); do order="$order ${ours[$j]}"; done
        order="$order bare"
    fi
    for which in $order; do
        rm -rf "$work/target-$which"
        if [ "$which" = bare ]; then
            echo "round $i: building the bare crate (reqwest + serde_json + tokio) ..."
            t=$(build "$work/bare" "$work/target-$which")
        else
            echo "round $i: building alibaba-openapi ($which) ..."
            # shellcheck disable=SC2086
            t=$(build "$crate_dir" "$work/target-$which" ${features[$which]})
        fi
        total[$which]=$(echo "${total[$which]} + $t" | bc)
        echo "  $t s"
    done
done
bare_s=$(echo "scale=1; ${total[bare]} / $rounds" | bc)
bare_n=$(crates "$work/bare")
ours_n=$(crates "$crate_dir")

printf '\nCompile cost (clean release build, mean of %s round(s); %s CPUs; %s):\n' "$rounds" "$(nproc)" "$(rustc --version)"
printf '  %-40s %8.1f s  %4d crates\n' "reqwest + serde_json + tokio (bare)" "$bare_s" "$bare_n"
for which in "${ours[@]}"; do
    s=$(echo "scale=1; ${total[$which]} / $rounds" | bc)
    ratio=$(echo "scale=2; x = $s / $bare_s; if (x < 1) print 0; x" | bc)
    if [ "$which" = default ]; then target=2.0; else target=1.5; fi
    printf '  %-40s %8.1f s  %6sx  target <= %sx  %s\n' "alibaba-openapi ($which)" "$s" "$ratio" "$target" \
        "$(if [ "$(echo "$ratio <= $target" | bc)" = 1 ]; then echo met; else echo MISSED; fi)"
done
printf '  %-40s %+8d (%d crates)\n' "extra crates (default features)" "$((ours_n - bare_n))" "$ours_n"

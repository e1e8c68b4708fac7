#!/usr/bin/env bash
# Compile cost: the clean release build time of this crate (default features) next to a
# throwaway crate that depends only on reqwest (with the same TLS features as ours) and
# serde_json, and the number of crates in each dependency tree. Both are built in temporary
# target directories with the same cargo, one after the other, so the ratio comes from one run.
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

[features]
default = ["rustls"]
rustls = ["reqwest/rustls-tls"]

[workspace]
TOML
echo 'pub use reqwest; pub use serde_json;' > "$work/bare/src/lib.rs"

# Resolve the bare crate against our lock file's versions where they overlap, so both build
# the same versions of the shared crates.
if [ -f "$crate_dir/Cargo.lock" ]; then
    cp "$crate_dir/Cargo.lock" "$work/bare/Cargo.lock"
fi

crates() { # the distinct crates of the normal dependency tree, the root included
    (cd "$1" && cargo tree -e normal --prefix none 2>/dev/null | sed 's/ (\*)$//' | sort -u | wc -l)
}

build() { # seconds of a clean release build, default features
    local dir=$1 target=$2
    (cd "$dir" && cargo fetch -q >/dev/null 2>&1 || true)
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$target" cargo build --release -q)
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

# ROUNDS=2 builds bare, ours, ours, bare (ABBA) and adds up the times, which cancels most of
# the drift when other work shares the machine; the default, 1, builds each once.
rounds=${ROUNDS:-1}
bare_s=0
ours_s=0
for ((i = 1; i <= rounds; i++)); do
    if ((i % 2 == 1)); then order="bare ours"; else order="ours bare"; fi
    for which in $order; do
        rm -rf "$work/target-$which"
        if [ "$which" = bare ]; then
            echo "round $i: building the bare crate (reqwest + serde_json) ..."
            t=$(build "$work/bare" "$work/target-bare")
            bare_s=$(echo "$bare_s + $t" | bc)
        else
            echo "round $i: building alibaba-openapi (default features) ..."
            t=$(build "$crate_dir" "$work/target-ours")
            ours_s=$(echo "$ours_s + $t" | bc)
        fi
        echo "  $t s"
    done
done
bare_s=$(echo "scale=1; $bare_s / $rounds" | bc)
ours_s=$(echo "scale=1; $ours_s / $rounds" | bc)
bare_n=$(crates "$work/bare")
ours_n=$(crates "$crate_dir")

printf '\nCompile cost (clean release build, default features, mean of %s round(s); %s CPUs; %s):\n' "$rounds" "$(nproc)" "$(rustc --version)"
printf '  %-40s %8.1f s  %4d crates\n' "reqwest + serde_json (bare)" "$bare_s" "$bare_n"
printf '  %-40s %8.1f s  %4d crates\n' "alibaba-openapi" "$ours_s" "$ours_n"
ratio=$(echo "scale=2; x = $ours_s / $bare_s; if (x < 1) print 0; x" | bc)
printf '  %-40s %8sx  target <= 1.3x  %s\n' "build time ratio" "$ratio" \
    "$(if [ "$(echo "$ratio <= 1.3" | bc)" = 1 ]; then echo met; else echo MISSED; fi)"
printf '  %-40s %+8d\n' "extra crates" "$((ours_n - bare_n))"

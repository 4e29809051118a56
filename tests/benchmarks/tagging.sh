#!/usr/bin/env bash
# What tagged PDF (PDF/UA-1 + PDF/A-2a, issue 15) costs on the example brief:
# this tree against BASE (default 58f3e7d, the last commit before tagging),
# both through tests/benchmarks/tagging.rs (one in-process build, after a
# warm-up). Budget: at most +10 % time and +4 KB.
#
#   tests/benchmarks/tagging.sh [BASE]
#
# Reports bytes, the median wall time of 200 builds (alternating the two
# binaries three times, best median kept: other load on a shared machine only
# ever adds), and, when valgrind is installed, instructions per build
# (callgrind, 11 builds minus 1), which that load cannot skew.
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-58f3e7d}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bench_exe() { # the tagging bench binary just built under target/
  ls -t target/release/deps/tagging-* | grep -v '\.d$' | head -1
}
# Both trees build into target/ under the same unit names, and cargo judges
# freshness by modification times: touch each tree's sources first.
find src tests/benchmarks -name '*.rs' -exec touch {} +
cargo bench --locked --bench tagging --no-run -q 2>/dev/null
cp "$(bench_exe)" "$work/tagged"
git archive "$base" | tar -x -C "$work" --one-top-level=base
cp tests/benchmarks/tagging.rs "$work/base/tests/benchmarks/"
grep -q 'name = "tagging"' "$work/base/Cargo.toml" || cat >>"$work/base/Cargo.toml" <<'EOF'

[[bench]]
name = "tagging"
path = "tests/benchmarks/tagging.rs"
harness = false
test = false
EOF
find "$work/base/src" "$work/base/tests/benchmarks" -name '*.rs' -exec touch {} +
(cd "$work/base" && CARGO_TARGET_DIR="$OLDPWD/target" cargo bench --locked --bench tagging --no-run -q 2>/dev/null)
cp "$(bench_exe)" "$work/base-bin"

field() { sed -E "s/.*: ([0-9.]+) ms.*, ([0-9]+) bytes/\\$1/"; }
best() { sort -n | head -1; }
b_ms=$(for _ in 1 2 3; do "$work/base-bin" | field 1; done | best)
t_ms=$(for _ in 1 2 3; do "$work/tagged" | field 1; done | best)
b_bytes=$("$work/base-bin" | field 2)
t_bytes=$("$work/tagged" | field 2)
printf "%-30s %14s %14s %10s\n" "example brief, in-process" "base $base" "tagged" "change"
awk -v b="$b_bytes" -v t="$t_bytes" 'BEGIN { printf "%-30s %14d %14d %+8d B\n", "bytes", b, t, t - b }'
awk -v b="$b_ms" -v t="$t_ms" 'BEGIN { printf "%-30s %12.3fms %12.3fms %+9.1f%%\n", "wall, median of 200", b, t, (t - b) * 100 / b }'
if command -v valgrind >/dev/null; then
  ir() {
    BRIEF_BENCH_RUNS=$2 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" 2>&1 |
      sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  }
  per() { echo $(( ($(ir "$1" 11) - $(ir "$1" 1)) / 10 )); }
  b_ir=$(per "$work/base-bin")
  t_ir=$(per "$work/tagged")
  awk -v b="$b_ir" -v t="$t_ir" 'BEGIN { printf "%-30s %13.1fM %13.1fM %+9.1f%%\n", "instructions per build", b / 1e6, t / 1e6, (t - b) * 100 / b }'
fi

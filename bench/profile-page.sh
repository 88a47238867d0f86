#!/usr/bin/env bash
# Where one page's time goes: the release server built with frame pointers (its own target
# directory, the flags differ from `make build`), `bench-pages --only TARGET` under
# `perf record -a -g`, and the samples of the server process in the shell's window and in the
# page's window sorted into phases by bench/profile_phases.py: server CPU per request, and how it
# splits between HTTP, rendering, our code, sqlx and the SQLite threads.
# Needs perf (Debian: linux-perf), root or perf_event_paranoid ≤ 1, and `make build` first.
# Usage: bench/profile-page.sh "My page" [SECONDS]     (a target name or part of it, as bench/pages.sh prints it)
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bench/profile-page.sh TARGET [SECONDS]}"
secs="${2:-15}"
command -v perf >/dev/null || { echo "perf is not installed (Debian package linux-perf)" >&2; exit 1; }
[ -d target/site/pkg ] || { echo "no target/site: run make build first" >&2; exit 1; }
export PATH="$HOME/.cargo/bin:$PATH"
out=target/profile
RUSTFLAGS="--cfg erase_components -C force-frame-pointers=yes" CARGO_TARGET_DIR="$out" \
  cargo build --quiet --package=server --bin=cybercenter --no-default-features --release
# the hashed file names of the site make build wrote
cp target/release/hash.txt "$out/release/hash.txt"
BENCH_PAGES_WINDOWS=1 perf record -q -F 499 -a -g -k boottime -o "$out/perf.data" -- \
  "$out/release/cybercenter" bench-pages --connections 32 --seconds "$secs" --rounds 1 --only "$name" \
  > "$out/bench.txt" 2> "$out/windows.txt"
cat "$out/bench.txt"
grep '^window ' "$out/windows.txt" | while read -r _ pid start end target; do
  rps=$(grep -F -- "$target" "$out/bench.txt" | head -1 | cut -c37- | awk '{print $1}')
  echo
  echo "== $target: $rps req/s"
  perf script -i "$out/perf.data" --time "$start,$end" -F comm,pid,tid,ip,sym 2>/dev/null \
    | python3 bench/profile_phases.py "$pid" "$rps" "$start" "$end" 499
done

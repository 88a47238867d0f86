#!/usr/bin/env bash
# Prints the size of the release WASM, JS and CSS as the browser gets them (the brotli and gzip
# files `make build` writes beside each, served by content negotiation) against the budget of
# DESIGN section 7 and the floor (a minimal Leptos counter, 52 KB gzip, measured for the
# foundation issue). Run after `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=target/site/pkg
one() { ls "$pkg"/cybercenter*."$1" 2>/dev/null | grep -v '\.d\.' | head -1; }
wasm=$(one wasm); js=$(one js); css=$(one css)
[ -n "$wasm" ] || { echo "no WASM under $pkg: run make build first" >&2; exit 1; }
size() { [ -f "$1" ] && stat -c %s "$1" || echo 0; }
budget=$((400 * 1024))
floor=$((52 * 1024))
printf "%-6s %10s %10s %10s   %s\n" file raw gzip brotli name
for f in "$wasm" "$js" "$css"; do
  printf "%-6s %8.1f KB %7.1f KB %7.1f KB   %s\n" "${f##*.}" "$(size "$f")e-3" "$(size "$f.gz")e-3" "$(size "$f.br")e-3" "$(basename "$f")" |
    awk '{ for (i = 2; i <= 6; i += 2) $i = sprintf("%.1f", $i * 1000 / 1024); print }'
done
gz=$(size "$wasm.gz"); br=$(size "$wasm.br")
awk -v gz="$gz" -v br="$br" -v budget="$budget" -v floor="$floor" 'BEGIN {
  printf "wasm as sent: %.1f KB gzip (%.2f x budget of 400 KB, %.2f x counter floor), %.1f KB brotli (%.2f x budget)\n",
    gz / 1024, gz / budget, gz / floor, br / 1024, br / budget
  printf "within budget: %s\n", (gz <= budget ? "yes" : "NO")
}'

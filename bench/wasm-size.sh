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
# with `--split`, each lazy island's chunks on top of the main WASM (shared chunks counted in
# every island that needs them; bench/first-load.sh gives what each page really downloads)
manifest=$(ls "$pkg"/__wasm_split_manifest.*.json 2>/dev/null | grep -v '\.gz$\|\.br$' | head -1 || true)
if [ -n "$manifest" ]; then
  python3 - "$manifest" "$pkg" "$gz" "$br" <<'PY'
import json, os, sys
manifest, pkg, main_gz, main_br = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
size = lambda p: os.path.getsize(p) if os.path.exists(p) else 0
print(f"{'lazy island':<22} {'chunks':>6} {'gzip':>9} {'brotli':>9} {'+ main, brotli':>15}")
for key, names in sorted(json.load(open(manifest)).items()):
    if '_loader_' not in key:
        continue
    gz = sum(size(f"{pkg}/{n}.wasm.gz") for n in names)
    br = sum(size(f"{pkg}/{n}.wasm.br") for n in names)
    print(f"{key.split('_loader_')[0]:<22} {len(names):>6} {gz / 1024:>6.1f} KB {br / 1024:>6.1f} KB {(br + main_br) / 1024:>12.1f} KB")
PY
fi

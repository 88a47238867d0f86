#!/usr/bin/env bash
# Prints the size of the release WASM (raw and gzip -9) against the budget of DESIGN section 7
# and against the floor (a minimal Leptos counter, 52 KB gzip, measured for the foundation issue).
# Run after `make build` (or `cargo leptos build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=target/site/pkg/cybercenter.wasm
[ -f "$wasm" ] || { echo "no $wasm: run make build first" >&2; exit 1; }
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
js=$(gzip -9 -c target/site/pkg/cybercenter.js | wc -c)
css=$(gzip -9 -c target/site/pkg/cybercenter.css | wc -c)
budget=$((400 * 1024))
floor=$((52 * 1024))
awk -v raw="$raw" -v gz="$gz" -v js="$js" -v css="$css" -v budget="$budget" -v floor="$floor" 'BEGIN {
  printf "wasm raw        %8.1f KB\n", raw / 1024
  printf "wasm gzip -9    %8.1f KB  (%.2f x budget of 400 KB, %.2f x counter floor)\n", gz / 1024, gz / budget, gz / floor
  printf "js gzip -9      %8.1f KB\n", js / 1024
  printf "css gzip -9     %8.1f KB\n", css / 1024
  printf "within budget: %s\n", (gz <= budget ? "yes" : "NO")
}'

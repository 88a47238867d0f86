#!/usr/bin/env bash
# First load of the public home, the FAQ search results, My page, the new-inquiry page, an inquiry thread, the live chat
# and the agent queue on an emulated slow phone (Chromium, DevTools protocol): TTFB, first
# contentful paint, interactive (every island hydrated) and the WASM each page downloads.
# Needs the release build (make build) and the e2e tools (make tools-test).
# Usage: bench/first-load.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/site/pkg ] || { echo "no target/site: run make build first" >&2; exit 1; }
node bench/first-load.mjs "${1:-3}"

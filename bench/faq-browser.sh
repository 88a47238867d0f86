#!/usr/bin/env bash
# Loading the FAQ pack of 1,000 templates in Chromium (decode + BM25 index in WASM), against the
# demo's own pack in the same run. Needs the release build (make build) and the e2e tools
# (make tools-test). Usage: bench/faq-browser.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
pack=$(mktemp --suffix=.pack)
trap 'rm -f "$pack"' EXIT
./target/release/cybercenter bench-faq --templates 1000 --phrasings 10 --queries 200 --pack-out "$pack" | tail -1
node bench/faq-browser.mjs "$pack" "${1:-5}"

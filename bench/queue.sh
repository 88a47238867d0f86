#!/usr/bin/env bash
# Agent queue query and "take next" with 100,000 inquiries in SQLite, against a trivial query
# measured in the same run. Usage: bench/queue.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p server --bin cybercenter -- bench-queue --inquiries "${1:-100000}"

#!/usr/bin/env bash
# Submission to automatic answer when the semantic FAQ worker decides (issue 20): the demo
# paraphrases filed open-loop at RATE inquiries a second for SECONDS, once with lexical matching
# alone (the baseline) and once with the worker; submission p50/p99, answered at once / by the
# worker (p50/p99/max from submission), precision of the answers, left to the agents.
# Then BURST seconds at full speed (32 clients) on the same server, with and without the worker.
# Usage: bench/semantic.sh [RATE] [SECONDS] [BURST]   (needs the model: bash scripts/install-tools.sh model)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p server --bin cybercenter
./target/release/cybercenter bench-semantic --rate "${1:-100}" --seconds "${2:-20}" --burst "${3:-5}"

#!/usr/bin/env bash
# Erlang C staffing for answers from 1 to 2,000 agents: time per call against one Erlang C
# evaluation (baseline, same run), and the reference cases recomputed. Usage: bench/staffing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p server --bin cybercenter -- bench-staffing

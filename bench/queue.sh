#!/usr/bin/env bash
# The agent queue as the backlog grows: 1,000,000 answered inquiries in SQLite and 3,000 /
# 30,000 / 100,000 waiting, the queue query, "take next", the queue page and its live refresh
# over HTTP, against SELECT 1 and /healthz measured in the same run.
# Usage: bench/queue.sh [INQUIRIES] [BACKLOG_STAGES]   e.g. bench/queue.sh 100000 3000,30000
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p server --bin cybercenter
./target/release/cybercenter bench-queue --inquiries "${1:-1000000}" --backlog "${2:-3000,30000,100000}"

#!/usr/bin/env bash
# Analytics and staffing reports with N inquiries over a year in SQLite (default 1,000,000),
# against a trivial query and a raw scan of the inquiries measured in the same run.
# Usage: bench/reports.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p server --bin cybercenter -- bench-reports --inquiries "${1:-1000000}"

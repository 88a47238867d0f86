#!/usr/bin/env bash
# Analytics and staffing reports with N inquiries over a year (default 1,000,000), against a
# trivial query and a raw scan of the inquiries measured in the same run, on SQLite (a temporary
# file) or PostgreSQL (a throwaway cluster, scripts/with-postgres.sh).
# Usage: bench/reports.sh [N] [sqlite|postgres|both]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
backend="${2:-sqlite}"
cargo build --release -q -p server --bin cybercenter
if [ "$backend" = sqlite ] || [ "$backend" = both ]; then
    echo "== SQLite"
    ./target/release/cybercenter bench-reports --inquiries "$n"
fi
if [ "$backend" = postgres ] || [ "$backend" = both ]; then
    echo "== PostgreSQL"
    PG_SETTINGS="-c synchronous_commit=off -c shared_buffers=256MB" scripts/with-postgres.sh bash -c '
        psql "$CYBERCENTER_TEST_PG" -qc "CREATE DATABASE bench" >/dev/null
        BENCH_DATABASE_URL="${CYBERCENTER_TEST_PG%/*}/bench" ./target/release/cybercenter bench-reports --inquiries "$1"' _ "$n"
fi

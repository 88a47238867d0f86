#!/usr/bin/env bash
# The same pages on SQLite and on PostgreSQL in one run (bench-pages, one release server each):
# requests/s, p50, p99 and the ratio to the shell (an unknown path, which touches no database)
# measured in the same round, so the two backends' ratios compare directly. PostgreSQL is a
# throwaway cluster (scripts/with-postgres.sh) with fsync on and synchronous_commit off: no
# corruption on a crash, the last commits may be lost — what SQLite's WAL with synchronous=NORMAL
# gives. Run after `make build`. Usage: bench/backends.sh [CONNECTIONS] [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/site/pkg ] || { echo "no target/site: run make build first" >&2; exit 1; }
args=(--connections "${1:-32}" --seconds "${2:-3}" --rounds "${3:-3}" --only "${ONLY:-My page,inquiries list,agent queue,inquiry submission}")
echo "== SQLite (temporary file)"
./target/release/cybercenter bench-pages "${args[@]}"
echo
echo "== PostgreSQL (throwaway cluster on 127.0.0.1)"
PG_SETTINGS="-c synchronous_commit=off -c shared_buffers=256MB" scripts/with-postgres.sh bash -c '
    psql "$CYBERCENTER_TEST_PG" -qc "CREATE DATABASE bench" >/dev/null
    BENCH_DATABASE_URL="${CYBERCENTER_TEST_PG%/*}/bench" ./target/release/cybercenter bench-pages "$@"' _ "${args[@]}"

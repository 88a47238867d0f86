#!/usr/bin/env bash
# One vs two servers on one PostgreSQL behind the same round-robin TCP proxy (in the bench's own
# process), in one run: bench-pages --servers 1, then --servers 2, each on a fresh database of the
# same throwaway cluster. On this 2-core machine the servers, PostgreSQL, the proxy and the load
# generator share the same two cores: expect no gain, only what a second server costs.
# Run after `make build`. Usage: bench/scale.sh [CONNECTIONS] [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/site/pkg ] || { echo "no target/site: run make build first" >&2; exit 1; }
args=(--connections "${1:-32}" --seconds "${2:-3}" --rounds "${3:-3}" --only "${ONLY:-My page,inquiries list,agent queue,inquiry submission}")
PG_SETTINGS="-c synchronous_commit=off -c shared_buffers=256MB" scripts/with-postgres.sh bash -c '
    for n in 1 2; do
        echo "== $n server(s) behind the proxy"
        psql "$CYBERCENTER_TEST_PG" -qc "CREATE DATABASE bench$n" >/dev/null
        BENCH_DATABASE_URL="${CYBERCENTER_TEST_PG%/*}/bench$n" ./target/release/cybercenter bench-pages --servers "$n" "$@"
        echo
    done' _ "${args[@]}"

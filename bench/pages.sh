#!/usr/bin/env bash
# What a page costs, signed in and not: a release server on a temporary database with the demo
# data, CONNECTIONS clients for SECONDS per target, every target once per round; the median over
# ROUNDS of requests/s, p50, p99 and the ratio to the shell (an unknown path) measured in the same
# round; the stylesheet with one client.
# Run after `make build`. Usage: bench/pages.sh [CONNECTIONS] [SECONDS] [ROUNDS]
# ONLY="My page,agent queue" bench/pages.sh: only those targets (and the shell), e.g. under perf.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/site/pkg ] || { echo "no target/site: run make build first" >&2; exit 1; }
./target/release/cybercenter bench-pages --connections "${1:-32}" --seconds "${2:-3}" --rounds "${3:-3}" ${ONLY:+--only "$ONLY"}

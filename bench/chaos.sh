#!/usr/bin/env bash
# Two servers on one PostgreSQL under chat load while things break (issue 19): 2,000 WebSockets
# spread over both (each chat's customer on one server, its agent on the other), 500 messages/s;
# server A is killed with SIGKILL a quarter into the run and started again a second later, and
# PostgreSQL is restarted at 60%. Prints sent, acknowledged, stored, delivered, lost (must be 0),
# duplicates and how long live updates took to come back after each event.
# PostgreSQL is a throwaway cluster with durable commits (fsync and synchronous_commit on): an
# acknowledged message must survive the restart.
# Usage: bench/chaos.sh [CONNECTIONS] [MESSAGES_PER_S] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p server --bin cybercenter
PG_SETTINGS="-c synchronous_commit=on" scripts/with-postgres.sh \
    ./target/release/cybercenter bench-chaos --connections "${1:-2000}" --rate "${2:-500}" --seconds "${3:-60}"

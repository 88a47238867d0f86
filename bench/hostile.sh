#!/usr/bin/env bash
# One unauthenticated client doing its worst against a release server on loopback (DESIGN 7,
# hostile load): REQUESTS registrations with a taken email and REQUESTS wrong-password logins,
# PARALLEL at a time from 250 source addresses, then IDLE connections that send half a request.
# Prints the answers by status, the server's peak RSS (target ≤ 200 MiB) and /healthz latency
# during each phase against idle /healthz measured in the same run.
# Usage: bench/hostile.sh [REQUESTS] [PARALLEL] [IDLE]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p server --bin cybercenter
./target/release/cybercenter bench-hostile --requests "${1:-500}" --parallel "${2:-250}" --idle "${3:-2000}"

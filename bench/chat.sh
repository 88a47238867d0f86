#!/usr/bin/env bash
# The chat server on loopback: N concurrent WebSocket connections (a customer and an agent per
# chat), then a message rate across the chats; prints connections held, messages sent, received
# and lost, fan-out latency p50/p99/max against a ping round trip measured in the same run, and
# the server's RSS. With KILL_AFTER, the server is killed (SIGKILL) that many seconds into the load
# and every acknowledged message is looked up in the database.
# Usage: bench/chat.sh [CONNECTIONS] [MESSAGES_PER_S] [SECONDS] [KILL_AFTER]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p server --bin cybercenter
./target/release/cybercenter bench-chat --connections "${1:-5000}" --rate "${2:-1000}" --seconds "${3:-10}" ${4:+--kill-after "$4"}

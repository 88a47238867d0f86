#!/usr/bin/env bash
# Server memory during a large upload: a release server with the demo data on a temporary
# database; a signed-in customer files an inquiry with one SIZE-MiB PDF (multipart, as the form
# sends it) ROUNDS times. The server's RSS is sampled every 10 ms from /proc. Prints the RSS at
# rest after a warm-up (a small upload and a page), the peak during the large uploads, the growth
# against the file's size (streamed to disk, the growth is a fixed set of buffers — tokio's file
# buffer, hyper's, the allocator's — the same for 20 and 60 MiB), and the upload rate against the small upload measured in the same run.
# Run after `make build` (CYBERCENTER_ATTACH_FILE_MB is raised to fit SIZE).
# Usage: bench/upload.sh [SIZE_MIB] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x target/release/cybercenter ] || { echo "no release build: run make build first" >&2; exit 1; }
size=${1:-20}
rounds=${2:-3}
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

LEPTOS_SITE_ADDR=127.0.0.1:$port DATABASE_URL="sqlite://$dir/bench.db" CYBERCENTER_DEMO_DATA=1 \
  CYBERCENTER_FILES_DIR="$dir/files" CYBERCENTER_OUTBOX_DIR="$dir/outbox" \
  CYBERCENTER_ATTACH_FILE_MB=$((size + 1)) CYBERCENTER_ATTACH_MESSAGE_MB=$((size + 1)) RUST_LOG=warn \
  ./target/release/cybercenter >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
jar="$dir/cookies"
curl -sf -c "$jar" -H "origin: $base" --data-urlencode email=customer1@example.com --data-urlencode password=cybercenter-demo \
  --data-urlencode next= "$base/api/login" >/dev/null

# the files: a PDF header, then bytes that compress to nothing but are still stored whole
small="$dir/small.pdf"; big="$dir/big.pdf"
{ printf '%%PDF-1.4\n'; head -c $((64 * 1024)) /dev/urandom; } >"$small"
{ printf '%%PDF-1.4\n'; head -c $((size * 1024 * 1024 - 9)) /dev/urandom; } >"$big"

upload() { # file, key → seconds
  local start end
  start=$(date +%s.%N)
  curl -sf -b "$jar" -H "origin: $base" -F type_code=returns -F order_no= -F subject="첨부 벤치" \
    -F body="큰 파일을 보냅니다" -F idempotency_key="$2" -F "files=@$1;type=application/pdf" \
    "$base/api/file_inquiry" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# warm-up: a small upload and a page (allocator arenas, the statements, the file store)
small_s=$(upload "$small" warm-1)
upload "$small" warm-2 >/dev/null
curl -sf -b "$jar" "$base/my/inquiries" >/dev/null
sleep 0.5
rest=$(rss_kib)

peak=$rest
total_s=0
for r in $(seq 1 "$rounds"); do
  upload "$big" "big-$r" >"$dir/secs" &
  up=$!
  while kill -0 "$up" 2>/dev/null; do
    now=$(rss_kib); [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.01
  done
  wait "$up"
  total_s=$(echo "$total_s + $(cat "$dir/secs")" | bc -l)
done
after=$(rss_kib)
stored=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM attachments WHERE size > 1048576" 2>/dev/null || echo "?")

growth=$((peak - rest))
file_kib=$((size * 1024))
printf 'upload of a %d MiB file, %d rounds (%s large attachments stored)\n' "$size" "$rounds" "$stored"
printf '  RSS at rest        %8.1f MiB\n' "$(echo "$rest / 1024" | bc -l)"
printf '  RSS peak           %8.1f MiB\n' "$(echo "$peak / 1024" | bc -l)"
printf '  RSS after          %8.1f MiB\n' "$(echo "$after / 1024" | bc -l)"
printf '  growth             %8.1f MiB = %.3f of the file (streamed: the growth is the same fixed buffers\n' "$(echo "$growth / 1024" | bc -l)" "$(echo "$growth / $file_kib" | bc -l)"
printf '                     whatever the size; compare bench/upload.sh 60 1)\n'
rate=$(echo "$size * $rounds / $total_s" | bc -l)
small_rate=$(echo "0.0625 / $small_s" | bc -l)
printf '  upload rate        %8.1f MiB/s (a 64 KiB upload: %.1f MiB/s, ratio %.1f)\n' "$rate" "$small_rate" "$(echo "$rate / $small_rate" | bc -l)"

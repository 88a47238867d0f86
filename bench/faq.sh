#!/usr/bin/env bash
# The FAQ matcher at 1,000 templates (10,000 training examples): training time, query time of
# the server's and the browser's model against feature extraction alone, and the size of the
# browser's download. Usage: bench/faq.sh [TEMPLATES] [PHRASINGS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p server --bin cybercenter -- bench-faq --templates "${1:-1000}" --phrasings "${2:-10}"

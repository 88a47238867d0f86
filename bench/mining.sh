#!/usr/bin/env bash
# Question mining (issue 20): how its grouping by meaning recovers the questions of labelled
# paraphrases (purity, share grouped, questions recovered, thresholds 0.84–0.94), and what it
# costs at production sizes: grouping 5,000 embeddings (all pairs) and one similar-inquiries
# scan over 50,000, on one thread.
# Usage: bench/mining.sh   (needs the model: bash scripts/install-tools.sh model; BANKING77 dev
# from ../shared/faq-eval when present)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${SHARED:-../shared}"
cargo build --release -q -p server --bin cybercenter
sets=(--eval eval/demo-faq-paraphrases.tsv+eval/demo-faq-paraphrases-ko2.tsv)
if [ -f "$SHARED/faq-eval/banking77-dev.tsv" ]; then sets+=(--eval "$SHARED/faq-eval/banking77-dev.tsv"); fi
./target/release/cybercenter eval-mining "${sets[@]}"

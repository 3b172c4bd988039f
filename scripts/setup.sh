#!/usr/bin/env bash
# Installs everything content-db needs to build, serve and test, each step skipped when already
# present. Only package registries are used (crates.io, PyPI, npm, Debian's apt): nothing here
# downloads a prebuilt tool from anywhere else, and Trunk is configured never to fetch its own.
#
# usage: bash scripts/setup.sh [--build-only]
#   --build-only   only what `trunk build` and `cargo build` need (no browser, no Python)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen version in Cargo.lock
TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc than this machine's
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true

# --- Debian packages ---------------------------------------------------------------------------
need_apt=()
command -v clang >/dev/null || need_apt+=(clang)
command -v llvm-ar >/dev/null || command -v llvm-ar-14 >/dev/null || need_apt+=(llvm)
if ! $build_only; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
  command -v sqlite3 >/dev/null || need_apt+=(sqlite3)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# --- Rust toolchain pieces ---------------------------------------------------------------------
# rust-toolchain.toml pins a release. When the machine's stable toolchain is that release, it is
# given the pinned name too (before anything runs cargo here), so rustup uses it instead of
# downloading the same release again; elsewhere rustup installs the pinned release itself.
pinned=$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)
toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
stable_version=$(RUSTUP_TOOLCHAIN=stable rustc --version 2>/dev/null | awk '{print $2}' || true)
host=$(RUSTUP_TOOLCHAIN=stable rustc -vV 2>/dev/null | sed -n 's/^host: //p' || true)
if [ -n "$host" ] && [ "$stable_version" = "$pinned" ] && [ ! -e "$toolchains/$pinned-$host" ]; then
  say "rustup: the stable toolchain is $pinned; naming it so for rust-toolchain.toml"
  ln -s "$toolchains/stable-$host" "$toolchains/$pinned-$host"
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Not --locked: its lock file pins a crate version the registry here lacks (docs/TOOLCHAIN.md).
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (about 8 minutes)"
  cargo install -q trunk --version "$TRUNK_VERSION" --locked --force
fi

# --- npm: wasm-opt (binaryen 132) and playwright-core, into ./node_modules ---------------------
if [ ! -x node_modules/.bin/wasm-opt ] || { ! $build_only && [ ! -d node_modules/playwright-core ]; } \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci (binaryen, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- Python venv with the oracle: real Alembic -------------------------------------------------
if ! $build_only; then
  if [ ! -x .venv/bin/alembic ] || ! cmp -s requirements-test.txt .venv/.requirements; then
    say "python venv .venv (alembic, sqlalchemy)"
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
    cp requirements-test.txt .venv/.requirements
  fi
fi

# Trunk's `cargo metadata` wants every platform's crates; fetch them once, online.
if [ ! -f target/.fetched ] || [ Cargo.lock -nt target/.fetched ]; then
  say "cargo fetch"
  cargo fetch -q
  mkdir -p target && touch target/.fetched
fi
say "ready"

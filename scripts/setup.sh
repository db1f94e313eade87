#!/usr/bin/env bash
# Installs the tools the build and the tests need, idempotently, from the registries this
# machine can reach (crates.io, npm, PyPI, Debian apt). Safe to run again: each step is skipped
# when the right version is already present.
#
#   bash scripts/setup.sh          # everything (scripts/test.sh runs this)
#   bash scripts/setup.sh build    # only what building the package needs (the demo runs this)
set -euo pipefail
mode="${1:-all}"
case "$mode" in all|build) ;; *) echo "usage: setup.sh [build]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools"
log() { printf '[setup] %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$tools/build/node_modules/.bin:$tools/node_modules/.bin:$PATH"

# npm tools from a committed manifest and lock file into a folder, skipped when unchanged.
npm_tools() { # <manifest> <lock> <folder>
  local dir="$3"
  if [ ! -f "$dir/node_modules/.install-ok" ] || ! cmp -s "$1" "$dir/package.json" || ! cmp -s "$2" "$dir/package-lock.json"; then
    log "installing npm tools into ${dir#$root/} (npm ci from the committed lock file)"
    mkdir -p "$dir"
    rm -f "$dir/node_modules/.install-ok"
    cp "$1" "$dir/package.json"
    cp "$2" "$dir/package-lock.json"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules/.install-ok"
  fi
}

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
# The browser build recompiles std with panics as plain traps (no panic formatting machinery):
# it needs the standard library's source, a rustup component like the target above.
if ! rustup component list --installed | grep -q '^rust-src'; then
  log "adding rust component rust-src"
  rustup component add rust-src
fi

# 2. wasm-bindgen-cli, exactly the version in Cargo.lock (no --locked: see toolchain.md).
want_bg=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$root/Cargo.lock")
have_bg=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_bg" != "$want_bg" ]; then
  log "installing wasm-bindgen-cli $want_bg (have: ${have_bg:-none})"
  cargo install --force wasm-bindgen-cli --version "$want_bg"
fi

# 3. The build's npm tools: wasm-opt (binaryen) and esbuild.
npm_tools "$root/scripts/build-tools-package.json" "$root/scripts/build-tools-package-lock.json" "$tools/build"
if [ "$mode" = build ]; then log "build tools ready"; exit 0; fi

# 4. wasm-pack (the wasm tests).
if ! command -v wasm-pack >/dev/null 2>&1; then
  log "installing wasm-pack"
  cargo install --locked wasm-pack
fi

# 5. Chromium and its driver, for browser tests.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  log "installing chromium and chromium-driver from apt"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 6. The tests' npm tools (typescript, esbuild, playwright-core, the AWS JS SDK and aws4fetch oracles).
npm_tools "$root/scripts/tools-package.json" "$root/scripts/tools-package-lock.json" "$tools"

# 7. Python oracle (botocore) in a virtual environment.
if [ ! -x "$tools/venv/bin/python" ] || ! "$tools/venv/bin/python" -c 'import botocore, sys; sys.exit(botocore.__version__ != "1.44.8")' 2>/dev/null; then
  log "installing botocore into .tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check 'botocore==1.44.8'
fi
# 8. The runtime matrix (tests/matrix/*/install.sh): other Node versions, Bun, Deno, wrangler and Miniflare,
# Next.js, @edge-runtime/vm, bundlers, Firefox ESR. Each is pinned by its own lock file and skipped when unchanged.
for matrix in "$root"/tests/matrix/*/install.sh; do
  bash "$matrix"
done
log "tools ready"

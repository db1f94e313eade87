#!/usr/bin/env bash
# Runs every test: lints, native core tests (incl. the SigV4 suites and botocore), the wasm boundary
# in Node and headless Chromium, and the packed npm package from Node, esbuild, tsc and Chromium.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"
export BOTOCORE_PYTHON="$root/.tools/venv/bin/python"
step() { printf '\n==> %s\n' "$*"; }

step "rustfmt + clippy (native and wasm32); no symlinks in the tree"
# A symlink committed from a worktree once replaced the tools folder with a link to itself.
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
  links=$(git ls-files -s | awk '$1 == "120000" { print $4 }')
  if [ -n "$links" ]; then echo "symlinks are committed: $links" >&2; exit 1; fi
fi
cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --all-features -- -D warnings

step "native core tests"
cargo test --quiet

step "build the npm package"
bash scripts/build.sh

# A local HTTP server for the wasm tests' real fetch (CORS on, 127.0.0.1 only).
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
node tests/js/support/echo-server.mjs "$work/echo-port" &
for _ in $(seq 50); do [ -s "$work/echo-port" ] && break; sleep 0.1; done
export CCE_ECHO_URL="http://127.0.0.1:$(cat "$work/echo-port")"
# The wasm test runner dislikes a parent package.json with "type": "module" (toolchain.md). No
# "type" at all (not "commonjs"): the runner require()s the crate's inline_js snippets, which are
# ES modules, and Node (20.19+) loads them only when it may detect the module syntax.
mkdir -p "$work/tmp" && echo '{}' > "$work/tmp/package.json"

step "browser builds: the shipped one (pkg/web) and the plain stable one build.sh falls back to"
node scripts/smoke-web.mjs pkg/web
cargo build --quiet --profile web --lib --target wasm32-unknown-unknown --features small-alloc,compact-sha
wasm-bindgen --target web --out-dir "$work/stable-web" --out-name connect_chat_events \
  target/wasm32-unknown-unknown/web/connect_chat_events.wasm
node scripts/smoke-web.mjs "$work/stable-web"

step "wasm boundary tests in Node"
TMPDIR="$work/tmp" wasm-pack test --mode no-install --node -- --test wasm
step "wasm boundary tests in headless Chromium"
TMPDIR="$work/tmp" WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --mode no-install --headless --chrome \
  --chromedriver /usr/bin/chromedriver -- --test wasm

step "packed package: install the npm pack tarball into an empty folder"
mkdir -p "$work/app"
echo '{"name":"app","private":true}' > "$work/app/package.json"
tgz=$(cd "$work" && npm pack "$root/pkg" --silent | tail -n 1)
(cd "$work/app" && npm install --no-audit --no-fund --silent "$work/$tgz")
export CCE_APP_DIR="$work/app"
# The tarball itself, for the runtime matrix (each runtime installs it its own way).
export CCE_PKG_TGZ="$work/$tgz"

step "Node tests of the packed package (Node, esbuild, tsc, Chromium, AWS SDK differential)"
mkdir -p artifacts
node --test --test-concurrency=2 tests/js/
echo
echo "all tests passed"

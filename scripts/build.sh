#!/usr/bin/env bash
# Builds the npm package into pkg/: one release wasm build, wasm-bindgen glue for Node (CommonJS,
# synchronous load) and for the web (ES module), wasm-opt -Oz, then the package files
# (package.json with an exports map per runtime, types, wrappers) from scripts/assemble-pkg.mjs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

cargo build --quiet --release --lib --target wasm32-unknown-unknown
raw=target/wasm32-unknown-unknown/release/connect_chat_events.wasm

rm -rf pkg
mkdir -p pkg/node pkg/web
wasm-bindgen --target nodejs --out-dir pkg/node --out-name connect_chat_events "$raw"
wasm-bindgen --target web --out-dir pkg/web --out-name connect_chat_events "$raw"

# The two glue flavours import the same wasm; optimize once (see toolchain.md for the features).
opt="$(command -v wasm-opt || true)"
if [ -n "$opt" ] && "$opt" --version | grep -q 'version 1[2-9][0-9]'; then
  "$opt" -Oz --converge --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
    pkg/web/connect_chat_events_bg.wasm -o pkg/web/connect_chat_events_bg.wasm
  wasm_opt_ran=1
else
  echo "[build] wasm-opt >= 120 not found (run scripts/setup.sh); shipping the unoptimized module" >&2
  wasm_opt_ran=0
fi
cp pkg/web/connect_chat_events_bg.wasm pkg/node/connect_chat_events_bg.wasm
WASM_OPT_RAN=$wasm_opt_ran node scripts/assemble-pkg.mjs

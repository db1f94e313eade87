#!/usr/bin/env bash
# Where does our time go? Builds an UNSTRIPPED copy of the release wasm (function names kept; same
# opt-level/LTO as the shipped build, then wasm-opt -Oz -g), runs a send loop under `node --cpu-prof`
# at each size and prints self time by category and the top functions. Does not touch pkg/ or target/.
#   bash bench/profile.sh [sizes="64 16384"] [seconds=5]
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
export PATH="$HOME/.cargo/bin:$root/.tools/build/node_modules/.bin:$root/.tools/node_modules/.bin:$PATH"
sizes=${1:-"64 16384"}
seconds=${2:-5}
target=${PROF_TARGET:-/tmp/prof-target}
out=${PROF_OUT:-/tmp/cce-prof}

cd "$root"
CARGO_PROFILE_RELEASE_STRIP=false cargo build --quiet --release --lib --target wasm32-unknown-unknown --target-dir "$target"
rm -rf "$out"; mkdir -p "$out/node"
wasm-bindgen --target nodejs --keep-debug --out-dir "$out/node" --out-name connect_chat_events \
  "$target/wasm32-unknown-unknown/release/connect_chat_events.wasm"
node "$root/scripts/snippets-cjs.mjs" "$out/node/snippets"
node "$root/scripts/glue-patch.mjs" "$out/node/connect_chat_events.js"
if command -v wasm-opt >/dev/null; then
  wasm-opt -Oz -g --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
    "$out/node/connect_chat_events_bg.wasm" -o "$out/node/connect_chat_events_bg.wasm"
fi
for size in $sizes; do
  echo "=== Content $size B"
  GLUE="$out/node/connect_chat_events.js" node --cpu-prof --cpu-prof-dir="$out/prof-$size" --cpu-prof-interval 50 \
    "$bench/profile/loop.cjs" "$size" "$seconds"
  node "$bench/profile/summarize.mjs" "$out"/prof-"$size"/*.cpuprofile 25
  echo "(glue line numbers refer to $out/node/connect_chat_events.js)"
done

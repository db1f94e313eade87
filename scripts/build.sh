#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm builds for Node (speed) and browsers (size: everything, and
# ConnectChatClient alone), wasm-bindgen glue for Node (CommonJS, synchronous load) and for the web
# (ES modules), wasm-opt -Oz, then the package files
# (package.json with an exports map per runtime, types, wrappers) from scripts/assemble-pkg.mjs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/.tools/node_modules/.bin:$PATH"

# Two builds of the same crate: Node gets the release profile (opt-level 2 for this crate: speed per
# request); browsers and workers (web/, inline/) get the `web` profile (opt-level z everywhere: the
# bytes a page downloads). Cargo.toml explains both.
cargo build --quiet --release --lib --target wasm32-unknown-unknown
# The web build uses the small allocator and SHA-256 (features small-alloc, compact-sha; see
# Cargo.toml) and recompiles std so that a panic is a bare trap: on wasm32-unknown-unknown std's
# panic hook has nowhere to print anyway, but linking it pulls in all of core::fmt. Needs rust-src
# (scripts/setup.sh) and the unstable -Zbuild-std, enabled on stable with RUSTC_BOOTSTRAP=1.
# -Zlocation-detail=none drops source paths and lines (no panic message can show them) and
# -Zfmt-debug=none the Debug impls (the library never formats with Debug outside its tests).
# Built twice: everything (web/, inline/), and only what ConnectChatClient needs (feature
# client-only: the `connect-chat-events/client` entry, client/). Both land in the same file, so
# wasm-bindgen runs right after each.
web_build() {
  RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    cargo build --quiet --profile web --lib --target wasm32-unknown-unknown \
    --features "small-alloc,compact-sha$1" -Zbuild-std=std,panic_abort --target-dir target/web-std
}
node_raw=target/wasm32-unknown-unknown/release/connect_chat_events.wasm
web_raw=target/web-std/wasm32-unknown-unknown/web/connect_chat_events.wasm

rm -rf pkg
mkdir -p pkg/node pkg/web pkg/client
wasm-bindgen --target nodejs --out-dir pkg/node --out-name connect_chat_events "$node_raw"
web_build ""
wasm-bindgen --target web --out-dir pkg/web --out-name connect_chat_events "$web_raw"
web_build ",client-only"
wasm-bindgen --target web --out-dir pkg/client --out-name connect_chat_events "$web_raw"

# wasm-opt from npm binaryen (see toolchain.md for the features list and why not Debian's).
opt="$(command -v wasm-opt || true)"
if [ -n "$opt" ] && "$opt" --version | grep -q 'version 1[2-9][0-9]'; then
  for f in pkg/node/connect_chat_events_bg.wasm pkg/web/connect_chat_events_bg.wasm pkg/client/connect_chat_events_bg.wasm; do
    # --low-memory-unused: nothing lives in the first 1 KiB (data starts at 1 MiB, the 1 MiB stack
    # grows down toward it and inputs are depth-limited); --zero-filled-memory: the
    # memory is the module's own, fresh; the stripped sections are metadata only (~0.3 KB each).
    "$opt" -Oz --converge --low-memory-unused --zero-filled-memory --strip-producers --strip-target-features \
      --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types "$f" -o "$f"
  done
  wasm_opt_ran=1
else
  echo "[build] wasm-opt >= 120 not found (run scripts/setup.sh); shipping the unoptimized module" >&2
  wasm_opt_ran=0
fi
WASM_OPT_RAN=$wasm_opt_ran node scripts/assemble-pkg.mjs

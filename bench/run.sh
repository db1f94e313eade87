#!/usr/bin/env bash
# One command for the issue-6 benchmarks: builds pkg/ if missing, installs the pinned comparison
# packages into bench/node_modules if missing (npm registry only), then prints the full report.
#   bash bench/run.sh [--quick] [--rounds 15] [--cold-rounds 15] [--memory-n 200000] [--only throughput,bundle,cold,memory,e2e]
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)

if [ ! -f "$root/pkg/package.json" ] || [ ! -f "$root/pkg/node/wasm.cjs" ]; then
  echo "[bench] pkg/ missing: building it (scripts/build.sh)" >&2
  bash "$root/scripts/build.sh"
fi

# Installed and at the pinned versions? (connect-chat-events is a link to ../pkg.)
if ! node -e '
  const fs = require("fs"), p = require(process.argv[1] + "/package.json");
  for (const [name, want] of Object.entries(p.dependencies)) {
    if (want.startsWith("file:")) { if (!fs.existsSync(process.argv[1] + "/node_modules/" + name + "/package.json")) process.exit(1); continue; }
    const got = JSON.parse(fs.readFileSync(process.argv[1] + "/node_modules/" + name + "/package.json", "utf8")).version;
    if (got !== want) process.exit(1);
  }' "$bench" 2>/dev/null; then
  echo "[bench] installing the pinned comparison packages into bench/node_modules (npm)" >&2
  cd "$bench"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error 1>&2; else npm install --no-audit --no-fund --loglevel=error 1>&2; fi
  cd "$root"
fi

exec node "$bench/run.mjs" "$@"

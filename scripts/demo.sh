#!/usr/bin/env bash
# The README's first command: builds what is needed, starts the local Amazon Connect endpoint
# (`connect-chat-events serve`, from the built package in pkg/), sends a sample SMS chat with ConnectChatClient
# (demo/send-sms.mjs), prints the results and where the admin console is, then stops the endpoint.
# No AWS account is needed: the endpoint accepts a documented local test key pair.
#
#   bash scripts/demo.sh            # run the demo and stop
#   bash scripts/demo.sh --keep     # keep the endpoint (and its console) running afterwards; Ctrl-C stops it
#   bash scripts/demo.sh --port N   # use port N (default 8787, or a free port when 8787 is taken)
#   bash scripts/demo.sh --relay    # the round trip instead: an SMS relay receives the chat's message stream
#                                   # (demo/relay-demo.mjs; scripts/demo-relay.sh is the same)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/.tools/build/node_modules/.bin:$PATH"
say() { printf '[demo] %s\n' "$*" >&2; }

keep=0
relay=0
port="${CCE_DEMO_PORT:-8787}"
port_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --relay) relay=1 ;;
    --port) port="${2:?--port needs a value}"; port_given=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) say "unknown option $1 (try --help)"; exit 2 ;;
  esac
  shift
done

if ! command -v node >/dev/null 2>&1 || ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)'; then
  say "Node.js 18 or later is needed (https://nodejs.org)"; exit 1
fi

# 1. Build pkg/ when it is missing or older than its sources.
needs_build=0
if [ ! -f pkg/package.json ] || [ ! -f pkg/bin/connect-chat-events.mjs ] || [ ! -f pkg/node/index.mjs ]; then
  needs_build=1
elif [ -n "$(find src js www Cargo.toml Cargo.lock scripts/build.sh scripts/assemble-pkg.mjs -newer pkg/package.json -print -quit 2>/dev/null)" ]; then
  needs_build=1
fi
if [ "$needs_build" = 1 ]; then
  if ! command -v cargo >/dev/null 2>&1; then
    say "Rust is needed to build the package: install it with rustup (https://rustup.rs), then run this again"; exit 1
  fi
  want_bg=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
  have_bg=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have_bg" != "$want_bg" ] || ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
     || [ ! -f .tools/build/node_modules/.install-ok ]; then
    say "installing the build tools (scripts/setup.sh build; the first run takes a few minutes)"
    bash scripts/setup.sh build
  fi
  say "building the package into pkg/ (scripts/build.sh)"
  bash scripts/build.sh
fi

# The round trip: demo/relay-demo.mjs starts the relay and the endpoint (with --streaming-endpoint) itself.
if [ "$relay" = 1 ]; then
  args=()
  [ "$keep" = 1 ] && args+=(--keep)
  [ "$port_given" = 1 ] && args+=(--port "$port")
  exec node demo/relay-demo.mjs ${args[@]+"${args[@]}"}
fi

# 2. Start the endpoint from pkg/, on 8787 or, if that is taken, on a free port.
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'if [ "$keep" = 1 ]; then exit 0; else exit 130; fi' INT  # Ctrl-C is how --keep ends
trap 'exit 143' TERM

start() {
  node pkg/bin/connect-chat-events.mjs serve --port "$1" >"$work/serve.out" 2>"$work/serve.log" &
  pid=$!
  for _ in $(seq 150); do
    if grep -q '^listening on ' "$work/serve.out" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null && rc=0 || rc=$?
      pid=""
      return "$rc"
    fi
    sleep 0.1
  done
  say "the endpoint did not start within 15 s:"; cat "$work/serve.out" "$work/serve.log" >&2; return 1
}
rc=0
start "$port" || rc=$?
if [ "$rc" != 0 ]; then
  if [ "$rc" = 3 ] && [ "$port_given" = 0 ]; then
    say "port $port is taken; using a free port"
    start 0 || { cat "$work/serve.log" >&2; exit 1; }
  else
    cat "$work/serve.log" >&2; exit 1
  fi
fi
url=$(sed -n 's/^listening on //p' "$work/serve.out" | head -n 1)
sed -n '1,/^Press Ctrl-C/p' "$work/serve.out" | grep -v '^Press Ctrl-C' | sed 's/^/  | /'
echo

# 3. The demo itself.
CCE_DEMO_KEEP=$keep node demo/send-sms.mjs "$url"

if [ "$keep" = 1 ]; then
  echo
  echo "The endpoint keeps running at $url (console: $url/). Press Ctrl-C to stop it. Its log:"
  tail -n +1 -f --pid="$pid" "$work/serve.log" &
  wait "$pid" || true
fi

#!/usr/bin/env bash
# The round trip of a channel integration in one command: builds pkg/ when needed, then runs demo/relay-demo.mjs —
# an SMS relay subscribed to the chat's message stream (`serve --streaming-endpoint`), the customer texting in,
# the agent answering and ending the chat, and the relay printing what it would text back.
#
#   bash scripts/demo-relay.sh          # run it and stop
#   bash scripts/demo-relay.sh --keep   # keep the endpoint and the relay running (answer in the console)
exec bash "$(dirname "$0")/demo.sh" --relay "$@"

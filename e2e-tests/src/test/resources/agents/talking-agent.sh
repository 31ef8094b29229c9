#!/usr/bin/env bash
# For the console's browser test: the recording agent, each step taking a moment (so that the
# list shows the cycle executing) and answered at length (so that each step keeps a transcript).
set -euo pipefail
AGENT_DELAY_SECONDS=0.7 bash "$(dirname "$0")/recording-agent.sh"
for i in $(seq 1 40); do
  echo "line $i of step ${AGENTOS_STEP_ID:-?}: edited the cart, ran its tests, they pass."
done

#!/usr/bin/env bash
# A stand-in CLI agent for tests: reads the prompt on stdin, records each call (start and end)
# in .agent-calls.log in the workspace, leaves a file per step, and answers with a summary.
# AGENT_DELAY_SECONDS makes each step take that long (for kill tests).
set -euo pipefail
prompt=$(cat)
log=.agent-calls.log
echo "${AGENTOS_CYCLE_ID:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?} start" >> "$log"
if [ -n "${AGENT_DELAY_SECONDS:-}" ]; then
  sleep "$AGENT_DELAY_SECONDS"
fi
mkdir -p work
printf '%s\n' "step ${AGENTOS_STEP_ID:-?} done" > "work/step-${AGENTOS_STEP_ID:-x}.txt"
echo "${AGENTOS_CYCLE_ID:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?} done" >> "$log"
echo "Completed step ${AGENTOS_STEP_ID:-?} (prompt of ${#prompt} characters)."

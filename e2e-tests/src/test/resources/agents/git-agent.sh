#!/usr/bin/env bash
# A stand-in CLI agent for git workspace tests. Its call log ($1) lies outside the workspace: a
# workspace is a per-process checkout, and what an interrupted step leaves in it is discarded.
# While the file $2 exists, each step first sleeps for the seconds it holds (for kill tests).
set -euo pipefail
log=$1
delay_file=$2
prompt=$(cat)
echo "${AGENTOS_CYCLE_ID:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?} start" >> "$log"
if [ -f "$delay_file" ]; then
  sleep "$(cat "$delay_file")"
fi
mkdir -p work
printf '%s\n' "step ${AGENTOS_STEP_ID:-?} done" > "work/step-${AGENTOS_STEP_ID:-x}.txt"
echo "${AGENTOS_CYCLE_ID:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?} done" >> "$log"
echo "Completed step ${AGENTOS_STEP_ID:-?} (prompt of ${#prompt} characters)."

#!/usr/bin/env bash
# A CLI agent for step-graph tests: step 1 always fails (exit 1 with a reason), every other step is
# done by the recording agent (which logs each call in .agent-calls.log).
if [ "${AGENTOS_STEP_ID:-}" = "1" ]; then
  cat > /dev/null
  echo "${AGENTOS_CYCLE_ID:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?} failed" >> .agent-calls.log
  echo "compile error: model.py line 1" >&2
  exit 1
fi
exec bash "$(dirname "$0")/recording-agent.sh"

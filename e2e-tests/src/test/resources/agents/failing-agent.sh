#!/usr/bin/env bash
# A CLI agent that never gets step 1 done: it exits non-zero with a reason on stderr. Every other
# step is done by the recording agent (which logs each call in .agent-calls.log).
if [ "${AGENTOS_STEP_ID:-}" != "1" ]; then
  exec bash "$(dirname "$0")/recording-agent.sh"
fi
cat > /dev/null
echo "${AGENTOS_CYCLE_ID:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?} failed" >> .agent-calls.log
echo "compile error: cart.py line 3: name 'Cart' is not defined" >&2
exit 1

#!/usr/bin/env bash
# A CLI agent that runs but never gets its task done: it exits non-zero with a reason on stderr.
cat > /dev/null
echo "${AGENTOS_CYCLE_ID:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?} failed" >> .agent-calls.log
echo "compile error: cart.py line 3: name 'Cart' is not defined" >&2
exit 1

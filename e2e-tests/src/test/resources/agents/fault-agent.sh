#!/usr/bin/env bash
# A stand-in CLI agent for fault tests: fault-agent.sh [mode] [seconds]
#   ok    (default) sleeps <seconds>, leaves work/step-<id>.txt and answers with a summary
#   fail  always exits 1 with a reason on stderr (a step the agent cannot do)
#   crash SIGKILLs the service that started it (a step that takes its worker down every time)
#   big   like ok, but answers with about 1 MB of transcript
#   hold  like ok, but only the first attempt of a step sleeps <seconds>; later ones are quick
# Every call appends "<cycle> <step> <attempt> start|done <epoch-ms> retry=<yes|no>" to
# .agent-calls.log in the workspace; retry=yes when the prompt says the step is a retry.
set -euo pipefail
mode=${1:-ok}
seconds=${2:-${AGENT_DELAY_SECONDS:-0}}
prompt=$(cat)
log=.agent-calls.log
retry=no
case "$prompt" in *"This is a retry"*) retry=yes ;; esac
line() { echo "${AGENTOS_CYCLE_ID:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?} $1 $(date +%s%3N) retry=$retry" >> "$log"; }
line start
# The agent's pid, for tests that check it was killed: .agent-pids/<cycle>-<step>-<attempt>.
mkdir -p .agent-pids
echo $$ > ".agent-pids/${AGENTOS_CYCLE_ID:-x}-${AGENTOS_STEP_ID:-x}-${AGENTOS_ATTEMPT:-x}"
case "$mode" in
  fail)
    echo "the agent cannot do step ${AGENTOS_STEP_ID:-?}: it always fails" >&2
    exit 1 ;;
  crash)
    # The service runs agents in a session of their own behind a small sh: walk up to its JVM.
    service=$PPID
    while [ "$service" -gt 1 ] && [ "$(cat "/proc/$service/comm")" != java ]; do
      service=$(awk '{print $4}' "/proc/$service/stat")
    done
    kill -9 "$service"
    exit 1 ;;
esac
if [ "$mode" = hold ] && [ "${AGENTOS_ATTEMPT:-1}" != 1 ]; then
  seconds=0.3
fi
sleep "$seconds"
mkdir -p work
printf '%s\n' "step ${AGENTOS_STEP_ID:-?} done" > "work/step-${AGENTOS_STEP_ID:-x}.txt"
if [ "$mode" = big ]; then
  # 1 MiB of transcript: 16384 lines of 64 bytes.
  yes 'transcript line of a very talkative agent, padded to 64 bytes...' | head -n 16384 || true
fi
line done
echo "Completed step ${AGENTOS_STEP_ID:-?} attempt ${AGENTOS_ATTEMPT:-?}."

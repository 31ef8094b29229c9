#!/bin/sh
# The bench's stand-in CLI agent (the workspace is its working directory):
#   bench-agent.sh instant           answers with one line at once (the prompt stays unread)
#   bench-agent.sh sleep <seconds>   answers after <seconds>
#   bench-agent.sh record <seconds>  like sleep, and appends "<cycle> <step> <attempt> start|done
#                                    <epoch-ms>" to .agent-calls.log, to count re-runs after a crash
#   bench-agent.sh big               answers with a 1 MiB transcript
# Every mode leaves .bench/step-<id>.txt: Review passes only steps that changed a file.
case "${1:-instant}" in
  instant)
    ;;
  sleep)
    sleep "$2"
    ;;
  record)
    echo "$AGENTOS_CYCLE_ID $AGENTOS_STEP_ID $AGENTOS_ATTEMPT start $(date +%s%3N)" >> .agent-calls.log
    sleep "$2"
    echo "$AGENTOS_CYCLE_ID $AGENTOS_STEP_ID $AGENTOS_ATTEMPT done $(date +%s%3N)" >> .agent-calls.log
    ;;
  big)
    # 16384 lines of 64 bytes.
    yes 'transcript line of a very talkative agent, padded to 64 bytes...' | head -n 16384
    ;;
  *)
    echo "unknown mode $1" >&2
    exit 2
    ;;
esac
mkdir -p .bench
echo "attempt $AGENTOS_ATTEMPT" > ".bench/step-$AGENTOS_STEP_ID.txt"
echo "Completed step $AGENTOS_STEP_ID attempt $AGENTOS_ATTEMPT."

#!/usr/bin/env bash
# A stand-in CLI agent for parallel steps. Its call log ($1) lies outside the workspace and gets
# "<epoch ms> <cycle> <step> <attempt> start|done"; each prompt is kept in $2/<cycle>-<step>-<n>.txt.
# While the file $3 exists, each step first sleeps for the seconds it holds. The step writes
# work/step-<id>.txt; a step whose id is listed in the file $4 also writes shared.txt: a new file
# of one line, or one more line when the file is there (what another step merged before it), so
# two such steps side by side conflict and a re-run on top of the other's merge does not. A step
# whose id is listed in the file $5 waits (up to 60 s) until every step listed there has started:
# those steps then run at the same time only if Agent OS started them side by side.
set -euo pipefail
log=$1
prompts=$2
delay_file=$3
shared_steps=$4
together=$5
prompt=$(cat)
step=${AGENTOS_STEP_ID:-x}
key="${AGENTOS_CYCLE_ID:-?}-$step"
n=1
while [ -e "$prompts/$key-$n.txt" ]; do n=$((n + 1)); done
printf '%s' "$prompt" > "$prompts/$key-$n.txt"
echo "$(date +%s%3N) ${AGENTOS_CYCLE_ID:-?} $step ${AGENTOS_ATTEMPT:-?} start" >> "$log"
if [ -f "$together" ] && grep -qw -- "$step" "$together"; then
  want=$(wc -w < "$together")
  for _ in $(seq 1 1200); do
    have=$(awk -v c="${AGENTOS_CYCLE_ID:-?}" -v list="$(cat "$together")" \
      'BEGIN { n = split(list, a, " "); for (i = 1; i <= n; i++) s[a[i]] = 1 }
       $2 == c && $5 == "start" && ($3 in s) { seen[$3] = 1 }
       END { k = 0; for (x in seen) k++; print k }' "$log")
    [ "$have" -ge "$want" ] && break
    sleep 0.05
  done
fi
if [ -f "$delay_file" ]; then
  sleep "$(cat "$delay_file")"
fi
mkdir -p work
printf '%s\n' "step $step done" > "work/step-$step.txt"
if [ -f "$shared_steps" ] && grep -qw -- "$step" "$shared_steps"; then
  if [ -f shared.txt ]; then
    printf '%s\n' "step $step" >> shared.txt
  else
    printf '%s\n' "step $step" > shared.txt
  fi
fi
echo "$(date +%s%3N) ${AGENTOS_CYCLE_ID:-?} $step ${AGENTOS_ATTEMPT:-?} done" >> "$log"
echo "Completed step $step."

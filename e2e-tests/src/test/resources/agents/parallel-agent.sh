#!/usr/bin/env bash
# A stand-in CLI agent for parallel steps. Its call log ($1) lies outside the workspace and gets
# "<epoch ms> <cycle> <step> <attempt> start|done"; each prompt is kept in $2/<cycle>-<step>-<n>.txt.
# While the file $3 exists, each step first sleeps for the seconds it holds. The step writes
# work/step-<id>.txt; a step whose id is listed in the file $4 also writes shared.txt: a new file
# of one line, or one more line when the file is there (what another step merged before it), so
# two such steps side by side conflict and a re-run on top of the other's merge does not.
set -euo pipefail
log=$1
prompts=$2
delay_file=$3
shared_steps=$4
prompt=$(cat)
step=${AGENTOS_STEP_ID:-x}
key="${AGENTOS_CYCLE_ID:-?}-$step"
n=1
while [ -e "$prompts/$key-$n.txt" ]; do n=$((n + 1)); done
printf '%s' "$prompt" > "$prompts/$key-$n.txt"
echo "$(date +%s%3N) ${AGENTOS_CYCLE_ID:-?} $step ${AGENTOS_ATTEMPT:-?} start" >> "$log"
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

#!/usr/bin/env bash
# The example command agent of Agent OS: a stand-in for `claude -p`, `codex exec` or
# `aider --message` that needs no model, for the demo and for trying things out.
#
# It reads the step's prompt on stdin (as every command agent does), appends what it was asked
# to NOTES.md in the workspace (its working directory), and prints a one-line summary, which
# becomes the step's summary in the cycle state. Quick, deterministic, and harmless: it writes
# nothing but NOTES.md.
#
#   AGENTOS_CYCLE_ID, AGENTOS_STEP_ID, AGENTOS_ATTEMPT, AGENTOS_ROLE  set by the executor
#
# Use it for every cycle of a service:  AGENTOS_AGENTS_EXECUTOR_COMMAND="bash examples/agents/demo-agent.sh"
set -euo pipefail

prompt=$(cat)
step="${AGENTOS_STEP_ID:-?}"

# The step's title is the first non-empty line under "## Step" in the prompt.
title=$(printf '%s\n' "$prompt" | awk '/^## Step/{found=1; next} found && NF {print; exit}')
title=${title:-"(no title)"}
# Its sub-tasks are the checkbox lines of the prompt.
subtasks=$(printf '%s\n' "$prompt" | grep -E '^[[:space:]]*- \[ \]' || true)

{
  printf '## Step %s: %s\n\n' "$step" "$title"
  printf 'Cycle %s, attempt %s.\n\n' "${AGENTOS_CYCLE_ID:-?}" "${AGENTOS_ATTEMPT:-1}"
  if [ -n "$subtasks" ]; then
    printf 'Sub-tasks looked at:\n%s\n\n' "$subtasks"
  fi
} >> NOTES.md

count=$(printf '%s\n' "$subtasks" | grep -c -- '- \[ \]' || true)
echo "Noted step $step ($title) with $count sub-task(s) in NOTES.md; a real agent would change the code here."

#!/usr/bin/env bash
# A stand-in CLI agent for the layout tests: keeps each prompt it is given in
# .agent-prompts/<step>.txt in the workspace (to check what reached the agent) and answers.
set -euo pipefail
prompt=$(cat)
mkdir -p .agent-prompts
printf '%s\n' "$prompt" > ".agent-prompts/step-${AGENTOS_STEP_ID:-x}.txt"
echo "Completed step ${AGENTOS_STEP_ID:-?}."

#!/usr/bin/env bash
# A stand-in CLI agent for the layout tests: keeps each prompt it is given in
# .agent-prompts/<step>.txt in the workspace (to check what reached the agent) and answers. A step
# that names files of the spec folder (create-spec, create-tasks) gets each of them written: a task
# list that parses in every layout for tasks.md and plan.md, a heading for any other document.
set -euo pipefail
prompt=$(cat)
mkdir -p .agent-prompts
printf '%s\n' "$prompt" > ".agent-prompts/step-${AGENTOS_STEP_ID:-x}.txt"
if [ -n "${AGENTOS_SPEC:-}" ]; then
  step=$(printf '%s\n' "$prompt" | sed -n '/^## Step$/,/^## /p')
  for file in $(printf '%s\n' "$step" | grep -oE "${AGENTOS_SPEC}/[A-Za-z0-9_./-]+\.md" | sort -u); do
    mkdir -p "$(dirname "$file")"
    case "$(basename "$file")" in
      tasks.md) printf '# Tasks\n\n- [ ] 1. Do the work\n' > "$file" ;;
      plan.md) printf '# Plan\n\n## Task 1: Do the work\n\n- Change it\n' > "$file" ;;
      *) printf '# %s\n' "$(basename "$file" .md)" > "$file" ;;
    esac
  done
fi
echo "Completed step ${AGENTOS_STEP_ID:-?}."

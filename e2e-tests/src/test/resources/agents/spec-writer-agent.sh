#!/usr/bin/env bash
# A stand-in CLI agent for the Agent OS instructions: it writes what each kind of step asks for.
# AGENTOS_SPEC names the spec folder. BAD_TASKS_FIRST=1 makes the first tasks.md unparsable, to
# show Review sending the cycle round again; a "Fix:" step then writes a good one.
set -euo pipefail
prompt=$(cat)
spec="${AGENTOS_SPEC:-.agent-os/specs/unnamed}"
echo "${AGENTOS_INSTRUCTION:-?} ${AGENTOS_STEP_ID:-?} ${AGENTOS_ATTEMPT:-?}" >> .agent-calls.log

good_tasks() {
  mkdir -p "$spec"
  printf '# Spec Tasks\n\n- [ ] 1. Build the cart\n  - [ ] 1.1 Write tests for the cart\n  - [ ] 1.2 Implement the cart\n- [ ] 2. Show the cart\n  - [ ] 2.1 Render the items\n' > "$spec/tasks.md"
}

step=$(printf '%s\n' "$prompt" | sed -n '/^## Step$/{n;p;q}')
case "$step" in
  "Write the spec")
    mkdir -p "$spec"
    printf '# Spec\n\nA cart that keeps items.\n' > "$spec/spec.md"
    printf 'A cart that keeps items across sessions.\n' > "$spec/spec-lite.md" ;;
  "Write the technical spec")
    mkdir -p "$spec/sub-specs"
    printf '# Technical spec\n\nStore the cart in a dict.\n' > "$spec/sub-specs/technical-spec.md" ;;
  "Write the tasks")
    if [ "${BAD_TASKS_FIRST:-}" = 1 ]; then
      printf 'TODO: think about tasks later\n' > "$spec/tasks.md"
    else
      good_tasks
    fi ;;
  Fix:*)
    good_tasks ;;
  *)
    mkdir -p src
    printf '%s\n' "$step" >> src/work.txt ;;
esac
echo "Done: $step"

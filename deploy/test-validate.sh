#!/usr/bin/env bash
# Tests deploy/validate.sh: it must pass on the real tree, and fail, naming the problem, on a
# copy of deploy/ with one thing broken (a string containerPort, maxReplicaCount "ten", a
# probe typo, a missing ScaledObject, a role borrowing another's NATS user, a planner allowed
# to publish review work or to pull every role's MaxDeliver advisories, a dashboard query on a
# metric no service exports, the console connecting as admin, ...). CI runs
# `bash deploy/test-validate.sh`.
#
# The copies share the real tree's tool cache (deploy/.tools or AGENTOS_DEPLOY_TOOLS), so
# only the first run installs anything.
set -uo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export AGENTOS_DEPLOY_TOOLS="${AGENTOS_DEPLOY_TOOLS:-$DEPLOY/.tools}"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
passed=0
failed=0

pass() {
  passed=$((passed + 1))
  echo "  ok    $1"
}
fail() {
  failed=$((failed + 1))
  echo "  FAIL  $1"
  [[ -f "${2:-}" ]] && sed 's/^/        | /' "$2" | tail -25
}

echo "== validate.sh on the real tree"
if bash "$DEPLOY/validate.sh" >"$SCRATCH/real.log" 2>&1; then
  pass "passes: $(tail -1 "$SCRATCH/real.log")"
else
  fail "validate.sh fails on the real tree" "$SCRATCH/real.log"
fi

# broken <name> <text validate.sh must print> <command that breaks the copy, run inside it>
broken() {
  local name="$1" expect="$2"
  shift 2
  local copy="$SCRATCH/$name"
  mkdir -p "$copy"
  (cd "$DEPLOY" && tar --exclude=./.tools --exclude=./node_modules -cf - .) | tar -xf - -C "$copy"
  if ! (cd "$copy" && "$@") >"$copy.edit.log" 2>&1; then
    fail "$name: the edit failed" "$copy.edit.log"
    return
  fi
  if diff -rq --exclude=.tools --exclude=node_modules "$DEPLOY" "$copy" >/dev/null; then
    fail "$name: the edit changed nothing (did the file change?)"
    return
  fi
  bash "$copy/validate.sh" >"$copy.log" 2>&1
  local rc=$?
  if [[ $rc == 1 ]] && grep -qF -- "$expect" "$copy.log"; then
    pass "$name: validate.sh exits 1 and says '$expect'"
  else
    fail "$name: expected exit 1 and '$expect', got exit $rc" "$copy.log"
  fi
}

echo "== validate.sh on broken copies"
broken string-containerport "containerPort must be integer" \
  sed -i 's/containerPort: 8080/containerPort: "8080"/' base/executor-service.yaml
broken scaledobject-max-ten "maxReplicaCount must be integer" \
  sed -i '0,/maxReplicaCount: 10/s//maxReplicaCount: "ten"/' overlays/prod/scaledobjects.yaml
broken probe-typo "livenesProbe is not a field" \
  sed -i 's/livenessProbe:/livenesProbe:/' base/review-service.yaml
broken missing-scaledobjects "exactly 4 ScaledObjects" \
  sed -i '/^---$/,$d' overlays/prod/scaledobjects.yaml
broken keda-wrong-account "reads the NATS account of permissions.conf" \
  sed -i 's/account: AGENTOS/account: "$G"/' overlays/prod/scaledobjects.yaml
broken shared-nats-user "every role has its own NATS user" \
  sed -i 's/^\( *\)value: executor$/\1value: planner/' base/executor-service.yaml
broken writable-root-fs "has a read-only root file system" \
  sed -i 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' base/planner-service.yaml
broken short-grace-period "terminationGracePeriodSeconds covers" \
  sed -i 's/terminationGracePeriodSeconds: 45/terminationGracePeriodSeconds: 20/' base/express-service.yaml
broken dev-nats-replicas "dev: AGENTOS_NATS_REPLICAS is 1" \
  sed -i 's/AGENTOS_NATS_REPLICAS=1/AGENTOS_NATS_REPLICAS=3/' overlays/dev/kustomization.yaml
broken invalid-yaml "FAILED: yamllint" \
  sed -i 's/^  - workspaces-pvc.yaml$/  - workspaces-pvc.yaml\n    oops: [/' base/kustomization.yaml
broken planner-publishes-review "FAIL  cannot publish work to agentos.work.review" \
  sh -c "sed -i '0,/\"agentos.work.execute\",/s//\"agentos.work.review\",/' nats/permissions.conf &&
    bash validate.sh --sync"
broken no-history-writes "FAIL  records and lists cycle history" \
  sh -c "sed -i '/\"\\\$KV.agentos-history.>\",/d' nats/permissions.conf && bash validate.sh --sync"
broken no-advisory-settling "FAIL  settles its own MaxDeliver advisory" \
  sh -c 'sed -i "/STREAM.MSG.DELETE.AGENTOS_WORK\",/d" nats/permissions.conf && bash validate.sh --sync'
broken no-advisories-stream "FAIL  creates or finds every stream" \
  sh -c 'sed -i "/STREAM.CREATE.AGENTOS_ADVISORIES\",/d" nats/permissions.conf && bash validate.sh --sync'
broken planner-pulls-all-advisories "FAIL  cannot pull another role's advisories" \
  sh -c 'sed -i "s/MSG.NEXT.AGENTOS_ADVISORIES.planner-max-deliveries\"/MSG.NEXT.AGENTOS_ADVISORIES.*\"/" nats/permissions.conf &&
    bash validate.sh --sync'
broken team-b-imports-team-a "FAIL  team B's reaches them as agentos.team.teamb.api.status" \
  sh -c "sed -i 's/subject: \"agentos.team.teamb.api.>\"/subject: \"agentos.team.teama.api.>\"/' nats/permissions.conf &&
    bash validate.sh --sync"
broken team-sees-all-events "FAIL  team B sees only its cycles' events" \
  sh -c "sed -i 's/{stream: {account: AGENTOS, subject: \"agentos.events.\*.\*.teamb\"}}/{stream: {account: AGENTOS, subject: \"agentos.events.*.*.*\"}}/' nats/permissions.conf &&
    bash validate.sh --sync"
broken values-out-of-sync "carries deploy/nats/permissions.conf" \
  sh -c 'echo "# an edit not copied into values.yaml" >> nats/permissions.conf'
broken permissions-syntax "FAILED: nats-server -t" \
  sed -i '/^}$/d' nats/permissions.conf
broken prod-keeps-shared-pvc "prod: has no PersistentVolumeClaim" \
  sed -i '/\$patch: delete/d' overlays/prod/kustomization.yaml
broken prod-git-cache-on-pvc "mounts no PersistentVolumeClaim (git workspaces need no shared volume)" \
  sed -i 's/^    emptyDir:$/    persistentVolumeClaim:/; s/^      sizeLimit: 20Gi$/      claimName: agentos-workspaces/' \
  overlays/prod/git-workspaces.yaml
broken projects-not-required "AGENTOS_PROJECTS_REQUIRED is true" \
  sed -i 's/AGENTOS_PROJECTS_REQUIRED=true/AGENTOS_PROJECTS_REQUIRED=false/' base/kustomization.yaml

broken dashboard-unknown-metric "names a metric the services do not export: agentos_queue_size" \
  sed -i 's/max by (role) (agentos_queue_depth)/max by (role) (agentos_queue_size)/' grafana/agentos-dashboard.json
broken dashboard-invalid-json "grafana/agentos-dashboard.json is not valid JSON" \
  sed -i '0,/"uid": "agentos-overview",/s//"uid": "agentos-overview",,/' grafana/agentos-dashboard.json
broken dashboard-unlabelled 'has the Grafana dashboard ConfigMap labelled grafana_dashboard: "1"' \
  sed -i 's/grafana_dashboard: "1"/grafana_dashboard: "0"/' grafana/kustomization.yaml
broken console-as-admin "takes its NATS user and password from Secret agentos-console-nats" \
  sed -i '0,/key: user$/s//key: admin-user/' base/console.yaml
broken console-user-in-manifest "takes its NATS user and password from Secret agentos-console-nats" \
  sed -i '0,/- name: AGENTOS_NATS_USER$/s//- name: AGENTOS_NATS_USER\n              value: admin/' base/console.yaml

echo "test-validate.sh: ${SECONDS}s"
echo "$passed passed, $failed failed"
((failed == 0))

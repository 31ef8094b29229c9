// Offline checks of the rendered Agent OS manifests and the NATS Helm values.
//
//   node validate.mjs --deploy <deploy dir> --rendered <dir with one <overlay>.yaml per overlay>
//   node validate.mjs --deploy <deploy dir> --sync-nats-values   (validate.sh --sync)
//
// 1. every YAML file under deploy/ parses;
// 2. every rendered object validates against its Kubernetes / KEDA schema (kubernetes-models)
//    and has no unknown fields;
// 3. the rules Agent OS relies on hold (probes, security context, shutdown, per-role NATS users,
//    4 Deployments, 4 ScaledObjects in prod on the right consumers, NATS values that match
//    deploy/nats/permissions.conf), the web console's (the team's NATS user, no agent key);
// 4. the Grafana dashboard is valid JSON in a ConfigMap labelled grafana_dashboard: "1", and
//    every query names only metrics of grafana/exported-metrics.txt.
// Prints one line per failure and "N passed, M failed"; exits 1 on any failure.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import { unknownFields } from "./strict-fields.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const MODULES = join(HERE, "node_modules");
const ROLES = ["planner", "executor", "express", "review"];
const EXPECTED_NATS_REPLICAS = { dev: "1", prod: "3" };
const AUTH_FILE_KEY = "agentos-auth.conf";
const CONSOLE = "console";
// The Secret that names the web console's NATS user (a team's, or the operator's client) and
// holds its password.
const CONSOLE_SECRET = "agentos-console-nats";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const DEPLOY = opt("--deploy") ?? dirname(HERE);
const RENDERED = opt("--rendered");
const METRICS_LIST = join(DEPLOY, "grafana", "exported-metrics.txt");

let passed = 0;
const failures = [];
function check(what, ok, detail = "") {
  if (ok) passed++;
  else failures.push(detail ? `${what}: ${detail}` : what);
  return ok;
}

// ---------------------------------------------------------------- NATS values sync
const valuesPath = join(DEPLOY, "nats", "values.yaml");
const permissionsPath = join(DEPLOY, "nats", "permissions.conf");

function syncNatsValues() {
  const lines = readFileSync(valuesPath, "utf8").split("\n");
  const start = lines.findIndex((l) => l.trimEnd() === `      ${AUTH_FILE_KEY}: |`);
  if (start < 0) throw new Error(`no '      ${AUTH_FILE_KEY}: |' line in ${valuesPath}`);
  let end = start + 1;
  while (end < lines.length && (lines[end] === "" || lines[end].startsWith("        "))) end++;
  while (end > start + 1 && lines[end - 1] === "") end--; // keep the blank line after the block
  const conf = readFileSync(permissionsPath, "utf8").replace(/\n$/, "").split("\n");
  const block = conf.map((l) => (l === "" ? "" : `        ${l}`));
  writeFileSync(valuesPath, [...lines.slice(0, start + 1), ...block, ...lines.slice(end)].join("\n"));
  console.log(`rewrote the ${AUTH_FILE_KEY} copy in ${relative(process.cwd(), valuesPath)}`);
}

if (args.includes("--sync-nats-values")) {
  syncNatsValues();
  process.exit(0);
}

// ---------------------------------------------------------------- 1. YAML parses
function yamlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === ".tools" || name === "node_modules") return [];
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(name) ? [p] : [];
  });
}

const sources = {};
for (const file of yamlFiles(DEPLOY)) {
  try {
    sources[relative(DEPLOY, file)] = yaml.loadAll(readFileSync(file, "utf8"));
    check("yaml", true);
  } catch (e) {
    check(`${relative(DEPLOY, file)} is not valid YAML`, false, e.message.split("\n")[0]);
  }
}

// ---------------------------------------------------------------- NATS permissions facts
const permissionsText = readFileSync(permissionsPath, "utf8");
const uncommented = permissionsText.replace(/#[^\n]*/g, "");
const natsUsers = [...uncommented.matchAll(/user:\s*"?([\w-]+)"?/g)].map((m) => m[1]);
const restrictedUsers = new Set(
  [...uncommented.matchAll(/user:\s*"?([\w-]+)"?\s*\n?\s*password:[^\n]*\n\s*permissions:/g)].map((m) => m[1]),
);
const jsAccounts = [...uncommented.matchAll(/^ {2}([A-Za-z_][\w-]*)\s*\{\s*\n\s*jetstream:\s*(?:enabled|\{)/gm)].map((m) => m[1]);
const passwordVars = [...new Set([...uncommented.matchAll(/\$(AGENTOS_NATS_\w+)/g)].map((m) => m[1]))];

check("permissions.conf defines one JetStream account", jsAccounts.length === 1, `found ${jsAccounts}`);
for (const role of ROLES) {
  check(`permissions.conf has a restricted NATS user '${role}'`, restrictedUsers.has(role),
    `users: ${natsUsers.join(", ")}`);
}

// ---------------------------------------------------------------- NATS Helm values
const values = sources["nats/values.yaml"]?.[0];
const devValues = sources["nats/values-dev.yaml"]?.[0];
if (check("nats/values.yaml parses", values != null)) {
  const embedded = values.configMap?.merge?.data?.[AUTH_FILE_KEY];
  check(`nats/values.yaml carries deploy/nats/permissions.conf as ${AUTH_FILE_KEY}`,
    embedded === permissionsText,
    "the copy differs; run `bash deploy/validate.sh --sync` to copy the file into values.yaml");
  const includes = Object.entries(values.config?.merge ?? {}).filter(([k]) => k.endsWith("$include"));
  check(`nats/values.yaml includes ${AUTH_FILE_KEY} into nats.conf`,
    includes.some(([, v]) => v === AUTH_FILE_KEY), JSON.stringify(includes));
  check("nats/values.yaml: cluster of at least 3 servers",
    values.config?.cluster?.enabled === true && (values.config.cluster.replicas ?? 0) >= 3);
  check("nats/values.yaml: JetStream enabled with a file store", values.config?.jetstream?.enabled === true &&
    values.config.jetstream.fileStore?.enabled !== false);
  check("nats/values.yaml: monitoring enabled", values.config?.monitor?.enabled === true);
  check("nats/values.yaml: monitoring port exposed on the client Service (KEDA)",
    values.service?.ports?.monitor?.enabled === true);
  const env = values.container?.env ?? {};
  for (const v of passwordVars) {
    check(`nats/values.yaml: container env ${v} comes from a Secret`,
      env[v]?.valueFrom?.secretKeyRef?.name != null && env[v]?.valueFrom?.secretKeyRef?.key != null);
  }
}
if (check("nats/values-dev.yaml parses", devValues != null)) {
  check("nats/values-dev.yaml: a single server", devValues.config?.cluster?.enabled === false);
}

// ---------------------------------------------------------------- 2 + 3. rendered overlays
const MODEL_PACKAGES = { "keda.sh": "@kubernetes-models/keda/keda.sh" };

async function schemaErrors(doc) {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
  const base = MODEL_PACKAGES[group] ?? (group ? `kubernetes-models/${group}` : "kubernetes-models");
  const modelPath = `${base}/${version}/${doc.kind}`;
  const dts = join(MODULES, `${modelPath}.d.ts`);
  if (!existsSync(dts)) return [`no schema for ${doc.apiVersion} ${doc.kind}; add its package to deploy/package.json`];
  const mod = await import(modelPath);
  const Model = mod[doc.kind] ?? mod.default;
  const errors = [];
  try {
    new Model(doc).validate();
  } catch (e) {
    errors.push(...String(e.message).split("\n").map((l) => l.trim()).filter(Boolean));
  }
  errors.push(...unknownFields(doc, dts, MODULES));
  return errors;
}

const seconds = (d) => {
  const m = /^(\d+)(ms|s|m)?$/.exec(String(d ?? "").trim());
  if (!m) return NaN;
  return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60 }[m[2] ?? "s"]);
};
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v) && Object.keys(selector ?? {}).length > 0;

function checkOverlay(overlay, docs) {
  const at = (what) => `${overlay}: ${what}`;
  const of = (kind) => docs.filter((d) => d.kind === kind);
  // The web console is checked on its own below; every other Deployment is a role's.
  const consoles = of("Deployment").filter((d) => d.metadata.name === CONSOLE);
  const deployments = of("Deployment").filter((d) => d.metadata.name !== CONSOLE);
  const configMaps = of("ConfigMap");
  const scaledObjects = of("ScaledObject");
  const names = deployments.map((d) => d.metadata.name).sort();
  check(at("exactly 4 Deployments, one per role"),
    JSON.stringify(names) === JSON.stringify(ROLES.map((r) => `${r}-service`).sort()), names.join(", "));

  const config = configMaps.find((c) => c.metadata.name.startsWith("agentos-config"));
  if (!check(at("has the agentos-config ConfigMap"), config != null)) return;
  const cfg = config.data ?? {};
  check(at("QUARKUS_HTTP_PORT is 8080"), cfg.QUARKUS_HTTP_PORT === "8080");
  const servers = String(cfg.AGENTOS_NATS_SERVERS ?? "").split(",").filter(Boolean);
  check(at("AGENTOS_NATS_SERVERS lists nats:// URLs"),
    servers.length > 0 && servers.every((s) => /^(nats|tls):\/\/[\w.-]+:\d+$/.test(s)), cfg.AGENTOS_NATS_SERVERS);
  if (EXPECTED_NATS_REPLICAS[overlay]) {
    check(at(`AGENTOS_NATS_REPLICAS is ${EXPECTED_NATS_REPLICAS[overlay]}`),
      cfg.AGENTOS_NATS_REPLICAS === EXPECTED_NATS_REPLICAS[overlay], `got ${cfg.AGENTOS_NATS_REPLICAS}`);
  }
  check(at("AGENTOS_PROJECTS_REQUIRED is true: a submit for an unregistered project is refused"),
    cfg.AGENTOS_PROJECTS_REQUIRED === "true", `got ${cfg.AGENTOS_PROJECTS_REQUIRED}`);
  const drain = seconds(cfg.AGENTOS_WORKER_DRAIN_TIMEOUT ?? "20s");

  const users = [];
  for (const d of deployments) {
    const name = d.metadata.name;
    const role = name.replace(/-service$/, "");
    const dep = (what) => at(`${name} ${what}`);
    const pod = d.spec.template;
    const spec = pod.spec ?? {};
    const c = spec.containers?.[0] ?? {};
    check(dep("selector matches its pod labels"), matches(d.spec.selector?.matchLabels, pod.metadata?.labels));
    check(dep(`image is agentos/${name} with a tag`),
      new RegExp(`(^|/)agentos/${name}(:[\\w.-]+|@sha256:[0-9a-f]+)$`).test(c.image ?? ""), c.image);
    const http = (c.ports ?? []).find((p) => p.name === "http");
    check(dep("exposes containerPort 8080 as 'http'"), http?.containerPort === 8080);
    const probe = (p, path) => p?.httpGet?.path === path && ["http", 8080].includes(p?.httpGet?.port);
    check(dep("startupProbe on /q/health/started"), probe(c.startupProbe, "/q/health/started"));
    check(dep("livenessProbe on /q/health/live"), probe(c.livenessProbe, "/q/health/live"));
    check(dep("readinessProbe on /q/health/ready"), probe(c.readinessProbe, "/q/health/ready"));
    check(dep("has cpu/memory requests and a memory limit"),
      c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory);
    check(dep("runs as non-root"), spec.securityContext?.runAsNonRoot === true || c.securityContext?.runAsNonRoot === true);
    check(dep("has a read-only root file system"), c.securityContext?.readOnlyRootFilesystem === true);
    check(dep("cannot escalate privileges and drops all capabilities"),
      c.securityContext?.allowPrivilegeEscalation === false && (c.securityContext?.capabilities?.drop ?? []).includes("ALL"));
    const vol = (mountPath) => {
      const m = (c.volumeMounts ?? []).find((v) => v.mountPath === mountPath);
      return m && (spec.volumes ?? []).find((v) => v.name === m.name);
    };
    check(dep("mounts an emptyDir at /tmp"), vol("/tmp")?.emptyDir != null);
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
    if (overlay === "prod") {
      // Git workspaces: nothing shared between pods; the git cache is the pod's own.
      const claims = (spec.volumes ?? []).filter((v) => v.persistentVolumeClaim);
      check(dep("mounts no PersistentVolumeClaim (git workspaces need no shared volume)"),
        claims.length === 0, claims.map((v) => v.name).join(", "));
      const cache = cfg.AGENTOS_WORKSPACE_GIT_CACHE_DIR ?? "";
      const cacheVol = (c.volumeMounts ?? [])
        .filter((m) => cache === m.mountPath || cache.startsWith(m.mountPath + "/"))
        .map((m) => (spec.volumes ?? []).find((v) => v.name === m.name))[0];
      check(dep(`keeps its git cache (${cache}) in an emptyDir of its own`), cache !== "" && cacheVol?.emptyDir != null);
      check(dep("takes the git token from Secret agentos-git"),
        env.AGENTOS_WORKSPACE_GIT_TOKEN?.valueFrom?.secretKeyRef?.name === "agentos-git");
    } else {
      const root = cfg.AGENTOS_WORKSPACE_ROOT;
      const ws = root && vol(root);
      check(dep(`mounts the workspaces PVC at AGENTOS_WORKSPACE_ROOT (${root})`),
        ws?.persistentVolumeClaim && of("PersistentVolumeClaim").some((p) => p.metadata.name === ws.persistentVolumeClaim.claimName));
    }
    check(dep(`terminationGracePeriodSeconds covers the ${drain}s drain plus NATS drain`),
      (spec.terminationGracePeriodSeconds ?? 30) >= drain + 10, `${spec.terminationGracePeriodSeconds}`);
    check(dep("reads agentos-config"), (c.envFrom ?? []).some((e) => e.configMapRef?.name === config.metadata.name));
    const user = env.AGENTOS_NATS_USER?.value;
    users.push(user);
    check(dep(`connects to NATS as its own user '${role}'`), user === role, `AGENTOS_NATS_USER=${user}`);
    check(dep(`takes its NATS password from Secret agentos-nats-${role}`),
      env.AGENTOS_NATS_PASSWORD?.valueFrom?.secretKeyRef?.name === `agentos-nats-${role}`);
    check(dep("its NATS user is a restricted user in permissions.conf"), restrictedUsers.has(user));

    const services = of("Service").filter((s) => matches(s.spec?.selector, pod.metadata?.labels));
    check(dep("has a Service for health and metrics"), services.length === 1 &&
      services[0].spec.ports.some((p) => ["http", 8080].includes(p.targetPort)));
    check(dep("has a PodDisruptionBudget"),
      of("PodDisruptionBudget").filter((p) => matches(p.spec?.selector?.matchLabels, pod.metadata?.labels)).length === 1);
  }
  check(at("every role has its own NATS user"), new Set(users).size === users.length && users.length === 4, users.join(","));

  if (check(at("has exactly one web console Deployment"), consoles.length === 1, `found ${consoles.length}`)) {
    checkConsole(at, consoles[0], of);
  }
  checkDashboards(at, configMaps);

  if (overlay === "dev") {
    check(at("no autoscaling"), scaledObjects.length === 0);
    check(at("one replica per role"), deployments.every((d) => d.spec.replicas === 1));
  }
  if (overlay === "prod") {
    check(at("has no PersistentVolumeClaim"), of("PersistentVolumeClaim").length === 0,
      of("PersistentVolumeClaim").map((p) => p.metadata.name).join(", "));
    check(at("allows git remotes (AGENTOS_WORKSPACE_GIT_ALLOWED_REMOTES)"),
      String(cfg.AGENTOS_WORKSPACE_GIT_ALLOWED_REMOTES ?? "").trim() !== "");
  }
  if (overlay === "prod" || scaledObjects.length > 0) {
    check(at("exactly 4 ScaledObjects"), scaledObjects.length === 4, `found ${scaledObjects.length}`);
    const targets = new Set();
    for (const so of scaledObjects) {
      const so_ = (what) => at(`ScaledObject ${so.metadata.name} ${what}`);
      const target = deployments.find((d) => d.metadata.name === so.spec.scaleTargetRef?.name);
      const role = target?.metadata.name.replace(/-service$/, "");
      targets.add(target?.metadata.name);
      check(so_("targets one of the Deployments"), target != null, so.spec.scaleTargetRef?.name);
      check(so_("keeps at least one replica (request/reply endpoints)"), (so.spec.minReplicaCount ?? 0) >= 1);
      check(so_("has maxReplicaCount >= minReplicaCount"), so.spec.maxReplicaCount >= (so.spec.minReplicaCount ?? 0));
      const t = (so.spec.triggers ?? []).find((x) => x.type === "nats-jetstream");
      if (!check(so_("has a nats-jetstream trigger"), t != null)) continue;
      const m = t.metadata ?? {};
      check(so_(`scales on AGENTOS_WORK consumer '${role}'`), m.stream === "AGENTOS_WORK" && m.consumer === role,
        `${m.stream}/${m.consumer}`);
      check(so_(`reads the NATS account of permissions.conf (${jsAccounts[0]})`), m.account === jsAccounts[0], m.account);
      const port = String(values?.config?.monitor?.port ?? 8222);
      check(so_(`polls the NATS monitoring port ${port} of the client Service`),
        new RegExp(`^nats\\.[\\w-]+\\.svc(\\.[\\w.-]+)?:${port}$`).test(m.natsServerMonitoringEndpoint ?? ""),
        m.natsServerMonitoringEndpoint);
      check(so_("has numeric-string thresholds"), /^\d+$/.test(m.lagThreshold ?? "") &&
        /^\d+$/.test(m.activationLagThreshold ?? "0"), `${m.lagThreshold}/${m.activationLagThreshold}`);
    }
    check(at("one ScaledObject per Deployment"), targets.size === 4 && !targets.has(undefined));
    check(at("Deployments leave replicas to KEDA"), deployments.every((d) => d.spec.replicas === undefined));
    check(at("pods are annotated for Prometheus scraping of /q/metrics"), deployments.every((d) => {
      const a = d.spec.template.metadata?.annotations ?? {};
      return a["prometheus.io/scrape"] === "true" && a["prometheus.io/path"] === "/q/metrics" &&
        a["prometheus.io/port"] === "8080";
    }));
  }
}

// ---------------------------------------------------------------- the web console
function checkConsole(at, d, of) {
  const dep = (what) => at(`${CONSOLE} ${what}`);
  const pod = d.spec.template;
  const spec = pod.spec ?? {};
  const c = spec.containers?.[0] ?? {};
  check(dep("selector matches its pod labels"), matches(d.spec.selector?.matchLabels, pod.metadata?.labels));
  check(dep("image is agentos/console with a tag"),
    /(^|\/)agentos\/console(:[\w.-]+|@sha256:[0-9a-f]+)$/.test(c.image ?? ""), c.image);
  const probe = (p, path) => p?.httpGet?.path === path && ["http", 8080].includes(p?.httpGet?.port);
  check(dep("has startup, liveness and readiness probes on /q/health/*"),
    probe(c.startupProbe, "/q/health/started") && probe(c.livenessProbe, "/q/health/live") &&
      probe(c.readinessProbe, "/q/health/ready"));
  check(dep("has cpu/memory requests and a memory limit"),
    c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory);
  check(dep("runs as non-root with a read-only root file system and no capabilities"),
    (spec.securityContext?.runAsNonRoot === true || c.securityContext?.runAsNonRoot === true) &&
      c.securityContext?.readOnlyRootFilesystem === true && c.securityContext?.allowPrivilegeEscalation === false &&
      (c.securityContext?.capabilities?.drop ?? []).includes("ALL"));
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
  const fromSecret = (name, key) =>
    env[name]?.valueFrom?.secretKeyRef?.name === CONSOLE_SECRET && env[name]?.valueFrom?.secretKeyRef?.key === key;
  // The signed-in team's user, from a Secret: never a user named in the manifest (admin, a role).
  check(dep(`takes its NATS user and password from Secret ${CONSOLE_SECRET} (keys user, password)`),
    fromSecret("AGENTOS_NATS_USER", "user") && fromSecret("AGENTOS_NATS_PASSWORD", "password") &&
      env.AGENTOS_NATS_USER?.value === undefined,
    `AGENTOS_NATS_USER=${JSON.stringify(env.AGENTOS_NATS_USER)}`);
  const secrets = [
    ...(c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name),
    ...(c.envFrom ?? []).map((e) => e.secretRef?.name),
    ...(spec.volumes ?? []).map((v) => v.secret?.secretName),
  ].filter(Boolean);
  check(dep(`reads no Secret but ${CONSOLE_SECRET} (no agent key)`),
    secrets.every((n) => n === CONSOLE_SECRET), secrets.join(", "));
  check(dep("mounts no workspace"), !(spec.volumes ?? []).some((v) => v.persistentVolumeClaim), "");
  check(dep("has a Service"),
    of("Service").filter((s) => matches(s.spec?.selector, pod.metadata?.labels)).length === 1);
}

// ---------------------------------------------------------------- the Grafana dashboard
const PROMQL_WORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool",
  "and", "or", "unless", "offset", "inf", "nan"]);

/** The metric names a PromQL expression reads (label matchers, ranges, strings and $vars left out). */
function promMetrics(expr) {
  const text = String(expr)
    .replace(/"(?:[^"\\]|\\.)*"/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\$\{?\w+\}?/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  return [...text.matchAll(/([A-Za-z_:][\w:]*)\s*(\()?/g)]
    .filter((m) => !m[2] && !PROMQL_WORDS.has(m[1].toLowerCase()))
    .map((m) => m[1]);
}

function dashboardTargets(dashboard) {
  const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
  return panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}

const exportedMetrics = new Set(
  readFileSync(METRICS_LIST, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")),
);

/** Checks one dashboard JSON text; `where` names it in failures. */
function checkDashboard(where, text) {
  let dashboard;
  try {
    dashboard = JSON.parse(text);
  } catch (e) {
    check(`${where} is not valid JSON`, false, e.message);
    return;
  }
  check(`${where} has a uid and a title`, Boolean(dashboard.uid && dashboard.title));
  const targets = dashboardTargets(dashboard);
  check(`${where} has queries`, targets.length > 0);
  for (const t of targets) {
    const names = promMetrics(t.expr ?? "");
    check(`${where} panel '${t.panel}' queries a metric`, names.length > 0, t.expr);
    for (const name of names) {
      check(`${where} panel '${t.panel}' names a metric the services do not export: ${name}`,
        exportedMetrics.has(name), `not in ${relative(DEPLOY, METRICS_LIST)}`);
    }
  }
}

for (const file of readdirSync(join(DEPLOY, "grafana")).filter((f) => f.endsWith(".json"))) {
  checkDashboard(`grafana/${file}`, readFileSync(join(DEPLOY, "grafana", file), "utf8"));
}

function checkDashboards(at, configMaps) {
  const dashboards = configMaps.filter((c) => c.metadata?.labels?.grafana_dashboard === "1");
  check(at('has the Grafana dashboard ConfigMap labelled grafana_dashboard: "1"'), dashboards.length === 1,
    `found ${dashboards.length}`);
  for (const cm of dashboards) {
    const files = Object.keys(cm.data ?? {});
    check(at(`ConfigMap ${cm.metadata.name} holds .json dashboards`),
      files.length > 0 && files.every((f) => f.endsWith(".json")), files.join(", "));
    for (const f of files) checkDashboard(at(`ConfigMap ${cm.metadata.name} ${f}`), cm.data[f]);
  }
}

if (RENDERED) {
  const files = readdirSync(RENDERED).filter((f) => f.endsWith(".yaml")).sort();
  check("rendered overlays found", files.length > 0, RENDERED);
  for (const file of files) {
    const overlay = basename(file, ".yaml");
    let docs;
    try {
      docs = yaml.loadAll(readFileSync(join(RENDERED, file), "utf8")).filter(Boolean);
    } catch (e) {
      check(`${overlay}: rendered output parses`, false, e.message);
      continue;
    }
    for (const doc of docs) {
      const errors = await schemaErrors(doc);
      check(`${overlay}: ${doc.kind}/${doc.metadata?.name} matches its schema`, errors.length === 0,
        errors.join("; "));
    }
    if (overlay !== "base") checkOverlay(overlay, docs);
  }
}

for (const f of failures) console.log(`  FAIL  ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);

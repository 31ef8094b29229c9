// Unknown-field check for Kubernetes objects, like `kubectl apply --validate=strict` without
// a cluster. The kubernetes-models JSON schemas accept unknown keys (the API server would
// silently drop them: a `livenesProbe` typo means no liveness probe), so this walks the
// TypeScript declarations the same packages ship, which list every field of every type.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const parsed = new Map(); // .d.ts path -> type of its main interface (or null)

function tokenize(src) {
  const re = /\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*|[{}[\]<>|;:?(),.]|-?\d+(?:\.\d+)?/g;
  const out = [];
  for (const m of src.matchAll(re)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith("/*") || t.startsWith("//")) continue;
    out.push(t);
  }
  return out;
}

function parseType(toks, pos) {
  const arms = [];
  let p = pos;
  for (;;) {
    const [t, np] = parsePrimary(toks, p);
    arms.push(t);
    p = np;
    if (toks[p] === "|") p++;
    else break;
  }
  return [arms.length === 1 ? arms[0] : { kind: "union", of: arms }, p];
}

function parsePrimary(toks, p) {
  const t = toks[p];
  if (t === "Array" && toks[p + 1] === "<") {
    const [of, np] = parseType(toks, p + 2);
    return [{ kind: "array", of }, np + 1]; // skip ">"
  }
  if (t === "{") return parseMembers(toks, p + 1, "}");
  if (t === "(") {
    const [inner, np] = parseType(toks, p + 1);
    return [inner, np + 1];
  }
  if (t.startsWith('"') || /^-?\d/.test(t)) return [{ kind: "scalar" }, p + 1];
  if (["string", "number", "boolean", "any", "unknown", "null", "object"].includes(t)) {
    return [{ kind: "scalar" }, p + 1];
  }
  // A type reference, possibly indexed: IDeployment["kind"]
  let np = p + 1;
  if (toks[np] === "[") np += 3;
  if (toks[np] === "[" && toks[np + 1] === "]") return [{ kind: "array", of: { kind: "ref", name: t } }, np + 2];
  return [{ kind: "ref", name: t }, np];
}

function parseMembers(toks, p, close) {
  const props = {};
  let index = null;
  while (toks[p] !== close) {
    if (toks[p] === "[") {
      // [key: string]: T
      const [t, np] = parseType(toks, p + 6);
      index = t;
      p = np;
    } else {
      const name = toks[p].startsWith('"') ? JSON.parse(toks[p]) : toks[p];
      p += toks[p + 1] === "?" ? 3 : 2;
      const [t, np] = parseType(toks, p);
      props[name] = t;
      p = np;
    }
    if (toks[p] === ";" || toks[p] === ",") p++;
  }
  return [{ kind: "object", props, index }, p + 1];
}

function loadDts(file) {
  if (parsed.has(file)) return parsed.get(file);
  parsed.set(file, null); // cycles: JSONSchemaProps refers to itself
  const src = readFileSync(file, "utf8");
  const imports = {};
  for (const m of src.matchAll(/import \{([^}]*)\} from "([^"]+)"/g)) {
    for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) imports[name] = m[2];
  }
  const m = /export interface (\w+)(?: extends ([\w, ]+))? \{/.exec(src);
  if (!m) return null; // a type alias such as IntOrString or Quantity: a scalar
  const toks = tokenize(src.slice(m.index + m[0].length));
  const [type] = parseMembers(toks, 0, "}");
  type.file = file;
  type.imports = imports;
  parsed.set(file, type);
  return type;
}

function resolveRef(name, from) {
  const spec = from.imports?.[name];
  if (!spec) return null; // TypeMeta and other base types
  let file;
  if (spec.startsWith(".")) file = join(dirname(from.file), spec.replace(/\.js$/, ".d.ts"));
  else file = join(from.modules, `${spec}.d.ts`);
  if (!existsSync(file)) return null;
  const t = loadDts(file);
  if (t) t.modules = from.modules;
  return t;
}

function walk(value, type, ctx, path, errors) {
  if (!type || value === null || typeof value !== "object") return;
  if (type.kind === "ref") return walk(value, resolveRef(type.name, ctx), ctx, path, errors);
  if (type.kind === "array") {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, type.of, ctx, `${path}[${i}]`, errors));
    return;
  }
  if (type.kind === "union") {
    const objectArm = type.of.find((t) => t.kind !== "scalar");
    if (objectArm) walk(value, objectArm, ctx, path, errors);
    return;
  }
  if (type.kind !== "object" || Array.isArray(value)) return;
  const here = type.file ? type : ctx; // inline object types resolve refs in their file
  for (const [k, v] of Object.entries(value)) {
    if (k in type.props) walk(v, type.props[k], here, `${path}.${k}`, errors);
    else if (type.index) walk(v, type.index, here, `${path}.${k}`, errors);
    else errors.push(`${path}.${k} is not a field of this object (typo?)`);
  }
}

/**
 * Unknown fields of `doc`, given the .d.ts file of its kind (e.g.
 * node_modules/kubernetes-models/apps/v1/Deployment.d.ts).
 */
export function unknownFields(doc, dtsFile, modulesDir) {
  const root = loadDts(dtsFile);
  if (!root) return [];
  root.modules = modulesDir;
  const errors = [];
  walk(doc, root, root, "", errors);
  return errors.map((e) => e.replace(/^\./, ""));
}

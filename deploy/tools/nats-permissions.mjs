// Proves deploy/nats/permissions.conf does what it says, against a real nats-server:
// every role can create the topology, hand work to its own and the next phase, pull and ack
// its own durable, use KV, the object store, events, the DLQ and request/reply, and settle its
// own MaxDeliver advisories (read the advisory, get the work message by sequence, park it in
// the DLQ, delete it); and it cannot publish another phase's work, pull another role's work or
// advisory consumer, re-point a consumer, forge an advisory, delete a stream or another
// stream's messages, or serve another role's endpoints. Also checks that the monitoring endpoint
// the KEDA scaler polls answers for the AGENTOS account with the consumer's lag.
//
// Usage: node nats-permissions.mjs <permissions.conf> [nats-server binary]
// Prints one line per check and "N passed, M failed"; exits 1 on any failure.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  AckPolicy,
  connect,
  nanos,
  RetentionPolicy,
  StorageType,
  StringCodec,
} from "nats";

const confPath = resolve(process.argv[2] ?? "deploy/nats/permissions.conf");
const serverBin = process.argv[3] ?? "nats-server";
const sc = StringCodec();

const ROLES = [
  { user: "planner", own: "plan", next: "execute" },
  { user: "executor", own: "execute", next: "express" },
  { user: "express", own: "express", next: "review" },
  { user: "review", own: "review", next: "plan" },
];
const PHASES = ["plan", "execute", "express", "review"];
const OWNER = { plan: "planner", execute: "executor", express: "express", review: "review" };
// Where JetStream reports a work message that reached MaxDeliver (Topology.MAX_DELIVERIES_PREFIX),
// and each role's durable consumer of those reports (Topology.maxDeliveriesConsumer).
const MAX_DELIVERIES = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.AGENTOS_WORK.";
const advisoryConsumer = (user) => `${user}-max-deliveries`;
// Letters and digits starting with a letter: the form deploy/README.md tells operators to use.
const PASSWORDS = Object.fromEntries(
  ["admin", "client", "planner", "executor", "express", "review", "sys", "teama", "teamb"].map((u) => [
    u,
    `p${u}${Math.random().toString(16).slice(2)}x`,
  ]),
);

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) {
    passed++;
    console.log(`  ok    ${name}`);
  } else {
    failed++;
    console.log(`  FAIL  ${name}${detail ? `: ${detail}` : ""}`);
  }
}

async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const monitor = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), "agentos-nats-perm-"));
  const env = { ...process.env };
  for (const [user, pass] of Object.entries(PASSWORDS)) {
    env[`AGENTOS_NATS_${user.toUpperCase()}_PASSWORD`] = pass;
  }
  const args = ["-c", confPath, "-a", "127.0.0.1", "-p", String(port), "-m", String(monitor),
    "-js", "-sd", storeDir];
  const proc = spawn(serverBin, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => (log += d));
  const deadline = Date.now() + 15000;
  try {
    for (;;) {
      if (proc.exitCode !== null) {
        throw new Error(`nats-server exited with ${proc.exitCode}:\n${log}`);
      }
      try {
        const r = await fetch(`http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`nats-server did not become healthy:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    await stopServer(proc, storeDir);
    throw e;
  }
  return {
    port,
    monitor,
    async stop() {
      await stopServer(proc, storeDir);
    },
  };
}

/**
 * Stops nats-server and removes its store. After SIGTERM the server still flushes its JetStream
 * store on the way out: removing the dir before it has exited raced those writes (ENOTEMPTY under
 * CPU load). So wait for the exit, SIGKILL after a deadline, and only then remove the dir.
 */
async function stopServer(proc, storeDir) {
  const exitedWithin = (ms) =>
    new Promise((res) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return res(true);
      const timer = setTimeout(() => res(false), ms);
      proc.once("exit", () => {
        clearTimeout(timer);
        res(true);
      });
    });
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill("SIGTERM");
    if (!(await exitedWithin(10000))) {
      proc.kill("SIGKILL");
      if (!(await exitedWithin(5000))) {
        throw new Error(`nats-server (pid ${proc.pid}) did not exit after SIGKILL; left ${storeDir}`);
      }
    }
  }
  rmSync(storeDir, { recursive: true, force: true });
}

/** A connection that records every permissions violation the server reports to it. */
async function as(user, port) {
  const nc = await connect({
    servers: `127.0.0.1:${port}`,
    user,
    pass: PASSWORDS[user],
    name: `check-${user}`,
    reconnect: false,
  });
  const violations = [];
  (async () => {
    for await (const s of nc.status()) {
      if (s.permissionContext) violations.push(s.permissionContext);
    }
  })();
  return { nc, violations, js: nc.jetstream({ timeout: 2000 }) };
}

// A PING/PONG round trip: the server answers in order, so any -ERR for what this connection
// sent before (and any message routed to it) has arrived once the flush resolves.
const settle = (...conns) => Promise.all(conns.map((c) => c.nc.flush()));

/**
 * Whether `done()` holds within two seconds. A message another connection published reaches
 * `receiver` some time after the publisher's flush, so flushing both at once is not enough.
 */
async function delivered(receiver, done) {
  const deadline = Date.now() + 2000;
  while (!done() && Date.now() < deadline) {
    await receiver.nc.flush();
  }
  return done();
}

/** Fails unless `fn` is refused and the server reported a violation for `subject`. */
async function expectDenied(name, conn, subject, fn) {
  const before = conn.violations.length;
  let threw = false;
  let result;
  try {
    result = await fn();
  } catch {
    threw = true;
  }
  await settle(conn);
  const reported = conn.violations.slice(before).some((v) => v.subject === subject);
  check(name, reported && (threw || result == null),
    reported ? "the operation did not fail" : `no permissions violation for ${subject}`);
}

/** What Topology.ensure creates, done through one role's own connection. */
async function ensureTopology(conn) {
  const jsm = await conn.nc.jetstreamManager({ timeout: 2000 });
  const stream = async (cfg) => {
    try {
      await jsm.streams.info(cfg.name);
    } catch {
      await jsm.streams.add(cfg);
    }
  };
  const common = { storage: StorageType.File, num_replicas: 1 };
  await stream({ name: "AGENTOS_WORK", subjects: PHASES.map((p) => `agentos.work.${p}`),
    retention: RetentionPolicy.Workqueue, duplicate_window: nanos(120000), ...common });
  await stream({ name: "AGENTOS_EVENTS", subjects: ["agentos.events.>"],
    retention: RetentionPolicy.Limits, ...common });
  await stream({ name: "AGENTOS_TASKS", subjects: ["agentos.tasks.>"],
    retention: RetentionPolicy.Workqueue, duplicate_window: nanos(120000), ...common });
  await stream({ name: "AGENTOS_DLQ", subjects: ["agentos.dlq.>"],
    retention: RetentionPolicy.Limits, ...common });
  await stream({ name: "AGENTOS_ADVISORIES", subjects: [`${MAX_DELIVERIES}>`],
    retention: RetentionPolicy.Workqueue, max_age: nanos(7 * 24 * 3600 * 1000), ...common });
  for (const phase of PHASES) {
    await jsm.consumers.add("AGENTOS_ADVISORIES", { durable_name: advisoryConsumer(OWNER[phase]),
      filter_subject: `${MAX_DELIVERIES}${OWNER[phase]}`, ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(30000) });
    await jsm.consumers.add("AGENTOS_WORK", { durable_name: OWNER[phase],
      filter_subject: `agentos.work.${phase}`, ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(30000), max_deliver: 5 });
  }
  await jsm.consumers.add("AGENTOS_TASKS", { durable_name: "intake",
    filter_subject: "agentos.tasks.>", ack_policy: AckPolicy.Explicit });
  for (const bucket of ["agentos-cycles", "agentos-decisions", "agentos-standards",
    "agentos-instructions", "agentos-history"]) {
    await conn.js.views.kv(bucket, { history: 5 });
  }
  await conn.js.views.os("agentos-artifacts");
  for (const phase of PHASES) await jsm.consumers.info("AGENTOS_WORK", OWNER[phase]);
  return jsm;
}

async function pending(adminJsm, consumer) {
  const info = await adminJsm.consumers.info("AGENTOS_WORK", consumer);
  return info.num_pending + info.num_ack_pending;
}

async function main() {
  const server = await startServer();
  const conns = [];
  try {
    const admin = await as("admin", server.port);
    conns.push(admin);
    const adminJsm = await admin.nc.jetstreamManager();
    const enqueued = [];
    admin.nc.subscribe("agentos.*.enqueue", { callback: (_e, m) => enqueued.push(m.subject) });
    const events = [];
    admin.nc.subscribe("agentos.events.>", { callback: (_e, m) => events.push(m.subject) });
    // The server must have both subscriptions before any role publishes what they count.
    await admin.nc.flush();

    for (const role of ROLES) {
      console.log(`role ${role.user}:`);
      const me = await as(role.user, server.port);
      conns.push(me);
      const msgId = (phase) => `c-${role.user}.1.${phase}`;

      // --- what the role must be able to do ---
      let ok = true;
      let why = "";
      try {
        await ensureTopology(me);
      } catch (e) {
        ok = false;
        why = e.message;
      }
      check("creates or finds every stream, consumer, bucket and store", ok, why);

      for (const phase of [role.own, role.next]) {
        let ack = null;
        try {
          ack = await me.js.publish(`agentos.work.${phase}`, sc.encode("{}"), { msgID: msgId(phase) });
        } catch (e) {
          why = e.message;
        }
        check(`publishes work to agentos.work.${phase}`, ack?.stream === "AGENTOS_WORK", why);
      }

      const other = PHASES.filter((p) => p !== role.own && p !== role.next);
      for (const phase of other) {
        me.nc.publish(`agentos.${OWNER[phase]}.enqueue`, sc.encode("{}"));
      }
      await settle(me);
      check(`routes ${other.join("/")} work to its owners' enqueue endpoints`,
        await delivered(admin,
          () => other.every((p) => enqueued.includes(`agentos.${OWNER[p]}.enqueue`))));

      try {
        const consumer = await me.js.consumers.get("AGENTOS_WORK", role.user);
        const m = await consumer.next({ expires: 2000 });
        // Heartbeats, then the ack: several publishes to one ack subject, which
        // allow_responses (one reply per message) alone would not allow.
        m?.working();
        m?.working();
        const acked = m ? await m.ackAck() : false;
        check(`pulls its own consumer '${role.user}', heartbeats and acks`,
          m?.subject === `agentos.work.${role.own}` && acked);
      } catch (e) {
        check(`pulls its own consumer '${role.user}', heartbeats and acks`, false, e.message);
      }

      try {
        const admJs = admin.nc.jetstream();
        await admJs.publish("agentos.tasks.shop", sc.encode(`{"from":"${role.user}"}`));
        const intake = await me.js.consumers.get("AGENTOS_TASKS", "intake");
        const t = await intake.next({ expires: 2000 });
        check("pulls and acks the shared 'intake' consumer", t !== null && (await t.ackAck()));
      } catch (e) {
        check("pulls and acks the shared 'intake' consumer", false, e.message);
      }

      try {
        const kv = await me.js.views.kv("agentos-cycles");
        const key = `cycle.c-${role.user}`;
        const rev = await kv.create(key, sc.encode('{"status":"QUEUED"}'));
        await kv.update(key, sc.encode('{"status":"PLANNING"}'), rev);
        const got = await kv.get(key);
        const keys = [];
        for await (const k of await kv.keys("cycle.*")) keys.push(k);
        const decisions = await me.js.views.kv("agentos-decisions");
        await decisions.put(`shop.d-${role.user}`, sc.encode("{}"));
        const standards = await me.js.views.kv("agentos-standards");
        await standards.get("team.code-style");
        check("reads, creates, CAS-updates and lists KV entries",
          sc.decode(got.value).includes("PLANNING") && keys.includes(key));
      } catch (e) {
        check("reads, creates, CAS-updates and lists KV entries", false, e.message);
      }

      try {
        // Whichever service ends a cycle records it (create: written once), and the
        // instructions API every role serves stores team instructions.
        const history = await me.js.views.kv("agentos-history");
        const key = `shop.c-${role.user}`;
        await history.create(key, sc.encode('{"status":"COMPLETED"}'));
        const got = await history.get(key);
        const keys = [];
        for await (const k of await history.keys("shop.*")) keys.push(k);
        const instructions = await me.js.views.kv("agentos-instructions");
        await instructions.put(`tidy-up-${role.user}`, sc.encode("---\nname: tidy-up\n---\n"));
        const doc = await instructions.get(`tidy-up-${role.user}`);
        const names = [];
        for await (const k of await instructions.keys()) names.push(k);
        check("records and lists cycle history, stores and lists team instructions",
          sc.decode(got.value).includes("COMPLETED") && keys.includes(key) &&
            doc !== null && names.includes(`tidy-up-${role.user}`));
      } catch (e) {
        check("records and lists cycle history, stores and lists team instructions", false,
          e.message);
      }

      try {
        const os = await me.js.views.os("agentos-artifacts");
        const name = `transcript-${role.user}`;
        const body = new Uint8Array(200_000).fill(7);
        await os.putBlob({ name }, body);
        const back = await os.getBlob(name);
        await os.delete(name);
        check("puts, gets and deletes artifacts", back?.length === body.length);
      } catch (e) {
        check("puts, gets and deletes artifacts", false, e.message);
      }

      me.nc.publish(`agentos.events.c-${role.user}.transition`, sc.encode("{}"));
      await settle(me);
      check("publishes lifecycle events",
        await delivered(admin, () => events.includes(`agentos.events.c-${role.user}.transition`)));

      try {
        const ack = await me.js.publish(`agentos.dlq.${role.own}`, sc.encode("{}"));
        check("dead-letters to AGENTOS_DLQ", ack.stream === "AGENTOS_DLQ");
      } catch (e) {
        check("dead-letters to AGENTOS_DLQ", false, e.message);
      }

      // A work message of its own phase reached MaxDeliver: the server reports it in
      // AGENTOS_ADVISORIES (here the admin stands in for the server), and the role settles it
      // the way MaxDeliveries does.
      const settled = `settles its own MaxDeliver advisory via '${advisoryConsumer(role.user)}'` +
        " (get, park in the DLQ, delete)";
      try {
        const work = await me.js.publish(`agentos.work.${role.own}`, sc.encode('{"stuck":true}'),
          { msgID: `c-${role.user}.2.${role.own}` });
        const advisory = await admin.nc.jetstream().publish(`${MAX_DELIVERIES}${role.user}`,
          sc.encode(JSON.stringify({ type: "io.nats.jetstream.advisory.v1.max_deliver",
            stream: "AGENTOS_WORK", consumer: role.user, stream_seq: work.seq, deliveries: 5 })));
        const myJsm = await me.nc.jetstreamManager({ timeout: 2000 });
        const mine = await me.js.consumers.get("AGENTOS_ADVISORIES", advisoryConsumer(role.user));
        const a = await mine.next({ expires: 2000 });
        const seq = a ? JSON.parse(sc.decode(a.data)).stream_seq : 0;
        const original = await myJsm.streams.getMessage("AGENTOS_WORK", { seq });
        const parked = await me.js.publish(`agentos.dlq.${role.own}`, original.data);
        const deleted = await myJsm.streams.deleteMessage("AGENTOS_WORK", seq);
        const acked = a ? await a.ackAck() : false;
        let gone = false;
        try {
          await adminJsm.streams.getMessage("AGENTOS_WORK", { seq });
        } catch {
          gone = true;
        }
        const left = await adminJsm.consumers.info("AGENTOS_ADVISORIES", advisoryConsumer(role.user));
        check(settled, advisory.stream === "AGENTOS_ADVISORIES" && seq === work.seq &&
          original.subject === `agentos.work.${role.own}` && parked.stream === "AGENTOS_DLQ" &&
          deleted && acked && gone && left.num_pending + left.num_ack_pending === 0,
          JSON.stringify({ advisory: advisory.stream, seq, deleted, acked, gone }));
      } catch (e) {
        check(settled, false, e.message);
      }

      const answer = (m) => m.respond(sc.encode(role.user));
      const subs = [
        me.nc.subscribe("agentos.api.status", { queue: "q", callback: (_e, m) => answer(m) }),
        me.nc.subscribe(`agentos.${role.user}.ping`, { queue: "q", callback: (_e, m) => answer(m) }),
        me.nc.subscribe("$SRV.PING.agentos-api", { callback: (_e, m) => answer(m) }),
      ];
      await me.nc.flush();
      for (const subject of ["agentos.api.status", `agentos.${role.user}.ping`, "$SRV.PING.agentos-api"]) {
        try {
          const r = await admin.nc.request(subject, sc.encode("{}"), { timeout: 1500 });
          check(`answers requests on ${subject}`, sc.decode(r.data) === role.user);
        } catch (e) {
          check(`answers requests on ${subject}`, false, e.message);
        }
      }
      subs.forEach((s) => s.unsubscribe());

      await settle(me);
      check("got no permissions violation while doing its own work", me.violations.length === 0,
        JSON.stringify(me.violations));

      // --- what the role must not be able to do ---
      for (const phase of other) {
        await expectDenied(`cannot publish work to agentos.work.${phase}`, me, `agentos.work.${phase}`,
          () => me.js.publish(`agentos.work.${phase}`, sc.encode("{}"), { timeout: 1000 }));
      }

      const victim = OWNER[role.next];
      const before = await pending(adminJsm, victim);
      await expectDenied(`cannot pull another role's consumer '${victim}'`, me,
        `$JS.API.CONSUMER.MSG.NEXT.AGENTOS_WORK.${victim}`,
        () => me.nc.request(`$JS.API.CONSUMER.MSG.NEXT.AGENTOS_WORK.${victim}`,
          sc.encode('{"batch":1,"no_wait":true}'), { timeout: 1000 }));
      check(`'${victim}' still holds its work`, (await pending(adminJsm, victim)) === before && before > 0);

      const jsm = await me.nc.jetstreamManager({ timeout: 1000 });
      const theirs = advisoryConsumer(victim);
      await expectDenied(`cannot pull another role's advisories '${theirs}'`, me,
        `$JS.API.CONSUMER.MSG.NEXT.AGENTOS_ADVISORIES.${theirs}`,
        () => me.nc.request(`$JS.API.CONSUMER.MSG.NEXT.AGENTOS_ADVISORIES.${theirs}`,
          sc.encode('{"batch":1,"no_wait":true}'), { timeout: 1000 }));
      await expectDenied(`cannot read another role's advisory consumer '${theirs}'`, me,
        `$JS.API.CONSUMER.INFO.AGENTOS_ADVISORIES.${theirs}`,
        () => jsm.consumers.info("AGENTOS_ADVISORIES", theirs));
      await expectDenied(`cannot re-point '${theirs}' at its own advisories`, me,
        `$JS.API.CONSUMER.CREATE.AGENTOS_ADVISORIES.${theirs}.${MAX_DELIVERIES}${role.user}`,
        () => jsm.consumers.add("AGENTOS_ADVISORIES", { durable_name: theirs,
          filter_subject: `${MAX_DELIVERIES}${role.user}`, ack_policy: AckPolicy.Explicit }));
      await expectDenied("cannot add a consumer of its own to AGENTOS_ADVISORIES", me,
        `$JS.API.CONSUMER.CREATE.AGENTOS_ADVISORIES.spy.${MAX_DELIVERIES}${victim}`,
        () => jsm.consumers.add("AGENTOS_ADVISORIES", { durable_name: "spy",
          filter_subject: `${MAX_DELIVERIES}${victim}`, ack_policy: AckPolicy.Explicit }));
      await expectDenied(`cannot forge a MaxDeliver advisory for '${victim}'`, me,
        `${MAX_DELIVERIES}${victim}`,
        () => me.js.publish(`${MAX_DELIVERIES}${victim}`, sc.encode("{}"), { timeout: 1000 }));
      await expectDenied("cannot delete a message from AGENTOS_DLQ", me,
        "$JS.API.STREAM.MSG.DELETE.AGENTOS_DLQ", () => jsm.streams.deleteMessage("AGENTOS_DLQ", 1));
      await expectDenied(`cannot re-point consumer '${victim}' at agentos.work.${role.own}`, me,
        `$JS.API.CONSUMER.CREATE.AGENTOS_WORK.${victim}.agentos.work.${role.own}`,
        () => jsm.consumers.add("AGENTOS_WORK", { durable_name: victim,
          filter_subject: `agentos.work.${role.own}`, ack_policy: AckPolicy.Explicit }));
      await expectDenied("cannot add a consumer of its own to AGENTOS_WORK", me,
        `$JS.API.CONSUMER.CREATE.AGENTOS_WORK.spy.agentos.work.${other[0]}`,
        () => jsm.consumers.add("AGENTOS_WORK", { durable_name: "spy",
          filter_subject: `agentos.work.${other[0]}`, ack_policy: AckPolicy.Explicit }));
      await expectDenied("cannot delete a stream", me, "$JS.API.STREAM.DELETE.AGENTOS_WORK",
        () => jsm.streams.delete("AGENTOS_WORK"));
      await expectDenied("cannot purge the cycles bucket", me, "$JS.API.STREAM.PURGE.KV_agentos-cycles",
        () => jsm.streams.purge("KV_agentos-cycles"));
      await expectDenied("cannot purge the history bucket", me, "$JS.API.STREAM.PURGE.KV_agentos-history",
        () => jsm.streams.purge("KV_agentos-history"));
      await expectDenied("cannot publish to the task intake", me, "agentos.tasks.shop",
        () => me.js.publish("agentos.tasks.shop", sc.encode("{}"), { timeout: 1000 }));
      await expectDenied("cannot slip a task in as agentos.tasks.enqueue", me, "agentos.tasks.enqueue",
        () => me.js.publish("agentos.tasks.enqueue", sc.encode("{}"), { timeout: 1000 }));
      const stranger = OWNER[other[0]];
      await expectDenied(`cannot serve ${stranger}'s endpoints`, me, `agentos.${stranger}.plan`,
        async () => {
          me.nc.subscribe(`agentos.${stranger}.plan`);
          await me.nc.flush();
          return null;
        });
      await me.nc.close();
    }

    console.log("user client:");
    const client = await as("client", server.port);
    conns.push(client);
    try {
      const ack = await client.js.publish("agentos.tasks.shop", sc.encode("{}"));
      check("submits to the task intake", ack.stream === "AGENTOS_TASKS");
      const kv = await client.js.views.kv("agentos-cycles");
      const seen = [];
      for await (const k of await kv.keys("cycle.*")) seen.push(k);
      check("lists and reads cycles", seen.length === ROLES.length && (await kv.get(seen[0])) !== null);
    } catch (e) {
      check("submits tasks and reads cycles", false, e.message);
    }
    check("got no permissions violation while doing its own work", client.violations.length === 0,
      JSON.stringify(client.violations));
    await expectDenied("cannot publish work directly", client, "agentos.work.plan",
      () => client.js.publish("agentos.work.plan", sc.encode("{}"), { timeout: 1000 }));
    await expectDenied("cannot write cycle history", client, "$KV.agentos-history.shop.forged",
      async () => {
        client.nc.publish("$KV.agentos-history.shop.forged", sc.encode("{}"));
        await client.nc.flush();
        return null;
      });
    await expectDenied("cannot write cycle state", client, "$KV.agentos-cycles.cycle.forged",
      async () => {
        client.nc.publish("$KV.agentos-cycles.cycle.forged", sc.encode("{}"));
        await client.nc.flush();
        return null;
      });

    await expectDenied("cannot change the project registry", client, "agentos.api.projects.add",
      () => client.nc.request("agentos.api.projects.add", sc.encode("{}"), { timeout: 1000 }));

    console.log("teams (accounts TEAM_A, TEAM_B):");
    const operator = await as("admin", server.port);
    const teamA = await as("teama", server.port);
    const teamB = await as("teamb", server.port);
    conns.push(operator, teamA, teamB);
    // A stand-in for the services: it answers with the subject the server delivered.
    const served = operator.nc.subscribe("agentos.team.*.api.>", {
      callback: (_e, m) => m.respond(sc.encode(m.subject)),
    });
    await operator.nc.flush();
    const asked = async (conn, subject) => {
      try {
        return sc.decode((await conn.nc.request(subject, sc.encode("{}"), { timeout: 2000 })).data);
      } catch (e) {
        return `refused: ${e.code ?? e.message}`;
      }
    };
    check("team A's agentos.api.status reaches the services as agentos.team.teama.api.status",
      (await asked(teamA, "agentos.api.status")) === "agentos.team.teama.api.status");
    check("team B's reaches them as agentos.team.teamb.api.status",
      (await asked(teamB, "agentos.api.status")) === "agentos.team.teamb.api.status");
    const spoofed = await asked(teamB, "agentos.team.teama.api.status");
    check("team B cannot send a request as team A", spoofed.startsWith("refused"), spoofed);
    served.unsubscribe();
    // Durable tasks: a team's `nats pub agentos.tasks.<project>` lands in the services' account
    // with the team in the subject, and no team can publish one as another team.
    const tasks = [];
    const intake = operator.nc.subscribe("agentos.tasks.>", {
      callback: (_e, m) => tasks.push(m.subject),
    });
    await operator.nc.flush();
    teamA.nc.publish("agentos.tasks.shop", sc.encode("{}"));
    teamB.nc.publish("agentos.tasks.team.teama.shop", sc.encode("{}"));
    await teamA.nc.flush();
    await teamB.nc.flush();
    await delivered(operator, () => tasks.length >= 2);
    await settle(operator);
    check("team A's task on agentos.tasks.shop reaches the intake as agentos.tasks.team.teama.shop",
      tasks.includes("agentos.tasks.team.teama.shop"), JSON.stringify(tasks));
    check("team B cannot publish a task as team A",
      tasks.length === 2 && tasks.includes("agentos.tasks.team.teamb.team.teama.shop"),
      JSON.stringify(tasks));
    intake.unsubscribe();
    const seenA = [];
    const seenB = [];
    teamA.nc.subscribe("agentos.events.>", { callback: (_e, m) => seenA.push(m.subject) });
    teamB.nc.subscribe("agentos.events.>", { callback: (_e, m) => seenB.push(m.subject) });
    await settle(teamA, teamB);
    operator.nc.publish("agentos.events.c-a.submitted.teama", sc.encode("{}"));
    operator.nc.publish("agentos.events.c-b.submitted.teamb", sc.encode("{}"));
    operator.nc.publish("agentos.events.c-x.submitted", sc.encode("{}"));
    await operator.nc.flush();
    await delivered(teamA, () => seenA.length > 0);
    await delivered(teamB, () => seenB.length > 0);
    await settle(teamA, teamB);
    check("team A sees only its cycles' events",
      JSON.stringify(seenA) === JSON.stringify(["agentos.events.c-a.submitted.teama"]),
      JSON.stringify(seenA));
    check("team B sees only its cycles' events",
      JSON.stringify(seenB) === JSON.stringify(["agentos.events.c-b.submitted.teamb"]),
      JSON.stringify(seenB));
    let kvRead = "read";
    try {
      await (await teamA.js.views.kv("agentos-cycles")).get("cycle.c-a");
    } catch (e) {
      kvRead = `refused: ${e.message}`;
    }
    check("a team reads no KV (its account has no JetStream)", kvRead.startsWith("refused"),
      kvRead);

    console.log("monitoring endpoint (KEDA nats-jetstream scaler):");
    const jsz = await (await fetch(
      `http://127.0.0.1:${server.monitor}/jsz?acc=AGENTOS&consumers=true&config=true`)).json();
    const streams = (jsz.account_details ?? []).flatMap((a) => a.stream_detail ?? []);
    const work = streams.find((s) => s.name === "AGENTOS_WORK");
    const names = (work?.consumer_detail ?? []).map((c) => c.name).sort();
    check("/jsz?acc=AGENTOS lists the four work consumers",
      JSON.stringify(names) === JSON.stringify(["executor", "express", "planner", "review"]),
      JSON.stringify(names));
    const lagOf = (n) => {
      const c = work?.consumer_detail?.find((x) => x.name === n);
      return c ? c.num_pending + c.num_ack_pending : NaN;
    };
    check("reports lag (num_pending + num_ack_pending) per consumer",
      ROLES.every((r) => Number.isInteger(lagOf(r.user))) && lagOf("planner") >= 1);
  } finally {
    for (const c of conns) await c.nc.close().catch(() => {});
    await server.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`nats permission check could not run: ${e.stack ?? e}`);
  process.exit(1);
});

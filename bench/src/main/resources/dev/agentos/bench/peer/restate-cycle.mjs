// The bench's PEER cycle as a Restate workflow: plan, three steps, express and review, each a
// journaled ctx.run, as Agent OS runs them as four services. In "spawn" mode a step starts the
// same stand-in agent Agent OS runs (bench-agent.sh instant) with a 4 KB prompt on its stdin in
// the cycle's workspace; in "noop" mode a step is a trivial ctx.run, so pure orchestration is
// compared. Run by bin/bench --peer restate; the agent path and the port come from the env.
import * as restate from "@restatedev/restate-sdk";
import { spawn } from "node:child_process";
import { mkdir, writeFile, readdir } from "node:fs/promises";
import path from "node:path";

const AGENT = process.env.BENCH_AGENT;
const WORKSPACES = process.env.BENCH_WORKSPACES;
const PROMPT = "x".repeat(4095) + "\n";
const STEPS = 3;

function runAgent(workspace, cycleId, stepId) {
  return new Promise((resolve, reject) => {
    const child = spawn(AGENT, ["instant"], {
      cwd: workspace,
      env: {
        PATH: process.env.PATH,
        AGENTOS_CYCLE_ID: cycleId,
        AGENTOS_STEP_ID: String(stepId),
        AGENTOS_ATTEMPT: "1",
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.resume();
    // The instant agent exits without reading its prompt, as Agent OS's launcher allows.
    child.stdin.on("error", () => {});
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`agent exited ${code}`))
    );
    child.stdin.end(PROMPT);
  });
}

const cycle = restate.workflow({
  name: "Cycle",
  handlers: {
    run: async (ctx, request) => {
      const cycleId = ctx.key;
      const spawnAgent = request?.mode !== "noop";
      const workspace = path.join(WORKSPACES, cycleId);
      const plan = await ctx.run("plan", async () => {
        if (spawnAgent) {
          await mkdir(workspace, { recursive: true });
        }
        return Array.from({ length: STEPS }, (_, i) => ({ id: i + 1, title: `Task ${i + 1}` }));
      });
      const summaries = [];
      for (const step of plan) {
        summaries.push(
          await ctx.run(`step-${step.id}`, () =>
            spawnAgent ? runAgent(workspace, cycleId, step.id) : `Completed step ${step.id}.`
          )
        );
      }
      await ctx.run("express", async () => {
        if (spawnAgent) {
          await writeFile(path.join(workspace, "recap.md"), summaries.join("\n") + "\n");
        }
        return true;
      });
      return ctx.run("review", async () => {
        if (!spawnAgent) {
          return { verdict: "PASS", score: 100 };
        }
        // The same evidence Agent OS's review asks of the stand-in agent: a file per step.
        const changed = await readdir(path.join(workspace, ".bench"));
        return changed.length === STEPS
          ? { verdict: "PASS", score: 100 }
          : { verdict: "FAIL", score: 0 };
      });
    },
  },
});

restate.serve({ services: [cycle], port: Number(process.env.PORT) });

package dev.agentos.bench;

import dev.agentos.nats.CycleStore;
import dev.agentos.state.CycleState;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Takeover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Time to resume after a busy executor is SIGKILLed. Two executor replicas run; a cycle's steps
 * take {@link #STEP} each; while step 2 runs, the replica holding the cycle is killed (with its
 * agent) and started again at once, as a pod would be. Resumed means another worker has claimed the
 * phase (a new lease, one more attempt) or the cycle moved on. Every agent call is logged in the
 * workspace, so the steps run again can be counted: a step whose COMPLETED checkpoint was written
 * must never run again; the step in flight runs again by design.
 */
final class KillRun {
  static final Duration STEP = Duration.ofSeconds(1);
  static final Duration RESUME_DEADLINE = Duration.ofSeconds(60);

  /**
   * @param resumeMillis from the kill to the resumed claim, one per kill
   * @param completedRerun starts of an already COMPLETED step, one count per kill
   * @param inFlightRerun starts of a step beyond its first attempt, one count per kill
   */
  record Result(
      Duration ackWait,
      List<Long> resumeMillis,
      List<Integer> completedRerun,
      List<Integer> inFlightRerun) {
    long medianResumeMillis() {
      List<Long> sorted = resumeMillis.stream().sorted().toList();
      int n = sorted.size();
      return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
  }

  static Result run(
      LocalCluster cluster,
      Driver driver,
      CycleWatch watch,
      Workload workload,
      Duration ackWait,
      int kills)
      throws Exception {
    Map<String, String> properties = new LinkedHashMap<>(cluster.properties());
    properties.put("agentos.worker.ack-wait", ackWait.toMillis() + "ms");
    // AckWait is a consumer setting every service applies at start: all of them get the short one.
    cluster.restartAll(properties);
    cluster.addReplica("executor", "executor-2", properties);

    Random random = new Random(42);
    List<Long> resumes = new ArrayList<>();
    List<Integer> completedRerun = new ArrayList<>();
    List<Integer> inFlightRerun = new ArrayList<>();
    List<String> agent = workload.agent("record", Bench.seconds(STEP));
    for (int k = 1; k <= kills; k++) {
      String cycleId = workload.nextCycleId();
      Path workspace = workload.newWorkspace();
      AtomicReference<CycleState> latest = new AtomicReference<>();
      CompletableFuture<CycleState> stepTwoRunning = new CompletableFuture<>();
      AtomicReference<Resumption> resumption = new AtomicReference<>();
      watch.tap(
          update -> {
            if (!update.cycleId().equals(cycleId)) {
              return;
            }
            CycleState s = CycleStore.decode(update.value());
            latest.set(s);
            if (runningStep(s, "2") && s.lease() != null) {
              stepTwoRunning.complete(s);
            }
            Resumption r = resumption.get();
            if (r != null && Takeover.happened(r.before, s, r.deadPid)) {
              r.at.complete(update.atNanos());
            }
          });
      CompletableFuture<CycleWatch.Outcome> outcome = watch.outcome(cycleId);
      workload.submit(cycleId, workspace, agent);
      Driver.await(stepTwoRunning, Driver.CYCLE_DEADLINE, "step 2 of " + cycleId + " to start");
      // Somewhere in the middle of the step, not always right at its start.
      Thread.sleep(100 + random.nextInt((int) STEP.toMillis() / 2));
      CycleState before = latest.get();
      RoleProcess holder =
          cluster.services().stream()
              .filter(s -> s.role().equals("executor") && s.owns(before.lease()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no running executor holds " + cycleId + ": " + before.lease()));
      Resumption r = new Resumption(before, holder.pid(), new CompletableFuture<>());
      resumption.set(r);
      long killedAt = System.nanoTime();
      holder.kill();
      holder.relaunch();
      long resumedAt = Driver.await(r.at, RESUME_DEADLINE, cycleId + " to resume after the kill");
      resumes.add((resumedAt - killedAt) / 1_000_000);
      CycleWatch.Outcome end = Driver.await(outcome, Driver.CYCLE_DEADLINE, cycleId + " to finish");
      if (!end.completed()) {
        throw new IllegalStateException(
            "cycle " + cycleId + " ended " + end.status() + " after the kill");
      }
      CycleState done = driver.state(cycleId);
      List<Call> calls = calls(workspace);
      completedRerun.add(completedStepsStartedAgain(done, calls));
      inFlightRerun.add((int) calls.stream().filter(c -> c.start && c.attempt > 1).count());
      watch.tap(null);
      System.err.printf(
          "bench:   kill %d/%d: %s resumed after %d ms%n",
          k, kills, holder.name(), resumes.get(resumes.size() - 1));
      holder.awaitReady(LocalCluster.READY);
    }
    return new Result(ackWait, resumes, completedRerun, inFlightRerun);
  }

  private record Resumption(CycleState before, long deadPid, CompletableFuture<Long> at) {}

  private record Call(String stepId, int attempt, boolean start, long atMillis) {}

  private static boolean runningStep(CycleState s, String stepId) {
    return s.currentIteration() != null
        && s.currentIteration()
            .executionOrEmpty()
            .step(stepId)
            .map(step -> step.status() == StepStatus.RUNNING)
            .orElse(false);
  }

  private static int completedStepsStartedAgain(CycleState done, List<Call> calls) {
    int count = 0;
    for (StepRecord step : done.currentIteration().executionOrEmpty().steps()) {
      if (step.status() != StepStatus.COMPLETED || step.finishedAt() == null) {
        continue;
      }
      long finished = step.finishedAt().toEpochMilli();
      count +=
          (int)
              calls.stream()
                  .filter(c -> c.start && c.stepId.equals(step.id()) && c.atMillis > finished)
                  .count();
    }
    return count;
  }

  /** The agent's log: "<cycle> <step> <attempt> start|done <epoch-ms>" per line. */
  private static List<Call> calls(Path workspace) throws IOException {
    Path log = workspace.resolve(".agent-calls.log");
    List<Call> calls = new ArrayList<>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log)) {
        String[] f = line.trim().split(" ");
        if (f.length == 5) {
          calls.add(
              new Call(f[1], Integer.parseInt(f[2]), f[3].equals("start"), Long.parseLong(f[4])));
        }
      }
    }
    return calls;
  }
}

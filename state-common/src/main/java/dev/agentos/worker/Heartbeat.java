package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps a claim alive while its phase runs: every third of the AckWait it renews the lease in the
 * cycle's state and then the work message's AckWait (in that order, so the message always outlives
 * the lease). It is also how the worker learns that it must stop: a renewal that finds the cycle
 * cancelled, or the phase owned by another worker or moved on, stops the claim, which kills the
 * running agent; so does a phase that runs past the maximum phase time, and a claim that could not
 * renew its lease (NATS out of reach) by its renew deadline: the lease's end less the clock-skew
 * margin, after which another worker may take the phase over.
 */
final class Heartbeat implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Heartbeat.class);

  private final Claim claim;
  private final Message message;
  private final WorkerSettings settings;
  private final ScheduledExecutorService guard;
  private final long startedNanos = System.nanoTime();
  private volatile long renewedNanos = startedNanos; // the claim wrote the first lease
  private ScheduledFuture<?> task;
  private ScheduledFuture<?> deadline;

  private Heartbeat(
      Claim claim, Message message, WorkerSettings settings, ScheduledExecutorService guard) {
    this.claim = claim;
    this.message = message;
    this.settings = settings;
    this.guard = guard;
  }

  /**
   * Starts beating on {@code timer}. The renew deadline is watched on {@code guard}, a timer of its
   * own: a renewal blocked on an unreachable NATS holds the beating thread for its whole timeout.
   */
  static Heartbeat start(
      ScheduledExecutorService timer,
      ScheduledExecutorService guard,
      Claim claim,
      Message message,
      WorkerSettings settings) {
    Heartbeat heartbeat = new Heartbeat(claim, message, settings, guard);
    long every = settings.heartbeatEvery().toMillis();
    synchronized (heartbeat) {
      // Fixed delay, not fixed rate: beats that a busy timer let fall behind must not come in a
      // burst to catch up, so a phase never renews more than once per interval.
      heartbeat.task =
          timer.scheduleWithFixedDelay(heartbeat::beat, every, every, TimeUnit.MILLISECONDS);
      heartbeat.armDeadline();
    }
    return heartbeat;
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
    disarm();
  }

  private void beat() {
    if (claim.stopReason() != StopReason.NONE) {
      return;
    }
    String cycleId = claim.state().cycleId();
    Duration ran = Duration.ofNanos(System.nanoTime() - startedNanos);
    if (ran.compareTo(settings.maxPhaseTime()) > 0) {
      LOG.warnf(
          "cycle=%s phase=%s ran %s, longer than the maximum phase time %s: stopping it",
          cycleId, claim.what(), ran, settings.maxPhaseTime());
      claim.stop(StopReason.PHASE_TIME_EXCEEDED);
      return;
    }
    try {
      claim.renewLease(settings.ackWait());
      message.inProgress();
      renewedNanos = System.nanoTime();
      armDeadline();
      runTasks(cycleId);
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        LOG.infof("cycle=%s phase=%s cancel noticed by the heartbeat", cycleId, claim.what());
        claim.stop(StopReason.CANCELLED);
      } else if (e.code() == ErrorCode.CONFLICT || e.code() == ErrorCode.NOT_FOUND) {
        LOG.warnf(
            "cycle=%s phase=%s lease lost, stopping the agent: %s",
            cycleId, claim.what(), e.getMessage());
        claim.stop(StopReason.LEASE_LOST);
      } else {
        LOG.warnf("cycle=%s phase=%s heartbeat: %s", cycleId, claim.what(), e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.warnf("cycle=%s phase=%s heartbeat failed: %s", cycleId, claim.what(), e.getMessage());
    }
  }

  /** The tasks the logic asked to run with each beat; one that fails waits for the next. */
  private void runTasks(String cycleId) {
    for (Runnable task : claim.beatTasks()) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warnf("cycle=%s phase=%s heartbeat task: %s", cycleId, claim.what(), e.getMessage());
      }
    }
  }

  /**
   * Stops the claim at its renew deadline, counted from the last renewal, unless one comes first.
   */
  private synchronized void armDeadline() {
    if (task == null) {
      return;
    }
    disarm();
    long left = renewedNanos + settings.renewDeadline().toNanos() - System.nanoTime();
    deadline = guard.schedule(this::expireUnlessRenewed, Math.max(0, left), TimeUnit.NANOSECONDS);
  }

  private synchronized void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void expireUnlessRenewed() {
    Duration since = Duration.ofNanos(System.nanoTime() - renewedNanos);
    if (since.compareTo(settings.renewDeadline()) < 0) {
      armDeadline(); // renewed meanwhile, or the timer woke a little early
      return;
    }
    if (claim.stopReason() == StopReason.NONE) {
      LOG.warnf(
          "cycle=%s phase=%s could not renew its lease for %s (renew deadline %s): another worker"
              + " may take the phase over, stopping the agent",
          claim.state().cycleId(), claim.what(), since, settings.renewDeadline());
      claim.stop(StopReason.LEASE_LOST);
    }
  }
}

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
 * running agent; so does a phase that runs past the maximum phase time.
 */
final class Heartbeat implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Heartbeat.class);

  private final ClaimedPhase claim;
  private final Message message;
  private final WorkerSettings settings;
  private final long startedNanos = System.nanoTime();
  private ScheduledFuture<?> task;

  private Heartbeat(ClaimedPhase claim, Message message, WorkerSettings settings) {
    this.claim = claim;
    this.message = message;
    this.settings = settings;
  }

  static Heartbeat start(
      ScheduledExecutorService timer,
      ClaimedPhase claim,
      Message message,
      WorkerSettings settings) {
    Heartbeat heartbeat = new Heartbeat(claim, message, settings);
    long every = settings.heartbeatEvery().toMillis();
    heartbeat.task =
        timer.scheduleAtFixedRate(heartbeat::beat, every, every, TimeUnit.MILLISECONDS);
    return heartbeat;
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
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
          cycleId, claim.phase(), ran, settings.maxPhaseTime());
      claim.stop(StopReason.PHASE_TIME_EXCEEDED);
      return;
    }
    try {
      claim.renewLease(settings.ackWait());
      message.inProgress();
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        LOG.infof("cycle=%s phase=%s cancel noticed by the heartbeat", cycleId, claim.phase());
        claim.stop(StopReason.CANCELLED);
      } else if (e.code() == ErrorCode.CONFLICT || e.code() == ErrorCode.NOT_FOUND) {
        LOG.warnf(
            "cycle=%s phase=%s lease lost, stopping the agent: %s",
            cycleId, claim.phase(), e.getMessage());
        claim.stop(StopReason.LEASE_LOST);
      } else {
        LOG.warnf("cycle=%s phase=%s heartbeat: %s", cycleId, claim.phase(), e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.warnf("cycle=%s phase=%s heartbeat failed: %s", cycleId, claim.phase(), e.getMessage());
    }
  }
}

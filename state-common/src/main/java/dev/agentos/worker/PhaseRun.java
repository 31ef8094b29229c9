package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import io.nats.client.Message;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a role's logic for one claim, with a heartbeat beside it, and says how it ended. Nothing
 * here writes the outcome: {@link Settlement} does, after {@link FailurePolicy} decided about a
 * failure.
 */
final class PhaseRun {
  /** How the logic ended: with an outcome, or with a failure. */
  sealed interface Ending {
    record Outcome(PhaseOutcome outcome) implements Ending {}

    record Failed(Failure failure, Exception cause) implements Ending {}
  }

  private final PhaseLogic logic;
  private final WorkerSettings settings;
  private final ScheduledExecutorService heartbeats;
  private final ScheduledExecutorService leaseGuard;
  private final FaultPoints faults;

  PhaseRun(
      PhaseLogic logic,
      WorkerSettings settings,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService leaseGuard,
      FaultPoints faults) {
    this.logic = logic;
    this.settings = settings;
    this.heartbeats = heartbeats;
    this.leaseGuard = leaseGuard;
    this.faults = faults;
  }

  Ending run(ClaimedPhase claim, Message message) {
    claim.runsOn(Thread.currentThread());
    Failure failure;
    Exception cause;
    try (Heartbeat heartbeat = Heartbeat.start(heartbeats, leaseGuard, claim, message, settings)) {
      faults.beforeLogic(logic.phase());
      PhaseOutcome outcome = logic.run(claim);
      StopReason stop = claim.stopReason();
      if (stop != StopReason.LEASE_LOST && stop != StopReason.CANCELLED) {
        return new Ending.Outcome(outcome);
      }
      // The logic finished just as the claim was stopped: the stop decides, not the outcome.
      failure = Failure.of(ErrorCode.CANCELLED, "the phase was stopped");
      cause = null;
    } catch (AgentOsException e) {
      failure = Failure.of(e);
      cause = e;
    } catch (InterruptedException e) {
      failure = Failure.of(ErrorCode.CANCELLED, "the phase was interrupted");
      cause = e;
    } catch (Exception e) {
      failure = Failure.of(ErrorCode.INTERNAL, String.valueOf(e.getMessage()));
      cause = e;
    } finally {
      claim.ran();
    }
    // Whatever the interrupted logic threw on its way out, a stop the worker made is the cause.
    return new Ending.Failed(failure.after(claim.stopReason()), cause);
  }
}

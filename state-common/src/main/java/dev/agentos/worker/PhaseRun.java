package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.Phase;
import io.nats.client.Message;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a role's logic for one claim (of a phase, or of one step), with a heartbeat beside it, and
 * says how it ended. Nothing here writes the result: {@link Settlement} or {@link StepDelivery}
 * does, after {@link FailurePolicy} decided about a failure.
 */
final class PhaseRun {
  /** How the logic ended: with its result, or with a failure. */
  sealed interface Ending<T> {
    record Done<T>(T result) implements Ending<T> {}

    record Failed<T>(Failure failure, Exception cause) implements Ending<T> {}
  }

  /** The logic to run under the claim. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws Exception;
  }

  private final WorkerSettings settings;
  private final ScheduledExecutorService heartbeats;
  private final ScheduledExecutorService leaseGuard;
  private final FaultPoints faults;

  PhaseRun(
      WorkerSettings settings,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService leaseGuard,
      FaultPoints faults) {
    this.settings = settings;
    this.heartbeats = heartbeats;
    this.leaseGuard = leaseGuard;
    this.faults = faults;
  }

  <T> Ending<T> run(RunningClaim claim, Message message, Phase phase, Work<T> work) {
    claim.runsOn(Thread.currentThread());
    Failure failure;
    Exception cause;
    try (Heartbeat heartbeat = Heartbeat.start(heartbeats, leaseGuard, claim, message, settings)) {
      faults.beforeLogic(phase);
      T result = work.run();
      StopReason stop = claim.stopReason();
      if (stop != StopReason.LEASE_LOST && stop != StopReason.CANCELLED) {
        return new Ending.Done<>(result);
      }
      // The logic finished just as the claim was stopped: the stop decides, not the result.
      failure = Failure.of(ErrorCode.CANCELLED, "the work was stopped");
      cause = null;
    } catch (AgentOsException e) {
      failure = Failure.of(e);
      cause = e;
    } catch (InterruptedException e) {
      failure = Failure.of(ErrorCode.CANCELLED, "the work was interrupted");
      cause = e;
    } catch (Exception e) {
      failure = Failure.of(ErrorCode.INTERNAL, String.valueOf(e.getMessage()));
      cause = e;
    } finally {
      claim.ran();
    }
    // Whatever the interrupted logic threw on its way out, a stop the worker made is the cause.
    return new Ending.Failed<>(failure.after(claim.stopReason()), cause);
  }
}

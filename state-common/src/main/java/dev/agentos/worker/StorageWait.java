package dev.agentos.worker;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps trying a claimed phase's write that JetStream refused for room (STORAGE_FULL: a stream,
 * bucket or the object store at its maximum size, or the account at its limits), with backoff, for
 * up to the configured wait: room freed meanwhile (retention, an operator) lets the phase go on
 * with nothing lost. What the phase did stays in memory while it waits, so no agent runs again; the
 * heartbeat keeps the claim on its own thread. Past the wait, or once the claim is stopped, the
 * refusal is thrown: the failure policy pauses the cycle with it.
 */
final class StorageWait {
  static final Duration FIRST_DELAY = Duration.ofMillis(250);
  static final Duration MAX_DELAY = Duration.ofSeconds(10);

  private final Duration wait;
  private final BooleanSupplier stopped;
  private final Consumer<AgentOsException> waiting;

  /**
   * @param stopped whether the claim was stopped (then waiting is pointless)
   * @param waiting told of the first refusal of each write, before the wait starts
   */
  StorageWait(Duration wait, BooleanSupplier stopped, Consumer<AgentOsException> waiting) {
    this.wait = wait;
    this.stopped = stopped;
    this.waiting = waiting;
  }

  <T> T write(Supplier<T> write) {
    long deadline = System.nanoTime() + wait.toNanos();
    Duration delay = FIRST_DELAY;
    boolean told = false;
    while (true) {
      try {
        return write.get();
      } catch (AgentOsException e) {
        if (e.code() != ErrorCode.STORAGE_FULL
            || stopped.getAsBoolean()
            || System.nanoTime() + delay.toNanos() > deadline) {
          throw e;
        }
        if (!told) {
          waiting.accept(e);
          told = true;
        }
        try {
          Thread.sleep(delay.toMillis()); // a backoff, interrupted when the claim is stopped
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
      }
    }
  }
}

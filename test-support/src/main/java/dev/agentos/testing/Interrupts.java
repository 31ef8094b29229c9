package dev.agentos.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Cancels a call the way the phase worker does: by interrupting the thread that runs it. */
public final class Interrupts {
  private Interrupts() {}

  /**
   * What a cancelled call did.
   *
   * @param thrown what the call threw (null if it returned)
   * @param flagStillSet whether its thread's interrupt flag was set when it threw
   * @param took from the interrupt until the call had returned
   */
  public record Cancelled(Throwable thrown, boolean flagStillSet, Duration took) {}

  /**
   * Runs {@code call} on a thread of its own, waits with {@code awaitStarted} until it is under
   * way, interrupts it and waits up to {@code within} for it to return.
   */
  public static Cancelled interruptOnceStarted(
      Runnable awaitStarted, Runnable call, Duration within) {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagged = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                call.run();
              } catch (Throwable e) {
                thrown.set(e);
                flagged.set(Thread.currentThread().isInterrupted());
              }
            },
            "cancelled-caller");
    caller.start();
    awaitStarted.run();
    long interrupted = System.nanoTime();
    caller.interrupt();
    Await.until(within, "the cancelled call to return", () -> !caller.isAlive());
    return new Cancelled(
        thrown.get(), flagged.get(), Duration.ofNanos(System.nanoTime() - interrupted));
  }
}

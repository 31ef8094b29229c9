package dev.agentos.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline: the only way tests wait for something to happen. */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(25);

  private Await() {}

  /** Polls {@code check} until it is true; fails with {@code what} once {@code timeout} passes. */
  public static void until(Duration timeout, String what, BooleanSupplier check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.getAsBoolean()) {
          return;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      pause();
    }
    AssertionError failure =
        new AssertionError("timed out after " + timeout + " waiting for " + what);
    if (last != null) {
      failure.initCause(last);
    }
    throw failure;
  }

  /** Polls {@code value} until it is non-null and returns it; fails after {@code timeout}. */
  public static <T> T value(Duration timeout, String what, Supplier<T> value) {
    Object[] holder = new Object[1];
    until(
        timeout,
        what,
        () -> {
          holder[0] = value.get();
          return holder[0] != null;
        });
    @SuppressWarnings("unchecked")
    T result = (T) holder[0];
    return result;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}

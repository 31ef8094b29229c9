package dev.agentos.concurrent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A task run again and again on a daemon thread of its own, {@code every} apart from the end of one
 * run to the start of the next; a run that throws is handed to {@code failed} and the next run
 * still comes. Closing it stops it.
 */
public final class Periodic implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private Periodic(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  public static Periodic start(
      String thread, Duration every, Runnable task, Consumer<RuntimeException> failed) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(thread));
    long millis = every.toMillis();
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            failed.accept(e);
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
    return new Periodic(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

package dev.agentos.nats;

import dev.agentos.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A background thread that pulls one item at a time from a durable consumer and hands it on. When
 * NATS is away (a restart, a network fault) it waits a second and pulls again: the connection
 * reconnects by itself and the items wait in their stream. A handler that throws is logged and the
 * loop goes on: the item it failed on comes back by redelivery.
 */
public final class PullLoop implements AutoCloseable {
  public static final Duration PULL_WAIT = Duration.ofSeconds(2);
  private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(1);
  private static final Logger LOG = Logger.getLogger(PullLoop.class);

  /** Where items come from: the next one, or empty when none came within {@code wait}. */
  @FunctionalInterface
  public interface Source<T> {
    Optional<T> next(Duration wait) throws Exception;
  }

  private final String name;
  private final ExecutorService thread;
  private volatile boolean running = true;

  private PullLoop(String name) {
    this.name = name;
    this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named(name));
  }

  public static <T> PullLoop start(String name, Source<T> source, Consumer<T> handler) {
    PullLoop loop = new PullLoop(name);
    loop.thread.submit(() -> loop.run(source, handler));
    return loop;
  }

  private <T> void run(Source<T> source, Consumer<T> handler) {
    while (running) {
      Optional<T> item;
      try {
        item = source.next(PULL_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.debugf("%s cannot pull: %s", name, e.getMessage());
        pause();
        continue;
      }
      item.ifPresent(next -> handle(handler, next));
    }
  }

  private <T> void handle(Consumer<T> handler, T item) {
    try {
      handler.accept(item);
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s failed on an item; it will be redelivered", name);
    }
  }

  /** Stops pulling at once and interrupts the item being handled, if any. */
  @Override
  public void close() {
    stopPulling();
    awaitStopped(Duration.ZERO);
  }

  /** Takes no more items; the item being handled, if any, goes on. */
  public void stopPulling() {
    running = false;
    thread.shutdown();
  }

  /**
   * Waits up to {@code grace} for the item being handled to finish, then interrupts it and waits a
   * last pull's time for the thread to end.
   */
  public void awaitStopped(Duration grace) {
    try {
      if (!thread.awaitTermination(Math.max(grace.toMillis(), 0), TimeUnit.MILLISECONDS)) {
        thread.shutdownNow();
        thread.awaitTermination(PULL_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }

  /** Whether the loop's thread has ended. */
  public boolean isStopped() {
    return thread.isTerminated();
  }

  private void pause() {
    try {
      Thread.sleep(OUTAGE_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}

package dev.agentos.nats;

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
 * reconnects by itself and the items wait in their stream.
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
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  public static <T> PullLoop start(String name, Source<T> source, Consumer<T> handler) {
    PullLoop loop = new PullLoop(name);
    loop.thread.submit(() -> loop.run(source, handler));
    return loop;
  }

  private <T> void run(Source<T> source, Consumer<T> handler) {
    while (running) {
      try {
        source.next(PULL_WAIT).ifPresent(handler);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.debugf("%s cannot pull: %s", name, e.getMessage());
        pause();
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.shutdownNow();
    try {
      thread.awaitTermination(PULL_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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

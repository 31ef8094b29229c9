package dev.agentos.cli;

import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows one cycle through a KV watch of {@code cycle.<id>} until it stops: COMPLETED, FAILED or
 * CANCELLED, or waiting for a person (PAUSED, AWAITING_APPROVAL, NEEDS_INPUT). Returns the matching
 * exit code.
 */
final class CycleWatcher {
  private static final Object END_OF_DATA = new Object();
  private static final Duration TICK = Duration.ofSeconds(1);

  private final AgentOsClient client;
  private final PrintWriter out;
  private final Style style;
  private final boolean terminal;

  CycleWatcher(AgentOsClient client, PrintWriter out, Style style, boolean terminal) {
    this.client = client;
    this.out = out;
    this.style = style;
    this.terminal = terminal;
  }

  /** Watches until the cycle stops, or {@code timeout} (null: no limit) passes. */
  int watch(String cycleId, Duration timeout) {
    if (!client.readsCycles()) {
      return watchAsTeam(cycleId, timeout);
    }
    KeyValue kv = client.cycles();
    BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
    KeyValueWatcher watcher =
        new KeyValueWatcher() {
          @Override
          public void watch(KeyValueEntry entry) {
            updates.add(entry);
          }

          @Override
          public void endOfData() {
            updates.add(END_OF_DATA);
          }
        };
    NatsKeyValueWatchSubscription subscription;
    try {
      subscription = kv.watch(Topology.cycleKey(cycleId), watcher);
    } catch (IOException | JetStreamApiException e) {
      throw client.missingTopology("the KV bucket " + Topology.CYCLES_BUCKET, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.UNREACHABLE, "interrupted");
    }
    try {
      return follow(cycleId, updates, timeout);
    } finally {
      subscription.unsubscribe();
    }
  }

  /**
   * A team's account reads no KV: it follows the cycle's events (its account imports them) and asks
   * {@code agentos.api.status} after each one, and once a {@link #TICK} besides, so a lost event
   * delays the view by a tick at most.
   */
  private int watchAsTeam(String cycleId, Duration timeout) {
    BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
    updates.add(client.status(cycleId));
    io.nats.client.Dispatcher events =
        client.subscribeEvents(cycleId, event -> updates.add(statusOrError(cycleId)));
    java.util.concurrent.ScheduledExecutorService ticks =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "agentos-watch-tick");
              t.setDaemon(true);
              return t;
            });
    ticks.scheduleWithFixedDelay(
        () -> updates.add(statusOrError(cycleId)),
        TICK.toMillis(),
        TICK.toMillis(),
        TimeUnit.MILLISECONDS);
    try {
      return follow(cycleId, updates, timeout);
    } finally {
      ticks.shutdownNow();
      client.closeQuietly(events);
    }
  }

  private Object statusOrError(String cycleId) {
    try {
      return client.status(cycleId);
    } catch (CliException e) {
      return e;
    }
  }

  private int follow(String cycleId, BlockingQueue<Object> updates, Duration timeout) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    CycleState last = null;
    String lastKey = null;
    int drawn = 0;
    while (true) {
      Object item;
      try {
        item = updates.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCode.UNREACHABLE, "interrupted while watching " + cycleId);
      }
      if (item == END_OF_DATA) {
        if (last == null) {
          throw CliException.unknownCycle(cycleId);
        }
        continue;
      }
      if (item instanceof CliException e) {
        throw e;
      }
      if (item instanceof CycleState state) {
        last = state;
      }
      if (item instanceof KeyValueEntry entry) {
        if (entry.getOperation() != KeyValueOperation.PUT) {
          throw new CliException(
              ExitCode.NOT_FOUND, "cycle " + cycleId + " was deleted from the cycles bucket");
        }
        last = CycleStore.decode(entry.getValue());
      }
      if (last != null) {
        Instant now = Instant.now();
        if (terminal) {
          drawn = redraw(WatchView.frame(last, now, style), drawn);
        } else {
          String key = WatchView.key(last);
          if (!key.equals(lastKey)) {
            out.println(WatchView.line(last, now));
            out.flush();
            lastKey = key;
          }
        }
        int outcome = ExitCode.ofCycle(last.status());
        if (outcome >= 0) {
          WatchView.outcome(last, now, style).forEach(out::println);
          out.flush();
          return outcome;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new CliException(
            ExitCode.TIMEOUT,
            "cycle "
                + cycleId
                + " is still "
                + (last == null ? "unknown" : last.status())
                + " after "
                + Elapsed.brief(timeout)
                + "; it goes on: `agentos watch "
                + cycleId
                + "` again, or `agentos cancel "
                + cycleId
                + "`");
      }
    }
  }

  /** Moves the cursor up over the last frame and draws the new one in its place. */
  private int redraw(List<String> frame, int previousLines) {
    if (previousLines > 0) {
      out.print("\u001B[" + previousLines + "F\u001B[J");
    }
    frame.forEach(out::println);
    out.flush();
    return frame.size();
  }
}

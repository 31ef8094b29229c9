package dev.agentos.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The live cycles list every open page shares: loaded from {@code agentos.api.list}, kept current
 * by the events (each event of a cycle reads its status once more), and read again in full every
 * {@code resync} to catch what no event said. Pages are told of each changed row and each event.
 */
public final class CycleBoard implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CycleBoard.class);

  /** What a page is told: a changed row ({@code row}) or a cycle's event as published. */
  public record Update(String type, Object data) {}

  private final ConsoleNats nats;
  private final int limit;
  private final Map<String, CycleRow> rows = new ConcurrentHashMap<>();
  private final Set<String> stale = ConcurrentHashMap.newKeySet();
  private final List<Consumer<Update>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("console-board"));
  private AutoCloseable events;

  public CycleBoard(ConsoleNats nats, int limit) {
    this.nats = nats;
    this.limit = limit;
  }

  /** Subscribes to the events and loads the list now and every {@code resync}. */
  public CycleBoard start(Duration resync) {
    events = nats.onEvents(this::onEvent);
    worker.scheduleWithFixedDelay(this::resync, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The rows, newest first. */
  public List<CycleRow> rows() {
    return rows.values().stream()
        .sorted(
            Comparator.comparing(
                CycleRow::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
        .toList();
  }

  public AutoCloseable listen(Consumer<Update> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void onEvent(JsonNode event) {
    tell(new Update("event", event));
    String cycleId = event.path("cycle_id").asText("");
    // Coalesced: a burst of events of one cycle reads its status once.
    if (!cycleId.isEmpty() && stale.add(cycleId)) {
      worker.execute(() -> refresh(cycleId));
    }
  }

  private void refresh(String cycleId) {
    stale.remove(cycleId);
    try {
      put(CycleRow.of(nats.call("status", Map.of("cycle_id", cycleId))));
    } catch (ApiCallException e) {
      LOG.debugf("cycle=%s not refreshed: %s", cycleId, e.getMessage());
    }
  }

  private void resync() {
    try {
      JsonNode list = nats.call("list", Map.of("limit", limit));
      for (JsonNode summary : list.path("cycles")) {
        String cycleId = summary.path("cycle_id").asText();
        CycleRow known = rows.get(cycleId);
        if (known == null
            || !java.util.Objects.equals(
                known.updatedAt(), summary.path("updated_at").asText(null))) {
          refresh(cycleId);
        }
      }
    } catch (ApiCallException e) {
      LOG.debugf("cycles list not read: %s", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warnf(e, "cycles list not read");
    }
  }

  private void put(CycleRow row) {
    CycleRow before = rows.put(row.cycleId(), row);
    if (!row.equals(before)) {
      tell(new Update("row", row));
    }
    if (rows.size() > limit) {
      // Bounded: the oldest cycles leave the live list (History still has them).
      rows().stream().skip(limit).forEach(old -> rows.remove(old.cycleId()));
    }
  }

  private void tell(Update update) {
    for (Consumer<Update> listener : listeners) {
      try {
        listener.accept(update);
      } catch (RuntimeException e) {
        listeners.remove(listener);
      }
    }
  }

  @Override
  public void close() throws Exception {
    worker.shutdownNow();
    if (events != null) {
      events.close();
    }
  }
}

package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one KV read-modify-write against a real nats-server, with real lost races. */
class CompareAndSetIT {
  private static final String KEY = "counter";

  private static TestNats nats;
  private static Connection nc;
  private KeyValue kv;
  private CompareAndSet<Integer> counters;

  @BeforeAll
  static void start() {
    nats = TestNats.start();
    nc = nats.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    nc.close();
    nats.close();
  }

  @BeforeEach
  void freshBucket() throws Exception {
    String bucket = "cas-" + System.nanoTime();
    nc.keyValueManagement()
        .create(
            KeyValueConfiguration.builder()
                .name(bucket)
                .maxHistoryPerKey(5)
                .storageType(StorageType.Memory)
                .build());
    kv = nc.keyValue(bucket);
    counters =
        new CompareAndSet<>(
            kv,
            bytes -> Integer.valueOf(new String(bytes, StandardCharsets.UTF_8)),
            n -> String.valueOf(n).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void createsAKeyThatHasNoValueAndUpdatesItWithTheRevisionRead() {
    CompareAndSet.Read<Integer> created = counters.update(KEY, n -> n == null ? 1 : n + 1);
    CompareAndSet.Read<Integer> updated = counters.update(KEY, n -> n == null ? 1 : n + 1);

    assertEquals(1, created.value());
    assertEquals(2, updated.value());
    assertEquals(updated.revision(), counters.get(KEY).orElseThrow().revision());
  }

  @Test
  void createsAgainAfterTheValueWasDeleted() throws Exception {
    counters.update(KEY, n -> 7);
    kv.delete(KEY);

    assertEquals(8, counters.update(KEY, n -> n == null ? 8 : n + 100).value());
  }

  @Test
  void returningTheSameInstanceWritesNothing() throws Exception {
    CompareAndSet.Read<Integer> first = counters.update(KEY, n -> 1000);

    CompareAndSet.Read<Integer> same = counters.update(KEY, n -> n);

    assertEquals(first.revision(), same.revision());
    assertEquals(first.revision(), kv.get(KEY).getRevision());
  }

  @Test
  void aLostRaceIsReadAgainAndTheChangeAppliedToTheNewValue() throws Exception {
    counters.update(KEY, n -> 1);
    AtomicInteger calls = new AtomicInteger();

    CompareAndSet.Read<Integer> result =
        counters.update(
            KEY,
            n -> {
              if (calls.incrementAndGet() == 1) {
                put("10"); // another writer gets in between our read and our write
              }
              return n + 1;
            });

    assertEquals(2, calls.get(), "the change ran again on the value the other writer left");
    assertEquals(11, result.value());
    assertEquals(11, counters.get(KEY).orElseThrow().value());
  }

  @Test
  void aKnownValueThatIsStaleIsReadAgain() {
    CompareAndSet.Read<Integer> known = counters.update(KEY, n -> 1);
    counters.update(KEY, n -> 5);

    assertEquals(6, counters.update(known, n -> n + 1).value());
  }

  @Test
  void givingUpAfterEveryAttemptLostIsAConflictAndWritesNothingOfOurs() {
    counters.update(KEY, n -> 1);
    AtomicInteger calls = new AtomicInteger();

    AgentOsException e =
        assertThrows(
            AgentOsException.class,
            () ->
                counters.update(
                    KEY,
                    n -> {
                      put("-" + calls.incrementAndGet());
                      return 42;
                    }));

    assertEquals(ErrorCode.CONFLICT, e.code());
    assertEquals(CompareAndSet.MAX_ATTEMPTS, calls.get());
    assertEquals(-CompareAndSet.MAX_ATTEMPTS, counters.get(KEY).orElseThrow().value());
  }

  @Test
  void concurrentWritersLoseNoUpdate() throws Exception {
    int writers = 4;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    counters.update(KEY, n -> n == null ? 1 : n + 1);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(writers * each, counters.get(KEY).orElseThrow().value());
  }

  @Test
  void leavingAnAbsentKeyAbsentWritesNothing() throws Exception {
    assertEquals(Optional.empty(), counters.get(KEY));

    assertNull(counters.update(KEY, n -> n).value());
    assertNull(kv.get(KEY));
  }

  /** Another writer's plain put: the race the helper exists for. */
  private void put(String value) {
    try {
      kv.put(KEY, value.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

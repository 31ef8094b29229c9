package dev.agentos.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.testing.Await;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fetcher against a real nats-server: it runs no more messages than it has slots, keeps at most
 * one pull request waiting however many slots it has, asks only for what it can start, and gives
 * back what arrives once it stops.
 */
class WorkFetcherIT {
  private static final Duration ACK_WAIT = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger STREAMS = new AtomicInteger();

  private static TestNats nats;
  private static Connection nc;

  @BeforeAll
  static void start() {
    nats = TestNats.start();
    nc = nats.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  /** A work-queue stream of its own, with one durable pull consumer; returns its subject. */
  private record Queue(String stream, String subject, ConsumerContext consumer) {
    void publish(int count) throws Exception {
      for (int i = 1; i <= count; i++) {
        nc.jetStream().publish(subject, String.valueOf(i).getBytes(StandardCharsets.UTF_8));
      }
    }

    ConsumerInfo info() {
      try {
        return nc.jetStreamManagement().getConsumerInfo(stream, "work");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Queue queue() throws Exception {
    int n = STREAMS.incrementAndGet();
    String stream = "FETCH_" + n;
    String subject = "fetch." + n;
    JetStreamManagement jsm = nc.jetStreamManagement();
    jsm.addStream(
        StreamConfiguration.builder()
            .name(stream)
            .subjects(subject)
            .retentionPolicy(RetentionPolicy.WorkQueue)
            .storageType(StorageType.Memory)
            .build());
    jsm.addOrUpdateConsumer(
        stream,
        ConsumerConfiguration.builder()
            .durable("work")
            .ackPolicy(AckPolicy.Explicit)
            .ackWait(ACK_WAIT)
            .maxAckPending(10_000)
            .build());
    return new Queue(stream, subject, nc.getConsumerContext(stream, "work"));
  }

  /** Holds every message until the gate opens, and records who ran what in which slot. */
  private static final class Gated implements WorkFetcher.Handler {
    final CountDownLatch gate = new CountDownLatch(1);
    final Set<Integer> busySlots = ConcurrentHashMap.newKeySet();
    final List<String> ran = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final AtomicInteger slotClashes = new AtomicInteger();
    final AtomicInteger highestSlot = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();

    @Override
    public void handle(Message message, int slot) {
      if (!busySlots.add(slot)) {
        slotClashes.incrementAndGet();
      }
      highestSlot.accumulateAndGet(slot, Math::max);
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("the gate never opened");
        }
        ran.add(new String(message.getData(), StandardCharsets.UTF_8));
        message.ack();
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
      } finally {
        running.decrementAndGet();
        busySlots.remove(slot);
      }
    }
  }

  @Test
  void runsNoMoreThanItsSlotsAndAsksOnlyForWhatItCanStart() throws Exception {
    Queue queue = queue();
    queue.publish(25);
    Gated handler = new Gated();
    try (WorkFetcher fetcher = WorkFetcher.start("test-fetch", queue.consumer(), 10, handler)) {
      Await.until(WAIT, "10 messages running", () -> handler.running.get() == 10);
      // With every slot taken, nothing more is delivered and no pull request waits.
      Await.until(
          WAIT,
          "the consumer to show 10 delivered and no request waiting",
          () -> queue.info().getNumAckPending() == 10 && queue.info().getNumWaiting() == 0);
      assertEquals(15, queue.info().getNumPending(), "the rest stays in the stream for others");

      handler.gate.countDown();
      Await.until(WAIT, "all 25 messages run", () -> handler.ran.size() == 25);
      assertEquals(25, new HashSet<>(handler.ran).size(), "each message ran once");
      assertEquals(10, handler.mostAtOnce.get());
      assertEquals(0, handler.slotClashes.get(), "two messages never share a slot");
      assertTrue(handler.highestSlot.get() <= 10, "slots are numbered 1 to 10");
      Await.until(WAIT, "every slot free again", () -> fetcher.running() == 0);
    }
  }

  @Test
  void keepsOnePullRequestWaitingHoweverManySlotsItHas() throws Exception {
    Queue queue = queue();
    Gated handler = new Gated();
    try (WorkFetcher fetcher = WorkFetcher.start("test-fetch", queue.consumer(), 2_000, handler)) {
      Await.until(WAIT, "the idle fetcher's request", () -> queue.info().getNumWaiting() == 1);

      queue.publish(300);
      Await.until(WAIT, "300 messages running at once", () -> handler.running.get() == 300);
      assertEquals(300, fetcher.running());
      assertTrue(queue.info().getNumWaiting() <= 1, "at most one request waits");
      assertEquals(0, handler.slotClashes.get());

      handler.gate.countDown();
      Await.until(WAIT, "all 300 run", () -> handler.ran.size() == 300);
      assertEquals(300, new HashSet<>(handler.ran).size());
    }
  }

  @Test
  void aHandlerThatThrowsFreesItsSlot() throws Exception {
    Queue queue = queue();
    List<String> ran = new CopyOnWriteArrayList<>();
    queue.publish(3);
    try (WorkFetcher fetcher =
        WorkFetcher.start(
            "test-fetch",
            queue.consumer(),
            1,
            (message, slot) -> {
              String body = new String(message.getData(), StandardCharsets.UTF_8);
              ran.add(body);
              if (body.equals("1")) {
                throw new IllegalStateException("the handler fails on message 1");
              }
              message.ack();
            })) {
      Await.until(WAIT, "messages 2 and 3 run in the one slot", () -> ran.size() == 3);
      assertEquals(List.of("1", "2", "3"), ran);
      assertEquals(1, queue.info().getNumAckPending(), "message 1 waits for its redelivery");
    }
  }

  @Test
  void aStoppedFetcherGivesBackWhatArrivesAndLetsRunningMessagesFinish() throws Exception {
    Queue queue = queue();
    Gated handler = new Gated();
    WorkFetcher fetcher = WorkFetcher.start("test-fetch", queue.consumer(), 3, handler);
    try {
      queue.publish(1);
      Await.until(WAIT, "message 1 running", () -> handler.running.get() == 1);
      // Two slots are free, so a request for two waits on the server while the fetcher stops.
      Await.until(WAIT, "the fetcher's request", () -> queue.info().getNumWaiting() == 1);
      fetcher.stopFetching();
      nc.jetStream().publish(queue.subject(), "2".getBytes(StandardCharsets.UTF_8));
      nc.jetStream().publish(queue.subject(), "3".getBytes(StandardCharsets.UTF_8));

      // Given back long before their AckWait, and delivered to the stopped fetcher at most once.
      Set<String> other = new HashSet<>();
      long deadline = System.nanoTime() + ACK_WAIT.dividedBy(2).toNanos();
      while (other.size() < 2 && System.nanoTime() < deadline) {
        Message m = queue.consumer().next(Duration.ofSeconds(1));
        if (m != null) {
          other.add(new String(m.getData(), StandardCharsets.UTF_8));
          assertTrue(m.metaData().deliveredCount() <= 2, "no redelivery storm");
          m.ack();
        }
      }
      assertEquals(Set.of("2", "3"), other, "another consumer gets what came after the stop");
      assertEquals(1, handler.mostAtOnce.get(), "nothing started after the stop");

      handler.gate.countDown();
      fetcher.awaitStopped(WAIT);
      assertTrue(fetcher.isStopped());
      assertEquals(List.of("1"), handler.ran, "the running message finished");
      assertEquals(0, handler.interrupted.get());
    } finally {
      fetcher.close();
    }
  }

  @Test
  void closingInterruptsWhatStillRunsAfterTheGrace() throws Exception {
    Queue queue = queue();
    queue.publish(2);
    Gated handler = new Gated();
    WorkFetcher fetcher = WorkFetcher.start("test-fetch", queue.consumer(), 2, handler);
    Await.until(WAIT, "both running", () -> handler.running.get() == 2);
    fetcher.stopFetching();
    fetcher.awaitStopped(Duration.ofMillis(100));
    assertTrue(fetcher.isStopped());
    assertEquals(2, handler.interrupted.get(), "each running message was interrupted");
    assertTrue(handler.ran.isEmpty(), "neither finished");
    assertEquals(2, queue.info().getNumAckPending(), "both wait for their redelivery");
  }
}

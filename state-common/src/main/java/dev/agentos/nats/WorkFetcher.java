package dev.agentos.nats;

import dev.agentos.concurrent.DaemonThreads;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Pulls a durable consumer's messages in batches sized to the free slots, on one thread, and runs
 * each message on a thread of its own, in a slot of its own, until its handler returns. A process
 * holding thousands of slots thus keeps at most one pull request waiting on the consumer (a
 * consumer's waiting requests are capped, 512 by default, and each one costs the server work), and
 * asks only for what it can start now, so a busy replica never hoards messages an idle one could
 * run.
 *
 * <p>When NATS is away (a restart, a network fault) it waits a second and pulls again: the
 * connection reconnects by itself and the messages wait in their stream. A handler that throws is
 * logged and its slot is freed: the message comes back by redelivery.
 */
public final class WorkFetcher implements AutoCloseable {
  /**
   * How long one pull request waits on the server for its batch: short enough that slots freed
   * while it waits are asked for soon and a stop is noticed soon, long enough that an idle process
   * makes one request every two seconds.
   */
  public static final Duration FETCH_EXPIRY = Duration.ofSeconds(2);

  /** Outlasts the waiting pull request (its client side ends 10% after the expiry). */
  static final Duration GIVE_BACK_DELAY = FETCH_EXPIRY.multipliedBy(3).dividedBy(2);

  private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(1);
  private static final Logger LOG = Logger.getLogger(WorkFetcher.class);

  /** Runs one message in one slot (1 to the fetcher's slot count, never two at once). */
  @FunctionalInterface
  public interface Handler {
    void handle(Message message, int slot);
  }

  private final String name;
  private final ConsumerContext consumer;
  private final Handler handler;
  private final Slots slots;
  private final ThreadPoolExecutor runners;
  private final Thread fetching;
  private volatile boolean running = true;

  private WorkFetcher(String name, ConsumerContext consumer, int slotCount, Handler handler) {
    if (slotCount < 1) {
      throw new IllegalArgumentException(name + " needs at least one slot, not " + slotCount);
    }
    this.name = name;
    this.consumer = consumer;
    this.handler = handler;
    this.slots = new Slots(slotCount);
    // A thread per running message (a phase waits on an agent process for most of its time); the
    // slots, not the pool, bound how many run, so the queue never holds more than a moment's worth.
    this.runners =
        new ThreadPoolExecutor(
            slotCount,
            slotCount,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.numbered(name));
    this.runners.allowCoreThreadTimeOut(true);
    this.fetching = DaemonThreads.named(name + "-fetch").newThread(this::fetchLoop);
  }

  /** Starts fetching from {@code consumer} into {@code slotCount} slots. */
  public static WorkFetcher start(
      String name, ConsumerContext consumer, int slotCount, Handler handler) {
    WorkFetcher fetcher = new WorkFetcher(name, consumer, slotCount, handler);
    fetcher.fetching.start();
    return fetcher;
  }

  private void fetchLoop() {
    while (running) {
      int free;
      try {
        free = slots.awaitFree();
      } catch (InterruptedException e) {
        return;
      }
      if (!running) {
        return;
      }
      try {
        fetch(free);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.debugf("%s cannot fetch: %s", name, e.getMessage());
        if (!pause()) {
          return;
        }
      }
    }
  }

  /** One pull request for {@code free} messages; each is started as soon as it arrives. */
  private void fetch(int free) throws Exception {
    FetchConsumeOptions options =
        FetchConsumeOptions.builder().maxMessages(free).expiresIn(FETCH_EXPIRY.toMillis()).build();
    try (FetchConsumer batch = consumer.fetch(options)) {
      Message message;
      while ((message = batch.nextMessage()) != null) {
        if (running) {
          start(message);
        } else {
          giveBack(message);
        }
      }
    }
  }

  private void start(Message message) {
    int slot = slots.take(); // this thread asked for no more than were free, and only it takes
    try {
      runners.execute(() -> run(message, slot));
    } catch (RejectedExecutionException e) {
      slots.release(slot); // stopped between the check and the hand-over
      giveBack(message);
    }
  }

  /**
   * A message that came after the stop goes back to the consumer, for another replica (or this one
   * after a restart) rather than after its AckWait. Not at once: the pull request that brought it
   * still waits, and would take it again and again, each time a delivery more towards MaxDeliver.
   */
  private static void giveBack(Message message) {
    message.nakWithDelay(GIVE_BACK_DELAY);
  }

  private void run(Message message, int slot) {
    try {
      handler.handle(message, slot);
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s failed on a message in slot %d; it will be redelivered", name, slot);
    } finally {
      slots.release(slot);
    }
  }

  /** How many messages run now. */
  public int running() {
    return slots.busy();
  }

  /**
   * Takes no more messages: the pull request that waits, if any, ends within {@link #FETCH_EXPIRY}
   * and what it still brings is given back (a nak with a delay); running messages go on.
   */
  public void stopFetching() {
    running = false;
    slots.wake();
    runners.shutdown();
  }

  /**
   * Waits up to {@code grace} for the running messages to finish, then interrupts them and waits a
   * last fetch's time for them and the fetching thread to end.
   */
  public void awaitStopped(Duration grace) {
    try {
      if (!runners.awaitTermination(Math.max(grace.toMillis(), 0), TimeUnit.MILLISECONDS)) {
        runners.shutdownNow();
        runners.awaitTermination(FETCH_EXPIRY.toMillis() * 2, TimeUnit.MILLISECONDS);
      }
      fetching.join(FETCH_EXPIRY.toMillis() * 2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runners.shutdownNow();
    }
  }

  /** Whether it still takes messages: false from {@link #stopFetching}. */
  public boolean isFetching() {
    return running;
  }

  /** Whether every running message and the fetching thread have ended. */
  public boolean isStopped() {
    return runners.isTerminated() && !fetching.isAlive();
  }

  /** Stops fetching and interrupts the running messages at once. */
  @Override
  public void close() {
    stopFetching();
    awaitStopped(Duration.ZERO);
  }

  private boolean pause() {
    try {
      Thread.sleep(OUTAGE_PAUSE.toMillis()); // a pause after an outage, not a synchronisation
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }
}

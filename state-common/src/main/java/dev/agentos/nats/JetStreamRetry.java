package dev.agentos.nats;

import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Makes a JetStream call again while it fails for a reason that passes: a clustered stream electing
 * a new leader after its leader died answers "no responders" or nothing at all for a few seconds (4
 * to 13 s measured with nats-server 2.9 on three nodes), and a client whose server died needs a
 * moment to reconnect to another. Without this, every write in that window failed its phase, and a
 * cycle whose step checkpoint was lost ran that step again.
 */
public final class JetStreamRetry {
  /** How long a call keeps being tried: past a leader election on a loaded machine. */
  public static final Duration RIDE_OUT = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(JetStreamRetry.class);

  private static final long FIRST_PAUSE_MILLIS = 50;

  /**
   * The longest wait between two tries: short, because once a new leader is elected every waiting
   * write should find it at once (with 1 s, the KV leader's SIGKILL stalled cycles 10.06 s, about
   * half a second past the election).
   */
  private static final long MAX_PAUSE_MILLIS = 250;

  /** A JetStream call. */
  public interface Call<T> {
    T call() throws IOException, JetStreamApiException;
  }

  private JetStreamRetry() {}

  /**
   * Calls {@code call} until it succeeds, fails for a reason that is not transient, or {@link
   * #RIDE_OUT} passes. For reads, CAS updates (a write that landed although its reply was lost
   * shows as a conflict, and the change is decided again) and publishes with a message id (the
   * duplicate window keeps one).
   */
  public static <T> T transientFailures(Call<T> call) throws IOException, JetStreamApiException {
    return retry(call, JetStreamErrors::isTransient);
  }

  /**
   * Calls {@code call} again only when nothing took the request, so nothing can have happened: for
   * a create, which a timed-out attempt may have done already.
   */
  public static <T> T noResponders(Call<T> call) throws IOException, JetStreamApiException {
    return retry(call, JetStreamErrors::noResponders);
  }

  private static <T> T retry(Call<T> call, Predicate<Exception> passes)
      throws IOException, JetStreamApiException {
    long started = System.nanoTime();
    long deadline = started + RIDE_OUT.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    int failures = 0;
    String firstFailure = null;
    while (true) {
      try {
        T result = call.call();
        if (failures > 0) {
          // What a node failure costs each call: how long it waited, and on what.
          LOG.infof(
              "a JetStream call went through after %d failed tr%s over %d ms (first: %s)",
              failures, failures == 1 ? "y" : "ies", millisSince(started), firstFailure);
        }
        return result;
      } catch (IOException | JetStreamApiException e) {
        failures++;
        if (firstFailure == null) {
          firstFailure = e.getMessage();
        }
        if (!passes.test(e) || System.nanoTime() + pause * 1_000_000 > deadline) {
          if (failures > 1) {
            LOG.infof(
                "a JetStream call failed after %d tries over %d ms: %s",
                failures, millisSince(started), e.getMessage());
          }
          throw e;
        }
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the NATS cluster", e);
      }
      pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}

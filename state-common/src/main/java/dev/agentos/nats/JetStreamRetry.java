package dev.agentos.nats;

import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;

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
    long deadline = System.nanoTime() + RIDE_OUT.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      try {
        return call.call();
      } catch (IOException | JetStreamApiException e) {
        if (!passes.test(e) || System.nanoTime() + pause * 1_000_000 > deadline) {
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
}

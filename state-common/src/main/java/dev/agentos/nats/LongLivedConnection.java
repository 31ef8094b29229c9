package dev.agentos.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The NATS connection of a process that runs until it is stopped (a role service, the console): it
 * reconnects forever, as a pod may start before NATS and NATS may restart under a running pod. The
 * CLI, which gives up, connects its own way.
 */
public final class LongLivedConnection {
  private static final Logger LOG = Logger.getLogger(LongLivedConnection.class);

  private LongLivedConnection() {}

  /**
   * Connects to {@code nats} as {@code name}; {@code more} adds what only this process wants (the
   * console: no-responders errors). Returns at once when no server answers yet: the client goes on
   * trying.
   */
  public static Connection open(
      NatsConnectionSettings nats, String name, UnaryOperator<Options.Builder> more)
      throws IOException, InterruptedException {
    Options.Builder options = more.apply(options(nats, name));
    LOG.infof("connecting to NATS at %s", NatsAuth.redact(nats.servers()));
    return Nats.connectReconnectOnConnect(options.build());
  }

  static Options.Builder options(NatsConnectionSettings nats, String name) {
    Options.Builder options =
        Options.builder()
            .servers(nats.servers().toArray(String[]::new))
            .connectionName(name)
            .connectionTimeout(nats.connectTimeout())
            .maxReconnects(-1)
            .reconnectWait(Duration.ofSeconds(1))
            .connectionListener(
                (conn, event) ->
                    LOG.infof(
                        "NATS %s (%s)",
                        event,
                        conn.getConnectedUrl() == null
                            ? "-"
                            : NatsAuth.redact(conn.getConnectedUrl())))
            .errorListener(new ErrorListener() {});
    return auth(nats).applyTo(options);
  }

  /** The credentials and TLS files of {@code nats}; secrets stay out of every log. */
  public static NatsAuth auth(NatsConnectionSettings nats) {
    return new NatsAuth(
        nats.user().orElse(null),
        nats.password().orElse(null),
        nats.token().orElse(null),
        nats.credsFile().map(Path::of).orElse(null),
        nats.nkeyFile().map(Path::of).orElse(null),
        nats.tls(),
        nats.tlsCa().map(Path::of).orElse(null),
        nats.tlsCert().map(Path::of).orElse(null),
        nats.tlsKey().map(Path::of).orElse(null));
  }
}

package dev.agentos.nats;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code agentos.nats.*} keys a long-running process (a role service, the console) connects
 * with. Each process's config mapping extends this interface and declares the defaults again where
 * it has its own, so that one ConfigMap fits every process; {@link LongLivedConnection} turns them
 * into the connection. Secrets come from env or files and are never logged.
 */
public interface NatsConnectionSettings {
  List<String> servers();

  Optional<String> user();

  Optional<String> password();

  Optional<String> token();

  /** A {@code .creds} file (JWT + nkey seed). */
  Optional<String> credsFile();

  /** A file holding a user nkey seed ({@code SU...}): nkey authentication without a JWT. */
  Optional<String> nkeyFile();

  /**
   * Use TLS; with no {@link #tlsCa()} the JVM's default trust store ({@code javax.net.ssl.*}
   * properties). Any of the tls files switches TLS on too.
   */
  boolean tls();

  /** PEM CA certificate(s) the server's certificate must chain to. */
  Optional<String> tlsCa();

  /** PEM client certificate, for a server that verifies clients (mutual TLS). */
  Optional<String> tlsCert();

  /** PEM PKCS#8 private key of {@link #tlsCert()}. */
  Optional<String> tlsKey();

  /** How long a connection attempt waits, and how long the client waits for a request's answer. */
  Duration connectTimeout();
}

package dev.agentos.cli;

import dev.agentos.nats.NatsAuth;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The NATS server a command talks to, and where that choice came from, so an error can say which
 * URL it tried and why that one.
 *
 * <p>In order: {@code --nats}, then {@code NATS_URL}, then the server the last {@code agentos up}
 * used (remembered in its state dir), then {@code nats://127.0.0.1:4222}.
 */
public record NatsTarget(String url, String source, NatsAuth auth) {
  public static final String DEFAULT_URL = "nats://127.0.0.1:4222";
  public static final String FROM_OPTION = "--nats";
  public static final String FROM_ENV = "NATS_URL";
  public static final String FROM_UP = "started by `agentos up`";
  public static final String FROM_DEFAULT = "the default";

  public NatsTarget(String url, String source) {
    this(url, source, NatsAuth.none());
  }

  public static NatsTarget resolve(String option, Environment env, Optional<RunRecord> run) {
    return resolve(option, env, run, Optional.empty());
  }

  /**
   * @param localUser the user of the nats-server {@code agentos up} started, used for it unless
   *     {@code NATS_USER} names another
   */
  public static NatsTarget resolve(
      String option, Environment env, Optional<RunRecord> run, Optional<LocalNatsUser> localUser) {
    NatsAuth auth = auth(env);
    if (option != null && !option.isBlank()) {
      return new NatsTarget(option.strip(), FROM_OPTION, auth);
    }
    Optional<String> fromEnv = env.get("NATS_URL");
    if (fromEnv.isPresent()) {
      return new NatsTarget(fromEnv.get().strip(), FROM_ENV, auth);
    }
    if (run.isPresent()) {
      return fromUp(run.get(), env, localUser);
    }
    return new NatsTarget(DEFAULT_URL, FROM_DEFAULT, auth);
  }

  /** The server {@code run} uses, with the local user when {@code agentos up} started it. */
  static NatsTarget fromUp(RunRecord run, Environment env, Optional<LocalNatsUser> localUser) {
    NatsAuth auth = auth(env);
    if (run.nats() != null && auth.user() == null && localUser.isPresent()) {
      auth =
          new NatsAuth(
              localUser.get().user(),
              localUser.get().password(),
              auth.token(),
              auth.credsFile(),
              auth.nkeyFile(),
              auth.tls(),
              auth.tlsCa(),
              auth.tlsCert(),
              auth.tlsKey());
    }
    return new NatsTarget(run.natsUrl(), FROM_UP, auth);
  }

  /**
   * Credentials and TLS from the environment variables the {@code nats} CLI reads too: {@code
   * NATS_USER}, {@code NATS_PASSWORD}, {@code NATS_TOKEN}, {@code NATS_CREDS}, {@code NATS_NKEY} (a
   * seed file), {@code NATS_CA}, {@code NATS_CERT}, {@code NATS_KEY}.
   */
  static NatsAuth auth(Environment env) {
    return new NatsAuth(
        env.get("NATS_USER").orElse(null),
        env.get("NATS_PASSWORD").orElse(null),
        env.get("NATS_TOKEN").orElse(null),
        env.get("NATS_CREDS").map(Path::of).orElse(null),
        env.get("NATS_NKEY").map(Path::of).orElse(null),
        false,
        env.get("NATS_CA").map(Path::of).orElse(null),
        env.get("NATS_CERT").map(Path::of).orElse(null),
        env.get("NATS_KEY").map(Path::of).orElse(null));
  }

  /** {@code nats://127.0.0.1:4222 (from NATS_URL)}. */
  public String describe() {
    return NatsAuth.redact(url)
        + " ("
        + (source.startsWith("--") || source.equals(FROM_ENV) ? "from " : "")
        + source
        + ")";
  }
}

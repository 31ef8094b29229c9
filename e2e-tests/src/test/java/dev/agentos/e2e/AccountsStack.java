package dev.agentos.e2e;

import dev.agentos.state.Phase;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four services on a nats-server configured with deploy/nats/permissions.conf, as in
 * production: the services' AGENTOS account with a user per role, the operator's {@code admin} and
 * {@code client}, and the team accounts TEAM_A ({@code teama}) and TEAM_B ({@code teamb}). Every
 * user gets a fresh password; the tests' own connection ({@link Cluster#nc}) is {@code admin}'s.
 */
final class AccountsStack {
  static final List<String> USERS =
      List.of(
          "admin", "client", "planner", "executor", "express", "review", "sys", "teama", "teamb");

  private final Map<String, String> passwords;
  final Cluster cluster;

  private AccountsStack(Map<String, String> passwords, Cluster cluster) {
    this.passwords = passwords;
    this.cluster = cluster;
  }

  static AccountsStack start(Map<String, String> overrides) throws Exception {
    Map<String, String> passwords = new LinkedHashMap<>();
    for (String user : USERS) {
      passwords.put(variable(user), "p" + user + System.nanoTime());
    }
    TestNats nats =
        TestNats.startWithConfig(
            Cluster.repoRoot().resolve("deploy/nats/permissions.conf"),
            passwords,
            o -> o.userInfo("admin", passwords.get(variable("admin"))));
    Map<String, Map<String, String>> roles = new LinkedHashMap<>();
    for (Phase phase : Phase.values()) {
      roles.put(
          phase.role(),
          Map.of(
              "agentos.nats.user", phase.role(),
              "agentos.nats.password", passwords.get(variable(phase.role()))));
    }
    return new AccountsStack(passwords, Cluster.start(nats, overrides, roles));
  }

  private static String variable(String user) {
    return "AGENTOS_NATS_" + user.toUpperCase() + "_PASSWORD";
  }

  String password(String user) {
    return passwords.get(variable(user));
  }

  /** A connection as {@code user}. */
  Connection connect(String user) {
    return cluster.nats.connect(o -> o.userInfo(user, password(user)));
  }

  /** The properties that make a process (a console, say) connect as {@code user}. */
  Map<String, String> natsUser(String user) {
    return Map.of(
        "agentos.nats.servers", cluster.nats.url(),
        "agentos.nats.user", user,
        "agentos.nats.password", password(user));
  }
}

package dev.agentos.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the CLI knows about where it runs: the environment variables, the repository it belongs to,
 * the working directory, and whether a person is watching a terminal. Everything reads it from
 * here, so tests can run the CLI in-process with an environment of their own.
 *
 * @param variables the environment variables (also handed on to the services {@code up} starts)
 * @param repoRoot the Agent OS checkout: where the service jars and the examples are
 * @param workingDir relative paths on the command line are resolved against it
 * @param console whether output goes to an interactive terminal
 */
public record Environment(
    Map<String, String> variables, Path repoRoot, Path workingDir, boolean console) {

  public static final String STATE_DIR_VARIABLE = "AGENTOS_STATE_DIR";
  public static final String REPO_ROOT_PROPERTY = "agentos.repo.root";

  public Environment {
    variables = Map.copyOf(variables);
    repoRoot = repoRoot.toAbsolutePath().normalize();
    workingDir = workingDir.toAbsolutePath().normalize();
  }

  /** The environment of this process. */
  public static Environment system() {
    return new Environment(
        System.getenv(), findRepoRoot(), Path.of("").toAbsolutePath(), System.console() != null);
  }

  public Optional<String> get(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** This environment with one more variable (or one replaced). */
  public Environment with(String name, String value) {
    Map<String, String> next = new HashMap<>(variables);
    next.put(name, value);
    return new Environment(next, repoRoot, workingDir, console);
  }

  /** Where {@code up} keeps its NATS data, logs, pids and demo workspaces. */
  public Path stateDir() {
    return get(STATE_DIR_VARIABLE)
        .map(dir -> workingDir.resolve(dir).normalize())
        .orElse(repoRoot.resolve(".agentos"));
  }

  /** Colours only for a person at a terminal who has not asked for none (no-color.org). */
  public boolean colour() {
    return console && get("NO_COLOR").isEmpty();
  }

  /** The role service's runnable jar in this checkout. */
  public Path serviceJar(String role) {
    return repoRoot.resolve(role + "-service/target/quarkus-app/quarkus-run.jar");
  }

  /** The web console's runnable jar in this checkout. */
  public Path consoleJar() {
    return repoRoot.resolve("console/target/quarkus-app/quarkus-run.jar");
  }

  /**
   * The checkout: from the launcher's {@code -Dagentos.repo.root}, else from where this jar lies
   * ({@code <root>/agentos-cli/target/agentos-cli.jar}), else the working directory.
   */
  static Path findRepoRoot() {
    String property = System.getProperty(REPO_ROOT_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    try {
      Path code =
          Path.of(Environment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = code.getParent() == null ? null : code.getParent().getParent();
      if (candidate != null
          && candidate.getParent() != null
          && Files.isRegularFile(candidate.getParent().resolve("pom.xml"))) {
        return candidate.getParent();
      }
    } catch (URISyntaxException | RuntimeException e) {
      // No code source we can read (an unusual class loader): fall back to the working directory.
    }
    return Path.of("").toAbsolutePath();
  }
}

package dev.agentos.agent.cli;

import java.nio.file.Path;

/** The fake coding-agent CLIs in this module's test resources (bash and jq, documented output). */
public final class FakeClis {
  private FakeClis() {}

  /** The fake {@code claude}, {@code codex}, {@code gemini} or {@code aider}. */
  public static Path path(String tool) {
    Path root = Path.of(System.getProperty("agentos.repo.root", "..")).toAbsolutePath().normalize();
    Path inModule = Path.of("src/test/resources/fake-cli", tool).toAbsolutePath();
    return inModule.toFile().exists()
        ? inModule
        : root.resolve("agent-runtime/src/test/resources/fake-cli").resolve(tool);
  }
}

package dev.agentos.cli;

import dev.agentos.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The directory {@code up} works in ({@code $AGENTOS_STATE_DIR}, or {@code <repo>/.agentos}):
 * {@code nats/} the NATS data, {@code logs/} one log per process, {@code run.json} what is running,
 * {@code workspaces/} the demo's workspaces. {@code down} leaves all of it but run.json.
 */
public final class StateDir {
  private final Path root;

  public StateDir(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path runFile() {
    return root.resolve("run.json");
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path log(String name) {
    return logs().resolve(name + ".log");
  }

  public Path natsStore() {
    return root.resolve("nats");
  }

  public Path workspaces() {
    return root.resolve("workspaces");
  }

  public Optional<RunRecord> readRun() {
    Path file = runFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          Json.convertStored(Json.mapper().readTree(file.toFile()), RunRecord.class));
    } catch (IOException | RuntimeException e) {
      throw CliException.setup(
          file
              + " is unreadable ("
              + e.getMessage()
              + "); stop what it lists by hand if anything still runs, then delete it");
    }
  }

  public void writeRun(RunRecord run) {
    try {
      Files.createDirectories(root);
      Path temp = root.resolve("run.json.tmp");
      Files.write(temp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(run));
      Files.move(
          temp, runFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw CliException.setup("cannot write " + runFile() + ": " + e.getMessage());
    }
  }

  public void deleteRun() {
    try {
      Files.deleteIfExists(runFile());
    } catch (IOException e) {
      throw CliException.setup("cannot delete " + runFile() + ": " + e.getMessage());
    }
  }
}

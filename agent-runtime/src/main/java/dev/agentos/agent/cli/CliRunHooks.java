package dev.agentos.agent.cli;

import java.nio.file.Path;

/**
 * What a caller does around one CLI agent run with the agent's HOME, which only lives that long.
 */
public interface CliRunHooks {
  CliRunHooks NONE = new CliRunHooks() {};

  /** Before the tool starts: e.g. restore its session file into the new HOME. */
  default void prepare(Path home) {}

  /**
   * The tool is about to start; the returned handle is closed once it has exited, before its HOME
   * is deleted (e.g. stop copying its session file).
   */
  default AutoCloseable running(Path home) {
    return () -> {};
  }

  /** What the agent is doing, as its output says while it runs (on an output reader thread). */
  default void event(CliEvent event) {}
}

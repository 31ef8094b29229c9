package dev.agentos.agent.tools;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The tools a role offers its model agent for one call, and what they work on. The phase that makes
 * the call builds it; the agent's profile adds its limits and the commands {@code run} may start. A
 * CLI agent ignores it: it brings its own tools.
 *
 * @param role which role's tools
 * @param workspace the workspace every tool is confined to
 * @param diffBase Review's {@code git_diff} base: the commit the iteration's first step started
 *     from, or null
 * @param checks Review's {@code run_check}: each configured check by name, run when called
 * @param recap Express's {@code write_recap}: takes the summary the model writes
 * @param watch what the phase sees of the loop after each turn (budget, last output)
 */
public record ToolAccess(
    Role role,
    Path workspace,
    String diffBase,
    Map<String, Supplier<String>> checks,
    Consumer<String> recap,
    LoopWatch watch) {

  /** What each role may do with the workspace. */
  public enum Role {
    /** Read, search, write, patch, and run the allowed commands. */
    EXECUTOR,
    /** Read, search, the iteration's diff, and the configured checks. */
    REVIEW,
    /** Read and search. */
    PLANNER,
    /** Read, search, and write the recap's summary. */
    EXPRESS
  }

  public ToolAccess {
    checks = checks == null ? Map.of() : Map.copyOf(checks);
    watch = watch == null ? LoopWatch.NONE : watch;
  }

  /** The same tools, with {@code more} watching the loop after what already watches it. */
  public ToolAccess watched(LoopWatch more) {
    return new ToolAccess(role, workspace, diffBase, checks, recap, watch.andThen(more));
  }

  public static ToolAccess executor(Path workspace) {
    return new ToolAccess(Role.EXECUTOR, workspace, null, Map.of(), null, null);
  }

  public static ToolAccess planner(Path workspace) {
    return new ToolAccess(Role.PLANNER, workspace, null, Map.of(), null, null);
  }

  public static ToolAccess review(
      Path workspace, String diffBase, Map<String, Supplier<String>> checks) {
    return new ToolAccess(Role.REVIEW, workspace, diffBase, checks, null, null);
  }

  public static ToolAccess express(Path workspace, Consumer<String> recap) {
    return new ToolAccess(Role.EXPRESS, workspace, null, Map.of(), recap, null);
  }

  /**
   * Whether the role cannot do its work without tools: the executor changes the workspace, which a
   * model can only do through them. The others read what their prompt holds when there are none.
   */
  public static boolean needed(String role) {
    return "executor".equals(role);
  }
}

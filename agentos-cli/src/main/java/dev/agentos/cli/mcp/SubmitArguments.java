package dev.agentos.cli.mcp;

import dev.agentos.api.CycleIds;
import dev.agentos.api.SubmitOptions;
import dev.agentos.api.SubmitRequest;
import dev.agentos.cli.SubmitCommand;
import dev.agentos.error.AgentOsException;
import dev.agentos.state.AgentOverride;
import dev.agentos.state.Approvals;
import dev.agentos.state.GitRef;
import dev.agentos.state.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code submit} tool's arguments as the API's {@link SubmitRequest}, the way {@code agentos
 * submit} builds it: a local workspace (relative paths against the directory the server runs in,
 * which is the project an editor opened) or a git remote, a spec folder or a goal.
 */
final class SubmitArguments {
  private final Path here;

  SubmitArguments(Path here) {
    this.here = here;
  }

  static Schema schema() {
    return Schema.object()
        .text(
            "spec",
            "a spec folder, relative to the workspace: .agent-os/specs/2026-11-20-cart,"
                + " agent-os/specs/…, or Spec Kit specs/001-cart")
        .text("goal", "what to achieve, in words (instead of a spec)")
        .text(
            "workspace",
            "the directory the agents work in (default: the directory this server runs in)")
        .text("git_url", "work on this git remote instead of a local directory")
        .text("git_ref", "with git_url: the branch or commit to start from")
        .text("project", "the project (default: the workspace's folder name)")
        .text("instruction", "what kind of cycle: execute-tasks (default), create-spec, …")
        .text("cycle_id", "choose the id (3-64 of a-z, 0-9, -); submitting it twice is refused")
        .integer("max_iterations", 1, 20, "how many PEER rounds Review may ask for")
        .texts("verify", "names of the checks Review runs and must pass")
        .textMap("agents", "the agent profile per role, e.g. {\"executor\": \"claude\"}")
        .texts("then", "instructions to run next as linked cycles, e.g. [\"git-commit\"]")
        .flag("approve_after_plan", "wait for approve after PLAN")
        .flag("approve_before_complete", "wait for approve before COMPLETED")
        .flag("isolate", "work in a git worktree of the workspace's repository of its own");
  }

  /** The request, or a ToolError naming the argument to fix. */
  SubmitRequest request(ToolInput in) {
    Optional<String> spec = in.text("spec");
    Optional<String> goal = in.text("goal");
    if (spec.isEmpty() && goal.isEmpty()) {
      throw ToolError.invalid("give 'spec' (a spec folder in the workspace) or 'goal' (in words)");
    }
    Optional<String> cycleId = in.text("cycle_id");
    cycleId.ifPresent(SubmitArguments::validId);
    Optional<String> gitUrl = in.text("git_url");
    if (gitUrl.isPresent()) {
      if (in.text("workspace").isPresent() || in.flag("isolate")) {
        throw ToolError.invalid(
            "'git_url' works on the remote: leave out 'workspace' and 'isolate'");
      }
      String name = gitUrl.get().replaceAll("/+$", "").replaceAll("\\.git$", "");
      return new SubmitRequest(
          in.text("project").orElse(SubmitCommand.projectName(Path.of(lastSegment(name)))),
          in.text("instruction").orElse(null),
          goal.orElse(null),
          spec.orElse(null),
          new Workspace(null, new GitRef(gitUrl.get(), in.text("git_ref").orElse(null)), null),
          options(in),
          cycleId.orElse(null));
    }
    Path dir = here.resolve(in.text("workspace").orElse(".")).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw ToolError.invalid(
          "the workspace "
              + dir
              + " is not a directory; give 'workspace' as an existing directory");
    }
    return new SubmitRequest(
        in.text("project").orElse(SubmitCommand.projectName(dir)),
        in.text("instruction").orElse(null),
        goal.orElse(null),
        spec.map(s -> SubmitCommand.specInWorkspace(dir, dir, s)).orElse(null),
        new Workspace(dir.toString(), null, in.flag("isolate") ? true : null),
        options(in),
        cycleId.orElse(null));
  }

  private static SubmitOptions options(ToolInput in) {
    Integer maxIterations = in.integer("max_iterations", 1, 20).orElse(null);
    List<String> verify = in.texts("verify");
    List<String> then = in.texts("then");
    Map<String, String> agents = in.textMap("agents");
    boolean afterPlan = in.flag("approve_after_plan");
    boolean beforeComplete = in.flag("approve_before_complete");
    if (maxIterations == null
        && verify == null
        && then == null
        && agents == null
        && !afterPlan
        && !beforeComplete) {
      return null;
    }
    Map<String, AgentOverride> profiles = null;
    if (agents != null) {
      profiles = new LinkedHashMap<>();
      for (Map.Entry<String, String> entry : agents.entrySet()) {
        profiles.put(entry.getKey(), AgentOverride.of(entry.getValue()));
      }
    }
    return new SubmitOptions(
        maxIterations,
        null,
        null,
        afterPlan || beforeComplete ? new Approvals(afterPlan, beforeComplete) : null,
        verify,
        profiles,
        then,
        null);
  }

  private static void validId(String id) {
    try {
      CycleIds.requireSubmittable(id);
    } catch (AgentOsException e) {
      throw ToolError.invalid(e.getMessage());
    }
  }

  private static String lastSegment(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }
}

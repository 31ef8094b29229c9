package dev.agentos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.SubmitOptions;
import dev.agentos.api.SubmitRequest;
import dev.agentos.state.AgentOverride;
import dev.agentos.state.Approvals;
import dev.agentos.state.Delivery;
import dev.agentos.state.GitRef;
import dev.agentos.state.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "submit",
    description = {
      "Start a cycle: a spec folder in a workspace, or a goal in words.",
      "",
      "Prints the cycle id on stdout (progress and hints go to stderr), so",
      "  id=$(agentos submit --spec .agent-os/specs/2026-11-20-cart)",
      "works in scripts.",
    })
public final class SubmitCommand extends CliCommand {
  @Option(
      names = "--spec",
      paramLabel = "FOLDER",
      description =
          "a spec folder of any layout: Agent OS v1 .agent-os/specs/2026-11-20-cart, v2/v3"
              + " agent-os/specs/2026-11-20-cart, Spec Kit specs/001-cart; relative to the"
              + " workspace or to here")
  String spec;

  @Option(names = "--goal", paramLabel = "TEXT", description = "what to achieve, in words")
  String goal;

  @Option(
      names = {"-w", "--workspace"},
      paramLabel = "DIR",
      description =
          "the directory the agents work in (default: the folder above the spec's .agent-os or"
              + " agent-os, or above a Spec Kit specs/ next to .specify, or the current directory)")
  String workspace;

  @Option(
      names = "--isolate",
      description =
          "work in a git worktree of the workspace's repository of its own, on branch"
              + " agentos/<cycle_id>, so several cycles can work on one repository at once")
  boolean isolate;

  @Option(
      names = "--git",
      paramLabel = "URL",
      description =
          "work on a git remote instead of a local directory: the cycle commits each step to"
              + " branch agentos/<cycle_id> (the URL must be one the services allow)")
  String gitUrl;

  @Option(
      names = "--ref",
      paramLabel = "REF",
      description = "with --git: the branch or commit to start from (default: the remote's HEAD)")
  String gitRef;

  @Option(
      names = "--git-path",
      paramLabel = "DIR",
      description =
          "with --git: the folder of the repository the agents work in (default: its root), for"
              + " one project of a monorepo")
  String gitPath;

  @Option(
      names = "--deliver",
      paramLabel = "HOW",
      description =
          "with --git: what becomes of the branch at COMPLETED: review (the default: left for a"
              + " person to merge) or fast-forward (the base branch --ref is moved to it when the"
              + " project allows it and the base has not moved)")
  String deliver;

  @Option(
      names = "--project",
      paramLabel = "NAME",
      description = "the project the cycle belongs to (default: the workspace's folder name)")
  String project;

  @Option(
      names = "--max-iterations",
      paramLabel = "N",
      description = "how many PEER rounds Review may ask for (default 3)")
  Integer maxIterations;

  @Option(
      names = "--verify",
      paramLabel = "CHECK",
      description =
          "the name of a check Review runs and must pass, as the services define it"
              + " (agentos.checks.<name>, `agentos up --check`) or the workspace's"
              + " .agent-os/checks.yml; repeatable. Never a shell line")
  List<String> verify;

  @Option(
      names = "--agent",
      paramLabel = "ROLE=PROFILE",
      description =
          "the agent profile a role uses, by name, as the services define it"
              + " (agentos.profiles.<name>, `agentos up --profile`); e.g. --agent executor=claude;"
              + " repeatable")
  Map<String, String> agents;

  @Option(names = "--approve-after-plan", description = "wait for `agentos approve` after PLAN")
  boolean approveAfterPlan;

  @Option(
      names = "--approve-before-complete",
      description = "wait for `agentos approve` before the cycle COMPLETES")
  boolean approveBeforeComplete;

  @Option(
      names = {"-i", "--instruction"},
      paramLabel = "NAME",
      description =
          "what kind of cycle: execute-tasks (default), plan-product, analyze-product,"
              + " create-spec, create-tasks, refine-spec, git-commit, or your own")
  String instruction;

  @Option(
      names = "--then",
      paramLabel = "NAME",
      split = ",",
      description =
          "instructions to run next, each as a linked cycle once this one completes;"
              + " e.g. --then execute-tasks,git-commit")
  List<String> then;

  @Option(names = "--allow-push", description = "let a git-commit link push its commit")
  boolean allowPush;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "choose the cycle id (3-64 of a-z, 0-9, -); submitting it twice is refused")
  String cycleId;

  @Option(names = "--watch", description = "watch the cycle and exit with its outcome")
  boolean watch;

  @Option(names = "--json", description = "print the API's reply as JSON instead of the id")
  boolean json;

  @Override
  int run() {
    SubmitRequest request = request(env().workingDir());
    try (AgentOsClient client = connect()) {
      JsonNode reply = client.call("submit", request);
      String id = reply.path("cycle_id").asText();
      if (json) {
        out().println(reply.toPrettyString());
      } else {
        out().println(id);
      }
      note(
          "submitted cycle "
              + id
              + " ("
              + reply.path("status").asText()
              + ") for project "
              + request.project()
              + " in "
              + (request.workspace().git() != null
                  ? request.workspace().git().url()
                  : request.workspace().path()));
      if (!watch) {
        note("follow it with `agentos watch " + id + "`");
        return ExitCode.OK;
      }
      out().flush();
      return new CycleWatcher(client, out(), style(), env().console()).watch(id, null);
    }
  }

  private Map<String, AgentOverride> profiles() {
    if (agents == null) {
      return null;
    }
    Map<String, AgentOverride> chosen = new LinkedHashMap<>();
    agents.forEach((role, profile) -> chosen.put(role, AgentOverride.of(profile)));
    return chosen;
  }

  /** The request these options describe; paths are made absolute against {@code here}. */
  SubmitRequest request(Path here) {
    boolean hasSpec = spec != null && !spec.isBlank();
    boolean hasGoal = goal != null && !goal.isBlank();
    if (!hasSpec && !hasGoal) {
      throw CliException.usage(
          "give --spec FOLDER (a spec folder: Agent OS .agent-os/specs/… or agent-os/specs/…,"
              + " or Spec Kit specs/NNN-…) or --goal TEXT");
    }
    if ((deliver != null || gitPath != null) && gitUrl == null) {
      throw CliException.usage(
          (deliver != null ? "--deliver" : "--git-path") + " is for --git workspaces");
    }
    if (gitUrl != null) {
      return gitRequest(hasSpec, hasGoal);
    }
    Path dir = workspaceDir(here, hasSpec ? spec : null);
    if (!Files.isDirectory(dir)) {
      throw CliException.usage("the workspace " + dir + " is not a directory; give -w DIR");
    }
    String specInWorkspace = hasSpec ? specInWorkspace(here, dir, spec) : null;
    return new SubmitRequest(
        project != null ? project : projectName(dir),
        instruction,
        hasGoal ? goal : null,
        specInWorkspace,
        new Workspace(dir.toString(), null, isolate ? true : null),
        options(),
        cycleId);
  }

  private SubmitOptions options() {
    Approvals approvals =
        approveAfterPlan || approveBeforeComplete
            ? new Approvals(approveAfterPlan, approveBeforeComplete)
            : null;
    return maxIterations == null
            && verify == null
            && agents == null
            && approvals == null
            && then == null
            && !allowPush
        ? null
        : new SubmitOptions(
            maxIterations,
            null,
            null,
            approvals,
            verify,
            profiles(),
            then,
            allowPush ? true : null);
  }

  /** {@code --deliver review|fast-forward}, as the API spells it. */
  private Delivery delivery() {
    if (deliver == null) {
      return null;
    }
    try {
      return Delivery.valueOf(deliver.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--deliver is review or fast-forward, not '" + deliver + "'");
    }
  }

  /** A cycle on a git remote: the spec is a folder of the repository, as given. */
  private SubmitRequest gitRequest(boolean hasSpec, boolean hasGoal) {
    if (workspace != null || isolate) {
      throw CliException.usage("--git works on the remote: leave out -w and --isolate");
    }
    String name = gitUrl.replaceAll("/+$", "").replaceAll("\\.git$", "");
    return new SubmitRequest(
        project != null ? project : projectName(Path.of(name.substring(name.lastIndexOf('/') + 1))),
        instruction,
        hasGoal ? goal : null,
        hasSpec ? spec : null,
        new Workspace(null, new GitRef(gitUrl, gitRef, gitPath, null, null, delivery()), null),
        options(),
        cycleId);
  }

  private Path workspaceDir(Path here, String specArg) {
    if (workspace != null) {
      return here.resolve(workspace).toAbsolutePath().normalize();
    }
    if (specArg != null) {
      Path specPath = here.resolve(specArg).toAbsolutePath().normalize();
      for (Path p = specPath; p != null; p = p.getParent()) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (name.equals(".agent-os") || name.equals("agent-os")) {
          return p.getParent();
        }
        if (name.equals("specs")
            && p.getParent() != null
            && Files.isDirectory(p.getParent().resolve(".specify"))) {
          return p.getParent();
        }
      }
    }
    return here;
  }

  /** The spec as a path inside the workspace, which is how the API wants it. */
  public static String specInWorkspace(Path here, Path workspace, String spec) {
    Path given = Path.of(spec);
    if (!given.isAbsolute() && Files.isDirectory(workspace.resolve(given))) {
      return given.normalize().toString();
    }
    Path absolute = here.resolve(given).toAbsolutePath().normalize();
    if (absolute.startsWith(workspace)) {
      return workspace.relativize(absolute).toString();
    }
    // Not found either way: send it as given, and the API says what it is missing.
    return spec;
  }

  /** A valid project name from a folder name: {@code My Shop!} becomes {@code My-Shop}. */
  public static String projectName(Path dir) {
    String name = dir.getFileName() == null ? "project" : dir.getFileName().toString();
    String cleaned = name.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^[-_]+|[-_]+$", "");
    if (cleaned.isEmpty()) {
      return "project";
    }
    return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
  }
}

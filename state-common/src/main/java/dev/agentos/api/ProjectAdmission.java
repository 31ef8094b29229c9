package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.project.Project;
import dev.agentos.project.Projects;
import dev.agentos.state.Budget;
import dev.agentos.state.GitRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Holds a submit to the project registry. A team may submit only for a registered project of its
 * own; the operator's account may also submit for an unregistered project unless the registry is
 * required ({@code agentos.projects.required}), which keeps a single-user setup as it was. A
 * registered project narrows what the operator offers: its workspace roots, profiles, checks and
 * budget ceiling.
 */
public final class ProjectAdmission {
  private final Projects projects;
  private final boolean required;

  public ProjectAdmission(Projects projects, boolean required) {
    this.projects = projects;
    this.required = required;
  }

  /** No registry: every project is admitted as the operator configured it. */
  public static ProjectAdmission open() {
    return new ProjectAdmission(Projects.NONE, false);
  }

  /**
   * The registered project a submit by {@code caller} is held to; empty for an unregistered project
   * the operator may still use.
   *
   * @throws AgentOsException INVALID_REQUEST for a project the caller may not submit for
   */
  public Optional<Project> admit(Caller caller, String name) {
    Optional<Project> found = projects.get(name);
    if (found.isEmpty()) {
      if (!caller.isOperator()) {
        throw notRegisteredFor(caller, name);
      }
      if (required) {
        throw AgentOsException.invalid(
            "project '"
                + name
                + "' is not registered; an operator registers it with `agentos project add "
                + name
                + " --team <team> --root <dir>` (agentos.api.projects.add)");
      }
      return Optional.empty();
    }
    Project project = found.get();
    if (!caller.isOperator() && !project.team().equals(caller.team())) {
      throw notRegisteredFor(caller, name);
    }
    return found;
  }

  /**
   * One message for a project that is not registered and for another team's: a team learns nothing
   * of another's projects.
   */
  static AgentOsException notRegisteredFor(Caller caller, String name) {
    return AgentOsException.invalid(
        "project '"
            + name
            + "' is not registered for team "
            + caller.team()
            + "; ask an operator to register it (agentos project add "
            + name
            + " --team "
            + caller.team()
            + " --root <dir>)");
  }

  /** The project's record, if it is registered. */
  public Optional<Project> registered(String name) {
    return projects.get(name);
  }

  /** Refuses a workspace outside the project's roots. */
  static void requireWorkspace(Optional<Project> project, Path realWorkspace) {
    if (project.isPresent() && !project.get().allowsWorkspace(realWorkspace)) {
      throw AgentOsException.invalid(
          "workspace "
              + realWorkspace
              + " is not under a workspace root of project "
              + project.get().name()
              + " ("
              + String.join(", ", project.get().workspaceRoots())
              + "); use a workspace inside one");
    }
  }

  /**
   * A registered project's git workspace must come from one of its remotes (none listed: none
   * allowed), besides the operator's own list of allowed remotes.
   */
  static void requireGitRemote(Optional<Project> project, String url) {
    if (project.isPresent() && !project.get().allowsGitRemote(url)) {
      throw AgentOsException.invalid(
          "workspace.git.url is not a git remote of project "
              + project.get().name()
              + " ("
              + (project.get().gitRemotes().isEmpty()
                  ? "it lists none"
                  : String.join(", ", project.get().gitRemotes()))
              + "); an operator adds one with `agentos project set "
              + project.get().name()
              + " --git-remote <prefix>`");
    }
  }

  /**
   * Refuses {@code workspace.git.deliver: FAST_FORWARD} unless the project allows it (a registered
   * project by its own {@code allow_fast_forward}, another by the operator's default) and the base
   * ref names a branch: a commit cannot be moved.
   */
  static void requireFastForward(
      String name, Optional<Project> project, boolean operatorDefault, GitRef git) {
    boolean allowed = project.map(Project::allowsFastForward).orElse(operatorDefault);
    if (!allowed) {
      throw AgentOsException.invalid(
          "workspace.git.deliver FAST_FORWARD is not allowed for project "
              + name
              + (project.isPresent()
                  ? "; an operator allows it with `agentos project set "
                      + name
                      + " --allow-fast-forward`"
                  : "; the operator allows it for unregistered projects with"
                      + " agentos.workspace.git.fast-forward-allowed=true")
              + ", or leave deliver out and merge the branch agentos/<cycle_id> yourself");
    }
    if (git.ref() == null || git.ref().isBlank() || git.ref().matches("[0-9a-fA-F]{7,64}")) {
      throw AgentOsException.invalid(
          "workspace.git.deliver FAST_FORWARD moves the base branch, so workspace.git.ref must"
              + " name one (e.g. main), not "
              + (git.ref() == null || git.ref().isBlank() ? "the remote's HEAD" : "a commit"));
    }
  }

  /** The operator's names narrowed to the project's list (an empty list narrows nothing). */
  static List<String> narrowed(List<String> offered, Optional<Project> project, boolean checks) {
    if (project.isEmpty()) {
      return offered;
    }
    List<String> own = checks ? project.get().checks() : project.get().profiles();
    return own.isEmpty() ? offered : offered.stream().filter(own::contains).toList();
  }

  /** The lower of the operator's and the project's ceiling, per limit. */
  static Budget ceiling(Budget operator, Optional<Project> project) {
    Budget top = operator == null ? Budget.unlimited() : operator;
    Budget own = project.map(Project::budgetCeiling).orElse(null);
    if (own == null) {
      return top;
    }
    return new Budget(
        lower(top.tokens(), own.tokens()),
        lower(top.costUsd(), own.costUsd()),
        lower(top.wallSeconds(), own.wallSeconds()));
  }

  private static <T extends Comparable<T>> T lower(T a, T b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.compareTo(b) <= 0 ? a : b;
  }
}

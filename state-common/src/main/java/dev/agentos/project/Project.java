package dev.agentos.project;

import dev.agentos.error.AgentOsException;
import dev.agentos.state.Budget;
import io.nats.client.NKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One project of the registry ({@code agentos-projects}, key = its name): which team owns it and
 * what its cycles may use. Written only by the operator (the admin API); a submit for the project
 * is held to it. An empty list of profiles or checks means "whatever the operator offers"; the
 * workspace roots and git remotes are never empty, so a project's cycles always work somewhere the
 * operator named.
 *
 * @param team the team (NATS account) whose users see and steer the project's cycles
 * @param workspaceRoots absolute directories the project's workspaces must lie under
 * @param gitRemotes URL prefixes a git workspace's remote must start with
 * @param approvers public user nkeys ({@code U...}) whose signed approval a gate accepts; none:
 *     unsigned approvals are accepted
 * @param allowFastForward whether a git workspace's cycle may ask to fast-forward its base ref at
 *     COMPLETED ({@code workspace.git.deliver: FAST_FORWARD}); not allowed when left out
 */
public record Project(
    String name,
    String team,
    List<String> workspaceRoots,
    List<String> gitRemotes,
    List<String> profiles,
    List<String> checks,
    Budget budgetCeiling,
    ProjectQuotas quotas,
    List<String> approvers,
    Instant updatedAt,
    Boolean allowFastForward) {

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final int MAX_LIST = 100;

  public Project {
    workspaceRoots = copy(workspaceRoots);
    gitRemotes = copy(gitRemotes);
    profiles = copy(profiles);
    checks = copy(checks);
    approvers = copy(approvers);
    quotas = quotas == null ? ProjectQuotas.defaults() : quotas;
  }

  /** Whether its cycles may fast-forward their base ref at COMPLETED. */
  public boolean allowsFastForward() {
    return Boolean.TRUE.equals(allowFastForward);
  }

  private static List<String> copy(List<String> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /** The same project, stamped with the time it is written. */
  public Project writtenAt(Instant now) {
    return new Project(
        name,
        team,
        workspaceRoots,
        gitRemotes,
        profiles,
        checks,
        budgetCeiling,
        quotas,
        approvers,
        now,
        allowFastForward);
  }

  /**
   * Refuses a project the registry may not hold, naming the field: every list bounded, every name a
   * subject token, roots absolute, remotes URL prefixes, approvers valid public user nkeys.
   */
  public Project validated() {
    requireToken(name, "name");
    requireToken(team, "team");
    if (workspaceRoots.isEmpty() && gitRemotes.isEmpty()) {
      throw AgentOsException.invalid(
          "project '"
              + name
              + "' needs at least one workspace root (an absolute directory) or git remote (a"
              + " URL prefix) its cycles may work in");
    }
    bounded(workspaceRoots, "workspace_roots");
    for (String root : workspaceRoots) {
      if (root == null || !Path.of(root).isAbsolute() || root.contains("..")) {
        throw AgentOsException.invalid(
            "workspace_roots: '" + root + "' is not an absolute directory without '..'");
      }
    }
    bounded(gitRemotes, "git_remotes");
    for (String remote : gitRemotes) {
      if (remote == null || !remote.matches("(https://|ssh://|git@)[^\\s]+")) {
        throw AgentOsException.invalid(
            "git_remotes: '"
                + remote
                + "' is not a URL prefix (https://host/org/, ssh://git@host/org/ or"
                + " git@host:org/)");
      }
    }
    bounded(profiles, "profiles");
    profiles.forEach(p -> requireToken(p, "profiles"));
    bounded(checks, "checks");
    checks.forEach(c -> requireToken(c, "checks"));
    bounded(approvers, "approvers");
    for (String approver : approvers) {
      requireApproverKey(approver);
    }
    quotas.validate();
    return this;
  }

  /** Whether {@code realWorkspace} (a resolved real path) lies under one of the project's roots. */
  public boolean allowsWorkspace(Path realWorkspace) {
    return workspaceRoots.stream().map(Path::of).anyMatch(realWorkspace::startsWith);
  }

  /**
   * Whether a git workspace's remote {@code url} is one the project may use: it starts with one of
   * {@link #gitRemotes()}. The one place a project's remotes are matched, for the git workspaces.
   */
  public boolean allowsGitRemote(String url) {
    return url != null && !url.contains("..") && gitRemotes.stream().anyMatch(url::startsWith);
  }

  public boolean hasApprovers() {
    return !approvers.isEmpty();
  }

  static void requireApproverKey(String key) {
    boolean valid;
    try {
      valid = key != null && key.startsWith("U") && NKey.fromPublicKey(key.toCharArray()) != null;
    } catch (RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw AgentOsException.invalid(
          "approvers: '"
              + key
              + "' is not a public user nkey (56 characters starting with U, as `nk -gen user"
              + " -pubout` prints)");
    }
  }

  static void requireToken(String value, String field) {
    if (value == null || !TOKEN.matcher(value).matches()) {
      throw AgentOsException.invalid(
          field
              + " '"
              + (value == null ? "" : value)
              + "' must be 1-64 characters of A-Z, a-z, 0-9, '_' and '-'");
    }
  }

  private static void bounded(List<String> list, String field) {
    if (list.size() > MAX_LIST) {
      throw AgentOsException.invalid(
          field + " holds " + list.size() + " entries; at most " + MAX_LIST);
    }
  }
}

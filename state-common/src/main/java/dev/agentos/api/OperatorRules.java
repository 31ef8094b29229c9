package dev.agentos.api;

import dev.agentos.git.AllowedRemotes;
import dev.agentos.state.Budget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator lets a submit choose. A submitter describes the work; what runs is the
 * operator's: agents are named profiles, checks are named checks, budgets stay under a ceiling. The
 * service configuration implements it; the control API only asks.
 */
public interface OperatorRules {

  /** The names of the agent profiles {@code project} may choose, sorted. */
  List<String> profiles(String project);

  /**
   * The names of the checks {@code project} may name: the operator's checks and those the
   * workspace's own committed configuration defines, sorted.
   */
  List<String> checks(String project, Path workspace);

  /** The highest limits a submit or a resume may set for {@code project}; null fields: none. */
  Budget ceiling(String project);

  /**
   * Why a cost budget cannot be kept for {@code project} with these agents, if it cannot: a role
   * whose agent has no price would count nothing.
   *
   * @param profiles the profile each role uses by the submit's choice; roles not named use their
   *     configured default
   */
  Optional<String> unpriced(String project, Map<String, String> profiles);

  /**
   * Why a role that needs tools (the executor) would get a model that cannot call them, if it
   * would; the message names the profile and what to use instead.
   *
   * @param profiles the profile each role uses by the submit's choice; roles not named use their
   *     configured default
   */
  default Optional<String> toolless(String project, Map<String, String> profiles) {
    return Optional.empty();
  }

  /** The git remotes a cycle's {@code workspace.git.url} may name: none unless configured. */
  default AllowedRemotes remotes() {
    return AllowedRemotes.none();
  }

  /**
   * Whether a cycle of a project the registry does not hold may fast-forward its base ref at
   * COMPLETED ({@code workspace.git.deliver: FAST_FORWARD}); a registered project says so itself.
   */
  default boolean fastForwardAllowed() {
    return false;
  }

  /** No profiles, no checks, no ceiling: for tools and tests without a service configuration. */
  OperatorRules NONE =
      new OperatorRules() {
        @Override
        public List<String> profiles(String project) {
          return List.of();
        }

        @Override
        public List<String> checks(String project, Path workspace) {
          return List.of();
        }

        @Override
        public Budget ceiling(String project) {
          return Budget.unlimited();
        }

        @Override
        public Optional<String> unpriced(String project, Map<String, String> profiles) {
          return Optional.empty();
        }
      };
}

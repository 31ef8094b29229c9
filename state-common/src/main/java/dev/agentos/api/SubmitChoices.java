package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.state.AgentOverride;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.Phase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two choices a submit makes about what runs, each by name only: an agent profile per role, and
 * the checks Review runs. A name the operator did not define, or anything that is not a name (a
 * command line, a base URL, a backend, a shell line), is refused with the names that may be used.
 */
final class SubmitChoices {
  private SubmitChoices() {}

  /**
   * The profile each role of {@code options.agents} names.
   *
   * @throws AgentOsException INVALID_REQUEST listing the profiles {@code project} may use
   */
  static Map<String, String> profiles(CycleOptions options, List<String> allowed, String project) {
    Map<String, String> chosen = new LinkedHashMap<>();
    if (options.agents() == null) {
      return chosen;
    }
    for (Map.Entry<String, AgentOverride> entry : options.agents().entrySet()) {
      String role = entry.getKey();
      try {
        Phase.ofRole(role);
      } catch (IllegalArgumentException e) {
        throw AgentOsException.invalid("options.agents: " + e.getMessage());
      }
      AgentOverride override = entry.getValue();
      String field = "options.agents." + role;
      if (override == null) {
        throw AgentOsException.invalid(field + " is empty; " + profileHint(allowed, project));
      }
      if (override.namesWhatRuns()) {
        throw AgentOsException.invalid(
            field
                + " sets "
                + String.join(", ", override.forbiddenFields())
                + ": a submit chooses an agent profile by name, never a backend, model, base URL"
                + " or command line (what runs is the operator's); "
                + profileHint(allowed, project));
      }
      String profile = override.profile();
      if (profile == null || profile.isBlank() || !allowed.contains(profile)) {
        throw AgentOsException.invalid(
            field
                + (profile == null || profile.isBlank()
                    ? " names no profile; "
                    : ".profile '" + CycleIds.abbreviate(profile) + "' is not a profile; ")
                + profileHint(allowed, project));
      }
      chosen.put(role, profile);
    }
    return chosen;
  }

  /**
   * Checks {@code options.verify} names only checks {@code project} may run.
   *
   * @throws AgentOsException INVALID_REQUEST listing the checks that may be named
   */
  static void checks(CycleOptions options, List<String> allowed, String project) {
    for (String name : options.verifyOrEmpty()) {
      if (name == null || !allowed.contains(name)) {
        throw AgentOsException.invalid(
            "options.verify names checks by name, and '"
                + (name == null ? "" : CycleIds.abbreviate(name))
                + "' is not a check project "
                + project
                + " may run (a submit never carries a shell line); "
                + (allowed.isEmpty()
                    ? "it has none: the operator defines checks (agentos.checks.<name>.run) and a"
                        + " repository may commit its own in .agent-os/checks.yml"
                    : "checks: " + String.join(", ", allowed)));
      }
    }
  }

  private static String profileHint(List<String> allowed, String project) {
    return allowed.isEmpty()
        ? "project "
            + project
            + " may use no profile: leave options.agents out to use each role's configured agent,"
            + " or ask the operator to define one (agentos.profiles.<name>.*)"
        : "profiles project "
            + project
            + " may use: "
            + String.join(", ", allowed)
            + " (e.g. \"agents\":{\"executor\":\""
            + allowed.get(0)
            + "\"})";
  }
}

package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/**
 * A cycle's choice of agent for one role: the name of an agent profile the operator configured
 * ({@code agentos.profiles.<name>.*}). It never holds a secret, and never what runs: a submit that
 * carries a backend, model, base URL or command line is refused. Those fields remain only so that
 * states written before profiles existed still read; such a state's override is refused when the
 * role runs.
 *
 * @param profile the profile's name
 */
public record AgentOverride(
    String profile, String backend, String model, String baseUrl, List<String> command) {

  /** {@code "executor": "claude"} is short for {@code "executor": {"profile": "claude"}}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static AgentOverride of(String profile) {
    return new AgentOverride(profile, null, null, null, null);
  }

  /** Whether this override says what runs (a backend, model, base URL or command) itself. */
  public boolean namesWhatRuns() {
    return backend != null || model != null || baseUrl != null || command != null;
  }

  /** The fields a submit may not set, as a submitter wrote them, for the refusal message. */
  public List<String> forbiddenFields() {
    List<String> fields = new java.util.ArrayList<>();
    if (backend != null) {
      fields.add("backend");
    }
    if (model != null) {
      fields.add("model");
    }
    if (baseUrl != null) {
      fields.add("base_url");
    }
    if (command != null) {
      fields.add("command");
    }
    return fields;
  }
}

package dev.agentos.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One line of the live cycles list, taken from a cycle's state as {@code agentos.api.status}
 * returns it. Read from the JSON tree, not the state record, so that a state of a newer version (an
 * unknown status or field) is still shown rather than dropped.
 *
 * @param step the current iteration's progress, e.g. {@code 2/3} (finished of planned steps)
 * @param model the models the roles used, e.g. {@code executor: gpt-4.1}
 */
public record CycleRow(
    String cycleId,
    String status,
    String phase,
    int iteration,
    String step,
    String project,
    String instruction,
    String model,
    double costUsd,
    long tokens,
    String createdAt,
    String updatedAt,
    String goal,
    String spec,
    List<String> actions) {

  public static CycleRow of(JsonNode state) {
    JsonNode total = state.path("usage").path("total");
    return new CycleRow(
        state.path("cycle_id").asText(),
        state.path("status").asText(),
        state.path("phase").asText(""),
        state.path("iteration").asInt(),
        step(state),
        state.path("project").asText(""),
        state.path("instruction").asText(""),
        models(state.path("usage").path("models")),
        total.path("cost_usd").asDouble(),
        total.path("tokens_in").asLong() + total.path("tokens_out").asLong(),
        state.path("created_at").asText(null),
        state.path("updated_at").asText(null),
        state.path("goal").asText(null),
        state.path("spec").asText(null),
        Actions.allowed(state.path("status").asText()));
  }

  private static String step(JsonNode state) {
    JsonNode iterations = state.path("iterations");
    if (!iterations.isArray() || iterations.isEmpty()) {
      return "";
    }
    JsonNode current = iterations.get(iterations.size() - 1);
    int planned = current.path("plan").path("steps").size();
    if (planned == 0) {
      return "";
    }
    int finished = 0;
    for (JsonNode step : current.path("execution").path("steps")) {
      String status = step.path("status").asText();
      if (status.equals("COMPLETED") || status.equals("SKIPPED")) {
        finished++;
      }
    }
    return finished + "/" + planned;
  }

  private static String models(JsonNode models) {
    if (!models.isObject() || models.isEmpty()) {
      return "";
    }
    java.util.Set<String> distinct = new java.util.TreeSet<>();
    models.fields().forEachRemaining(e -> distinct.add(e.getValue().asText()));
    return String.join(", ", distinct);
  }
}

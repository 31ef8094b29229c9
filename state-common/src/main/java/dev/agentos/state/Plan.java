package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The ordered steps of one iteration. {@code source} says where they came from (the spec's
 * tasks.md, or the planner's agent); {@code notes} holds what the planner could not place or found
 * inconsistent, so nothing is dropped silently.
 */
public record Plan(
    String source,
    List<PlanStep> steps,
    List<String> notes,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static Plan of(String source, List<PlanStep> steps, List<String> notes) {
    return new Plan(source, List.copyOf(steps), List.copyOf(notes), Extra.none());
  }
}

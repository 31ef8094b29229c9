package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One step of a plan; {@code task_ref} names the task in the spec's tasks file it carries out, and
 * {@code depends_on} the ids of the steps it waits for (schema v1.1; a state written before has
 * none, which reads as an empty list). The planner emits steps in an order that already respects
 * {@code depends_on}, so running them one after another in plan order is always correct. What the
 * dependencies of a whole plan mean (none anywhere: sequential) is {@link StepGraph}'s to say.
 */
public record PlanStep(
    String id,
    String title,
    String detail,
    String taskRef,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> dependsOn,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public PlanStep {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  public static PlanStep of(String id, String title, String detail, String taskRef) {
    return new PlanStep(id, title, detail, taskRef, List.of(), Extra.none());
  }

  /** This step waiting for the steps with these ids. */
  public PlanStep withDependsOn(List<String> stepIds) {
    return new PlanStep(id, title, detail, taskRef, stepIds, extra);
  }
}

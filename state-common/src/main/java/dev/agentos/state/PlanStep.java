package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One step of a plan; {@code task_ref} names the task in the spec's tasks.md it carries out. */
public record PlanStep(
    String id,
    String title,
    String detail,
    String taskRef,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static PlanStep of(String id, String title, String detail, String taskRef) {
    return new PlanStep(id, title, detail, taskRef, Extra.none());
  }
}

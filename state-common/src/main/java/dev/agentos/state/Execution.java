package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The checkpointed progress of the EXECUTE phase, one record per plan step that started. */
public record Execution(
    List<StepRecord> steps, @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static Execution empty() {
    return new Execution(List.of(), Extra.none());
  }

  public Optional<StepRecord> step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** This execution with {@code record} replacing the step of the same id, or appended. */
  public Execution with(StepRecord record) {
    List<StepRecord> next = new ArrayList<>(steps);
    int index = -1;
    for (int i = 0; i < next.size(); i++) {
      if (next.get(i).id().equals(record.id())) {
        index = i;
      }
    }
    if (index >= 0) {
      next.set(index, record);
    } else {
      next.add(record);
    }
    return new Execution(List.copyOf(next), extra);
  }

  /** This execution without the step {@code id}: a start taken back before its agent ran. */
  public Execution without(String id) {
    return new Execution(steps.stream().filter(s -> !s.id().equals(id)).toList(), extra);
  }
}

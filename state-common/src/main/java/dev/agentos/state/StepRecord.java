package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** The checkpoint of one executed step: written before the next step starts. */
public record StepRecord(
    String id,
    StepStatus status,
    int attempts,
    Instant startedAt,
    Instant finishedAt,
    String summary,
    ArtifactRef artifact,
    String workspaceRef,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static StepRecord started(String id, int attempt, Instant at) {
    return new StepRecord(
        id, StepStatus.RUNNING, attempt, at, null, null, null, null, Extra.none());
  }

  public StepRecord finished(
      StepStatus outcome, Instant at, String summary, ArtifactRef artifact, String workspaceRef) {
    return new StepRecord(
        id, outcome, attempts, startedAt, at, summary, artifact, workspaceRef, extra);
  }
}

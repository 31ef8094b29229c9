package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Review's typed verdict on one iteration. */
public record Review(
    Verdict verdict,
    int score,
    Band band,
    List<Check> checks,
    List<FeedbackItem> feedback,
    List<String> insights,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static Review of(
      Verdict verdict,
      int score,
      List<Check> checks,
      List<FeedbackItem> feedback,
      List<String> insights) {
    return new Review(
        verdict,
        score,
        Band.of(score),
        List.copyOf(checks),
        List.copyOf(feedback),
        List.copyOf(insights),
        Extra.none());
  }
}

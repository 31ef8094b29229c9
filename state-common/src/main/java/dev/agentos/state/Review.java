package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Review's typed verdict on one iteration.
 *
 * @param unverified why the verdict rests on the agents' own reports — no check ran and no review
 *     agent judged the work; null when something did
 */
public record Review(
    Verdict verdict,
    int score,
    Band band,
    List<Check> checks,
    List<FeedbackItem> feedback,
    List<String> insights,
    String unverified,
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
        null,
        Extra.none());
  }

  /** The same review, marked as resting on self-reports for {@code reason}. */
  public Review withUnverified(String reason) {
    return new Review(verdict, score, band, checks, feedback, insights, reason, extra);
  }
}

package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One pass through Plan, Execute, Express and Review. {@code feedback_in} is what the previous
 * review (or a person rejecting an approval) asked this pass to fix.
 */
public record Iteration(
    int number,
    List<FeedbackItem> feedbackIn,
    Plan plan,
    Execution execution,
    ExpressResult express,
    Review review,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static Iteration first() {
    return new Iteration(1, List.of(), null, null, null, null, Extra.none());
  }

  public static Iteration next(int number, List<FeedbackItem> feedbackIn) {
    return new Iteration(number, List.copyOf(feedbackIn), null, null, null, null, Extra.none());
  }

  public Iteration withPlan(Plan value) {
    return new Iteration(number, feedbackIn, value, execution, express, review, extra);
  }

  public Iteration withExecution(Execution value) {
    return new Iteration(number, feedbackIn, plan, value, express, review, extra);
  }

  public Iteration withExpress(ExpressResult value) {
    return new Iteration(number, feedbackIn, plan, execution, value, review, extra);
  }

  public Iteration withReview(Review value) {
    return new Iteration(number, feedbackIn, plan, execution, express, value, extra);
  }

  public Execution executionOrEmpty() {
    return execution == null ? Execution.empty() : execution;
  }

  /** A plan step's status in this iteration: PENDING until its first checkpoint. */
  public StepStatus stepStatus(String stepId) {
    return executionOrEmpty().step(stepId).map(StepRecord::status).orElse(StepStatus.PENDING);
  }
}

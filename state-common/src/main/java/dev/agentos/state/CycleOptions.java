package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What the submitter asked for beyond the task itself. */
public record CycleOptions(
    Integer maxIterations,
    Budget budget,
    Boolean pauseOnBudget,
    Approvals approvals,
    List<String> verify,
    Map<String, AgentOverride> agents,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static final int DEFAULT_MAX_ITERATIONS = 3;

  public static CycleOptions defaults() {
    return new CycleOptions(null, null, null, null, null, null, Extra.none());
  }

  public int maxIterationsOrDefault() {
    return maxIterations == null ? DEFAULT_MAX_ITERATIONS : maxIterations;
  }

  public Approvals approvalsOrNone() {
    return approvals == null ? Approvals.none() : approvals;
  }

  public Budget budgetOrUnlimited() {
    return budget == null ? Budget.unlimited() : budget;
  }

  public boolean pausesOnBudget() {
    return pauseOnBudget == null || pauseOnBudget;
  }

  public List<String> verifyOrEmpty() {
    return verify == null ? List.of() : verify;
  }

  public CycleOptions withBudget(Budget newBudget) {
    return new CycleOptions(
        maxIterations, newBudget, pauseOnBudget, approvals, verify, agents, extra);
  }
}

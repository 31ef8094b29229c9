package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What the submitter asked for beyond the task itself. {@code then} names the instructions to run
 * next, each as a linked cycle once this one completes; {@code allow_push} lets a git-commit link
 * push.
 */
public record CycleOptions(
    Integer maxIterations,
    Budget budget,
    Boolean pauseOnBudget,
    Approvals approvals,
    List<String> verify,
    Map<String, AgentOverride> agents,
    List<String> then,
    Boolean allowPush,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static final int DEFAULT_MAX_ITERATIONS = 3;

  public static CycleOptions defaults() {
    return new CycleOptions(null, null, null, null, null, null, null, null, Extra.none());
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
        maxIterations, newBudget, pauseOnBudget, approvals, verify, agents, then, allowPush, extra);
  }

  /** The instructions still to run after this cycle, each as its own linked cycle. */
  public List<String> thenOrEmpty() {
    return then == null ? List.of() : then;
  }

  public boolean allowsPush() {
    return Boolean.TRUE.equals(allowPush);
  }

  /** These options for the next link of a chain: the same, minus the link it becomes. */
  public CycleOptions forNextLink() {
    List<String> rest =
        thenOrEmpty().isEmpty() ? List.of() : thenOrEmpty().subList(1, thenOrEmpty().size());
    return new CycleOptions(
        maxIterations,
        budget,
        pauseOnBudget,
        approvals,
        verify,
        agents,
        rest.isEmpty() ? null : List.copyOf(rest),
        allowPush,
        extra);
  }
}

package dev.agentos.api;

import dev.agentos.state.AgentOverride;
import dev.agentos.state.Approvals;
import dev.agentos.state.Budget;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.Extra;
import java.util.List;
import java.util.Map;

/** The options a submitter may set; the strict twin of the state's {@link CycleOptions}. */
public record SubmitOptions(
    Integer maxIterations,
    Budget budget,
    Boolean pauseOnBudget,
    Approvals approvals,
    List<String> verify,
    Map<String, AgentOverride> agents,
    List<String> then,
    Boolean allowPush) {

  public CycleOptions toCycleOptions() {
    return new CycleOptions(
        maxIterations,
        budget,
        pauseOnBudget,
        approvals,
        verify == null ? null : List.copyOf(verify),
        agents == null ? null : Map.copyOf(agents),
        then == null ? null : List.copyOf(then),
        allowPush,
        Extra.none());
  }
}

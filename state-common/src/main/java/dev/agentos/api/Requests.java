package dev.agentos.api;

import dev.agentos.state.Budget;
import dev.agentos.state.Status;

/** The small request bodies of the control API. */
public final class Requests {
  private Requests() {}

  public record CycleRef(String cycleId) {}

  public record Cancel(String cycleId, String reason) {}

  /** Resume or retry, optionally with raised limits. */
  public record Resume(String cycleId, Budget budget) {}

  public record Approve(String cycleId, Boolean approved, String comment) {}

  public record ListCycles(String project, Status status, Integer limit) {}
}

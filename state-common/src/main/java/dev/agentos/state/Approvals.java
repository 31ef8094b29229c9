package dev.agentos.state;

/** Which approval gates a cycle stops at. */
public record Approvals(boolean afterPlan, boolean beforeComplete) {
  public static Approvals none() {
    return new Approvals(false, false);
  }

  public boolean requires(Gate gate) {
    return gate == Gate.AFTER_PLAN ? afterPlan : beforeComplete;
  }
}

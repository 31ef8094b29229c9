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

  /**
   * A decision at the gate a cycle waits at. {@code gate}, {@code signedAt}, {@code approver} (a
   * public user nkey) and {@code signature} sign it: see {@link ApprovalSignature}.
   */
  public record Approve(
      String cycleId,
      Boolean approved,
      String comment,
      dev.agentos.state.Gate gate,
      java.time.Instant signedAt,
      String approver,
      String signature) {}

  /** A person's answer to the question a cycle in NEEDS_INPUT waits on. */
  public record Answer(String cycleId, String answer) {}

  /**
   * @param cursor page through cycles: "" for the first page, then the reply's {@code next_cursor};
   *     null lists the newest {@code limit} cycles by creation time (reading every state)
   */
  public record ListCycles(String project, Status status, Integer limit, String cursor) {
    public ListCycles(String project, Status status, Integer limit) {
      this(project, status, limit, null);
    }
  }
}

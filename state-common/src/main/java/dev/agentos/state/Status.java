package dev.agentos.state;

import java.util.Optional;

/** Where a cycle stands. Final statuses never change again. */
public enum Status {
  QUEUED,
  PLANNING,
  EXECUTING,
  EXPRESSING,
  REVIEWING,
  AWAITING_APPROVAL,
  /** An agent asked a person a question ({@code question}); an answer resumes the same step. */
  NEEDS_INPUT,
  PAUSED,
  COMPLETED,
  FAILED,
  CANCELLED;

  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /**
   * Whether the cycle stopped until a person acts: resumes it (PAUSED), decides at a gate
   * (AWAITING_APPROVAL) or answers an agent's question (NEEDS_INPUT).
   */
  public boolean waitsForPerson() {
    return this == PAUSED || this == AWAITING_APPROVAL || this == NEEDS_INPUT;
  }

  /** The phase a worker runs in this status, for the statuses in which one runs. */
  public Optional<Phase> runningPhase() {
    return switch (this) {
      case QUEUED, PLANNING -> Optional.of(Phase.PLAN);
      case EXECUTING -> Optional.of(Phase.EXECUTE);
      case EXPRESSING -> Optional.of(Phase.EXPRESS);
      case REVIEWING -> Optional.of(Phase.REVIEW);
      default -> Optional.empty();
    };
  }
}

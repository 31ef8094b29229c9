package dev.agentos.state;

import java.util.EnumSet;
import java.util.Set;

/** Everything that can move a cycle from one status to another, and the statuses it may leave. */
public enum Trigger {
  START(EnumSet.of(Status.QUEUED)),
  PLAN_DONE(EnumSet.of(Status.PLANNING)),
  EXECUTE_DONE(EnumSet.of(Status.EXECUTING)),
  EXPRESS_DONE(EnumSet.of(Status.EXPRESSING)),
  REVIEW_PASS(EnumSet.of(Status.REVIEWING)),
  REVIEW_REVISE(EnumSet.of(Status.REVIEWING)),
  REVIEW_FAIL(EnumSet.of(Status.REVIEWING)),
  APPROVE(EnumSet.of(Status.AWAITING_APPROVAL)),
  REJECT(EnumSet.of(Status.AWAITING_APPROVAL)),
  /** A step's agent asked a person: the cycle waits in NEEDS_INPUT. */
  ASK(EnumSet.of(Status.EXECUTING)),
  /** A person answered: the step that asked runs on with the answer. */
  ANSWER(EnumSet.of(Status.NEEDS_INPUT)),
  PAUSE(
      EnumSet.of(
          Status.QUEUED, Status.PLANNING, Status.EXECUTING, Status.EXPRESSING, Status.REVIEWING)),
  RESUME(EnumSet.of(Status.PAUSED, Status.FAILED)),
  RETRY(EnumSet.of(Status.FAILED, Status.PAUSED)),
  CANCEL(EnumSet.complementOf(EnumSet.of(Status.COMPLETED, Status.FAILED, Status.CANCELLED))),
  FAIL(EnumSet.complementOf(EnumSet.of(Status.COMPLETED, Status.FAILED, Status.CANCELLED)));

  private final Set<Status> from;

  Trigger(Set<Status> from) {
    this.from = from;
  }

  public Set<Status> allowedFrom() {
    return EnumSet.copyOf(from);
  }

  public boolean allows(Status status) {
    return from.contains(status);
  }
}

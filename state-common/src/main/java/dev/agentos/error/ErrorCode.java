package dev.agentos.error;

/**
 * Every failure Agent OS reports, on the API, in a cycle's {@code error} and in events. The status
 * number is what the NATS service error header {@code Nats-Service-Error-Code} carries.
 */
public enum ErrorCode {
  INVALID_REQUEST(400, false),
  /** The caller may not do this: an approval not signed by one of the project's approvers. */
  FORBIDDEN(403, false),
  PAYLOAD_TOO_LARGE(413, false),
  NOT_FOUND(404, false),
  CONFLICT(409, true),
  INVALID_TRANSITION(409, false),
  BUDGET_EXHAUSTED(402, false),
  /** No plan can be made from the input (a spec without tasks and no goal). */
  PLAN_INVALID(422, false),
  /** The agent ran and did not get the task done (a non-zero exit, a refusal). */
  AGENT_FAILED(502, true),
  AGENT_TIMEOUT(504, true),
  /** The agent could not be reached or started at all: retried later, then dead-lettered. */
  AGENT_UNAVAILABLE(503, true),
  /**
   * The agent answered, but not in the form asked for (a plan that is not a JSON list of steps, a
   * critique without its scores), even after being told once what was wrong.
   */
  AGENT_ANSWER_INVALID(422, false),
  MAX_DELIVER_EXHAUSTED(500, false),
  MAX_ITERATIONS(422, false),
  REVIEW_FAILED(422, false),
  CANCELLED(409, false),
  /**
   * A git workspace's cycle branch is not where the cycle left it (someone pushed to it): the cycle
   * pauses rather than overwrite that commit.
   */
  WORKSPACE_MOVED(409, false),
  UNAVAILABLE(503, true),
  /** A project's cap (cycles in flight, standards, instructions) is reached. */
  QUOTA_EXCEEDED(429, false),
  /** A stream, bucket or the object store is at its maximum size. */
  STORAGE_FULL(507, true),
  INTERNAL(500, true);

  private final int status;
  private final boolean retryable;

  ErrorCode(int status, boolean retryable) {
    this.status = status;
    this.retryable = retryable;
  }

  public int status() {
    return status;
  }

  /** Whether trying the same work again later may succeed (a flaky agent, a busy server). */
  public boolean retryable() {
    return retryable;
  }
}

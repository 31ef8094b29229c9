package dev.agentos.agent;

import dev.agentos.state.StepRecord;
import dev.agentos.state.Usage;

/**
 * The {@code noop} backend: answers every call at once, in the service's own process, without
 * touching the workspace or spending anything. It exists to measure Agent OS's orchestration alone
 * (claims, checkpoints, hand-offs), without the cost of starting an agent process: an operator
 * configures it as a profile ({@code agentos.profiles.<name>.backend=noop}); a submit can only name
 * that profile, never ask for the backend.
 */
final class NoopBackend implements AgentBackend {
  /** What a no-op step answers: the executor records it as a step that needed no change. */
  static final String ANSWER = StepRecord.NO_CHANGE + " the noop agent changes nothing";

  private final String role;

  NoopBackend(String role) {
    this.role = role;
  }

  @Override
  public AgentResult call(AgentRequest request) {
    return new AgentResult(ANSWER, 0, Usage.ZERO, "noop");
  }

  @Override
  public String describe() {
    return "noop (in-process, answers at once and changes nothing) for role " + role;
  }
}

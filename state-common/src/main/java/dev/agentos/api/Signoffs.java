package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.project.Project;
import dev.agentos.project.Projects;
import dev.agentos.state.CycleState;
import dev.agentos.state.Gate;
import dev.agentos.state.Signoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether an approval may be recorded, and records who gave it. A project with approvers
 * accepts only a decision signed by one of them, for the gate the cycle waits at, signed within
 * {@link #MAX_SKEW} of now and later than every decision recorded before (so a captured request
 * cannot be replayed at a later gate); a project without approvers (or none registered) also
 * accepts an unsigned one. Either way the decision is recorded in the state's {@code signoffs}.
 */
public final class Signoffs {
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final Projects projects;

  public Signoffs(Projects projects) {
    this.projects = projects;
  }

  public static Signoffs unsigned() {
    return new Signoffs(Projects.NONE);
  }

  /**
   * {@code state} with the decision recorded, or FORBIDDEN / INVALID_REQUEST saying why not. A
   * state that waits at no gate is returned as it is: the transition refuses it.
   */
  public CycleState record(CycleState state, Requests.Approve request, Instant now) {
    if (state.approval() == null) {
      return state;
    }
    Gate gate = state.approval().gate();
    Optional<Project> project = projects.get(state.project());
    boolean signed = request.signature() != null || request.approver() != null;
    boolean required = project.map(Project::hasApprovers).orElse(false);
    if (!signed && required) {
      throw forbidden(
          "project "
              + state.project()
              + " accepts only signed approvals: sign with an approver's nkey (agentos approve"
              + " --nkey FILE) and send gate, signed_at, approver and signature");
    }
    if (!signed) {
      return with(
          state, new Signoff(gate, state.iteration(), request.approved(), null, null, null, now));
    }
    if (request.signature() == null
        || request.approver() == null
        || request.signedAt() == null
        || request.gate() == null) {
      throw AgentOsException.invalid(
          "a signed approval needs gate, signed_at, approver and signature together");
    }
    if (required && !project.get().approvers().contains(request.approver())) {
      throw forbidden(request.approver() + " is not an approver of project " + state.project());
    }
    if (request.gate() != gate) {
      throw forbidden(
          "the approval is signed for gate "
              + request.gate()
              + " but the cycle waits at "
              + gate
              + "; sign the gate it waits at");
    }
    if (Duration.between(request.signedAt(), now).abs().compareTo(MAX_SKEW) > 0) {
      throw forbidden(
          "the approval was signed at "
              + request.signedAt()
              + ", more than "
              + MAX_SKEW.toMinutes()
              + " minutes from now ("
              + now
              + "); sign it again");
    }
    for (Signoff earlier : signoffs(state)) {
      if (request.signature().equals(earlier.signature())
          || (earlier.signedAt() != null && !request.signedAt().isAfter(earlier.signedAt()))) {
        throw forbidden(
            "the approval repeats or predates one already recorded (signed at "
                + earlier.signedAt()
                + "); sign a new one");
      }
    }
    String text =
        ApprovalSignature.text(state.cycleId(), gate, request.approved(), request.signedAt());
    if (!ApprovalSignature.verifies(request.approver(), text, request.signature())) {
      throw forbidden(
          "the signature does not verify for "
              + request.approver()
              + " over the text '"
              + text.replace("\n", "\\n")
              + "'");
    }
    return with(
        state,
        new Signoff(
            gate,
            state.iteration(),
            request.approved(),
            request.approver(),
            request.signature(),
            request.signedAt(),
            now));
  }

  private static List<Signoff> signoffs(CycleState state) {
    return state.signoffs() == null ? List.of() : state.signoffs();
  }

  private static CycleState with(CycleState state, Signoff signoff) {
    List<Signoff> all = new ArrayList<>(signoffs(state));
    all.add(signoff);
    return state.toBuilder().signoffs(List.copyOf(all)).build();
  }

  private static AgentOsException forbidden(String message) {
    return new AgentOsException(ErrorCode.FORBIDDEN, message);
  }
}

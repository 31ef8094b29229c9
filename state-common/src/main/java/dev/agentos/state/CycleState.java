package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole state of one PEER cycle, schema {@code agentos.cycle/v1}: one JSON document under
 * {@code cycle.<cycle_id>} in the {@code agentos-cycles} bucket. Any replica of any role can pick a
 * cycle up from this document alone. {@code parent_cycle_id} links a cycle to the one before it in
 * a chain, and {@code parent_summary} carries that cycle's Express summary forward (a git-commit
 * link takes its message from it).
 */
public record CycleState(
    String schema,
    String cycleId,
    String project,
    String team,
    String instruction,
    String parentCycleId,
    String parentSummary,
    Instant createdAt,
    Instant updatedAt,
    String goal,
    String spec,
    Workspace workspace,
    CycleOptions options,
    Status status,
    Phase phase,
    int iteration,
    Lease lease,
    int attempts,
    int requeues,
    PendingApproval approval,
    PendingQuestion question,
    List<Signoff> signoffs,
    String pauseReason,
    List<Iteration> iterations,
    UsageTotals usage,
    CycleError error,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  // v1.1 added checks' source and exit_code, steps' notes, plan steps' depends_on.
  // v1.2 added steps' agent_session (a CLI agent's own session, resumed after a takeover), team
  // (the project's owner when submitted) and signoffs (who approved a gate); git workspaces'
  // workspace.git.deliver and the delivery outcome (optional, so no new version).
  // v1.3 added status NEEDS_INPUT with question (what an agent asks a person) and steps' answers.
  // v1.4 added steps' lease (a parallel step's own claim, when the plan declares depends_on).
  public static final String SCHEMA = "agentos.cycle/v1.4";
  public static final String DEFAULT_INSTRUCTION = "execute-tasks";

  /** The iteration in progress. */
  public Iteration currentIteration() {
    return iterations.get(iterations.size() - 1);
  }

  public CycleOptions optionsOrDefaults() {
    return options == null ? CycleOptions.defaults() : options;
  }

  public UsageTotals usageOrNone() {
    return usage == null ? UsageTotals.none() : usage;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Replaces the iteration in progress. */
  public CycleState withCurrentIteration(Iteration updated) {
    List<Iteration> next = new ArrayList<>(iterations);
    next.set(next.size() - 1, updated);
    return toBuilder().iterations(List.copyOf(next)).build();
  }

  /** A copy of a state with some fields changed; the one way code derives a new state. */
  public static final class Builder {
    private String schema;
    private String cycleId;
    private String project;
    private String team;
    private String instruction;
    private String parentCycleId;
    private String parentSummary;
    private Instant createdAt;
    private Instant updatedAt;
    private String goal;
    private String spec;
    private Workspace workspace;
    private CycleOptions options;
    private Status status;
    private Phase phase;
    private int iteration;
    private Lease lease;
    private int attempts;
    private int requeues;
    private PendingApproval approval;
    private PendingQuestion question;
    private List<Signoff> signoffs;
    private String pauseReason;
    private List<Iteration> iterations;
    private UsageTotals usage;
    private CycleError error;
    private Map<String, JsonNode> extra;

    public Builder() {
      schema = SCHEMA;
      instruction = DEFAULT_INSTRUCTION;
      status = Status.QUEUED;
      phase = Phase.PLAN;
      iteration = 1;
      iterations = List.of(Iteration.first());
      usage = UsageTotals.none();
      options = CycleOptions.defaults();
      extra = Extra.none();
    }

    private Builder(CycleState s) {
      schema = s.schema;
      cycleId = s.cycleId;
      project = s.project;
      team = s.team;
      instruction = s.instruction;
      parentCycleId = s.parentCycleId;
      parentSummary = s.parentSummary;
      createdAt = s.createdAt;
      updatedAt = s.updatedAt;
      goal = s.goal;
      spec = s.spec;
      workspace = s.workspace;
      options = s.options;
      status = s.status;
      phase = s.phase;
      iteration = s.iteration;
      lease = s.lease;
      attempts = s.attempts;
      requeues = s.requeues;
      approval = s.approval;
      question = s.question;
      signoffs = s.signoffs;
      pauseReason = s.pauseReason;
      iterations = s.iterations;
      usage = s.usage;
      error = s.error;
      extra = s.extra;
    }

    public Builder cycleId(String value) {
      cycleId = value;
      return this;
    }

    public Builder project(String value) {
      project = value;
      return this;
    }

    public Builder team(String value) {
      team = value;
      return this;
    }

    public Builder instruction(String value) {
      instruction = value;
      return this;
    }

    public Builder parentCycleId(String value) {
      parentCycleId = value;
      return this;
    }

    public Builder parentSummary(String value) {
      parentSummary = value;
      return this;
    }

    public Builder createdAt(Instant value) {
      createdAt = value;
      return this;
    }

    public Builder updatedAt(Instant value) {
      updatedAt = value;
      return this;
    }

    public Builder goal(String value) {
      goal = value;
      return this;
    }

    public Builder spec(String value) {
      spec = value;
      return this;
    }

    public Builder workspace(Workspace value) {
      workspace = value;
      return this;
    }

    public Builder options(CycleOptions value) {
      options = value;
      return this;
    }

    public Builder status(Status value) {
      status = value;
      return this;
    }

    public Builder phase(Phase value) {
      phase = value;
      return this;
    }

    public Builder iteration(int value) {
      iteration = value;
      return this;
    }

    public Builder lease(Lease value) {
      lease = value;
      return this;
    }

    public Builder attempts(int value) {
      attempts = value;
      return this;
    }

    public Builder requeues(int value) {
      requeues = value;
      return this;
    }

    public Builder approval(PendingApproval value) {
      approval = value;
      return this;
    }

    public Builder question(PendingQuestion value) {
      question = value;
      return this;
    }

    public Builder signoffs(List<Signoff> value) {
      signoffs = value;
      return this;
    }

    public Builder pauseReason(String value) {
      pauseReason = value;
      return this;
    }

    public Builder iterations(List<Iteration> value) {
      iterations = value;
      return this;
    }

    public Builder usage(UsageTotals value) {
      usage = value;
      return this;
    }

    public Builder error(CycleError value) {
      error = value;
      return this;
    }

    /** Sets one field outside the record's own (e.g. {@code reverts}), keeping the others. */
    public Builder extra(String name, JsonNode value) {
      Map<String, JsonNode> more = new java.util.LinkedHashMap<>(Extra.orNone(extra));
      more.put(name, value);
      extra = more;
      return this;
    }

    public CycleState build() {
      return new CycleState(
          schema,
          cycleId,
          project,
          team,
          instruction,
          parentCycleId,
          parentSummary,
          createdAt,
          updatedAt,
          goal,
          spec,
          workspace,
          options,
          status,
          phase,
          iteration,
          lease,
          attempts,
          requeues,
          approval,
          question,
          signoffs,
          pauseReason,
          iterations,
          usage,
          error,
          Extra.orNone(extra));
    }
  }
}

package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.git.CycleBranch;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.project.Project;
import dev.agentos.state.Budget;
import dev.agentos.state.CycleError;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Delivery;
import dev.agentos.state.GitRef;
import dev.agentos.state.Status;
import dev.agentos.state.Workspace;
import dev.agentos.workspace.WorkspacePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Turns a submitted task into a new cycle: validates everything first (so a bad request changes
 * nothing), writes the QUEUED state, and hands it to the planner. The API and the durable task
 * intake both submit through here.
 */
public final class Submissions {
  private static final Logger LOG = Logger.getLogger(Submissions.class);
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final int MAX_ITERATIONS_LIMIT = 20;
  private static final Pattern GIT_REF =
      Pattern.compile("(?!-)(?!.*\\.\\.)(?!.*//)[A-Za-z0-9._/-]{1,200}(?<![./])");
  private static final Pattern LINK = Pattern.compile("(.+)-l(\\d+)");

  private final CycleStore store;
  private final Handoff handoff;
  private final Events events;
  private final WorkspacePaths workspaces;
  private final Budget defaultBudget;
  private final InstructionRules instructions;
  private final OperatorRules rules;
  private final ProjectAdmission projects;
  private final Clock clock;

  /**
   * @param defaultBudget the limits of a cycle whose submit names none (may be unlimited)
   * @param rules what the operator lets a submit choose: profiles, checks, the budget ceiling
   */
  public Submissions(
      CycleStore store,
      Handoff handoff,
      Events events,
      WorkspacePaths workspaces,
      Budget defaultBudget,
      InstructionRules instructions,
      OperatorRules rules,
      Clock clock) {
    this(
        store,
        handoff,
        events,
        workspaces,
        defaultBudget,
        instructions,
        rules,
        ProjectAdmission.open(),
        clock);
  }

  /**
   * @param projects the project registry a submit is held to
   */
  public Submissions(
      CycleStore store,
      Handoff handoff,
      Events events,
      WorkspacePaths workspaces,
      Budget defaultBudget,
      InstructionRules instructions,
      OperatorRules rules,
      ProjectAdmission projects,
      Clock clock) {
    this.store = store;
    this.projects = projects;
    this.handoff = handoff;
    this.events = events;
    this.workspaces = workspaces;
    this.defaultBudget = defaultBudget;
    this.instructions = instructions;
    this.rules = rules;
    this.clock = clock;
  }

  /**
   * Creates the cycle and enqueues its PLAN phase; {@code cycleId} may be null for a new id. A
   * caller-chosen id may not look like a chain link's, so no submit can take a link's place.
   */
  public CycleState submit(SubmitRequest request, String cycleId) {
    return submit(Caller.OPERATOR, request, cycleId);
  }

  /** A submit by {@code caller}: a team submits only for its own registered projects. */
  public CycleState submit(Caller caller, SubmitRequest request, String cycleId) {
    if (cycleId != null) {
      CycleIds.requireSubmittable(cycleId);
    }
    Instant now = clock.instant();
    CycleState state =
        newCycle(caller, request, cycleId == null ? CycleIds.next(now) : cycleId, now);
    lockWorkingTree(state);
    store.create(state);
    LOG.infof(
        "cycle=%s phase=PLAN iteration=1 submitted for project %s",
        state.cycleId(), state.project());
    events.publish(state, EventType.SUBMITTED, state.instruction(), null);
    try {
      handoff.publish(state);
    } catch (AgentOsException e) {
      // The cycle exists; the reconciler enqueues it once NATS takes publishes again.
      LOG.warnf(
          "cycle=%s hand-off to PLAN failed, the reconciler will retry: %s",
          state.cycleId(), e.getMessage());
    }
    return state;
  }

  /**
   * One cycle at a time works in a local working tree: a submit while another cycle works there is
   * refused rather than queued. The submitter is there to choose (wait, or {@code --isolate}); a
   * queued cycle would wait without bound behind one that is paused or awaiting approval, and would
   * need a waiting state the cycle does not have. Git and isolated workspaces need no lock: each
   * cycle has a branch and a checkout of its own.
   */
  private void lockWorkingTree(CycleState state) {
    Workspace workspace = state.workspace();
    if (workspace.git() != null || workspace.isolated()) {
      return;
    }
    store
        .lockWorkspace(workspace.path(), state.cycleId())
        .ifPresent(
            holder -> {
              throw new WorkspaceBusyException(
                  "cycle "
                      + holder
                      + " is working in "
                      + workspace.path()
                      + "; submit again once it has ended, or with isolate (--isolate) to work"
                      + " in a git worktree of its own");
            });
  }

  /**
   * Starts the next link of a completed cycle's chain ({@code options.then}): the same project,
   * workspace, goal and spec, the next instruction, linked by {@code parent_cycle_id}. The link's
   * id derives from the parent's, so a second call (a redelivery, the reconciler) starts nothing
   * new.
   */
  public Optional<CycleState> startNextLink(CycleState parent) {
    List<String> then = parent.optionsOrDefaults().thenOrEmpty();
    if (parent.status() != Status.COMPLETED || then.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    SubmitRequest request =
        new SubmitRequest(
            parent.project(),
            then.get(0),
            parent.goal(),
            parent.spec(),
            linkWorkspace(parent.workspace()),
            null,
            null);
    CycleState link =
        newCycle(request, linkId(parent.cycleId()), now).toBuilder()
            .options(parent.optionsOrDefaults().forNextLink())
            .parentCycleId(parent.cycleId())
            .parentSummary(lastSummary(parent))
            .build();
    try {
      lockWorkingTree(link);
    } catch (WorkspaceBusyException e) {
      stopChain(parent, "the chain cannot continue: " + e.getMessage());
      return Optional.empty();
    }
    try {
      store.create(link);
    } catch (AgentOsException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
      Optional<CycleState> taken = store.get(link.cycleId()).map(CycleStore.Versioned::state);
      if (taken.isEmpty() || parent.cycleId().equals(taken.get().parentCycleId())) {
        return Optional.empty(); // this link already started: a redelivery or the reconciler
      }
      linkIdTaken(parent, link.cycleId());
      return Optional.empty();
    }
    LOG.infof(
        "cycle=%s phase=PLAN iteration=1 started as the next link (%s) of %s",
        link.cycleId(), link.instruction(), parent.cycleId());
    events.publish(
        link, EventType.SUBMITTED, link.instruction() + " after " + parent.cycleId(), null);
    try {
      handoff.publish(link);
    } catch (AgentOsException e) {
      LOG.warnf(
          "cycle=%s hand-off to PLAN failed, the reconciler will retry: %s",
          link.cycleId(), e.getMessage());
    }
    return Optional.of(link);
  }

  /**
   * A chain that cannot continue because another cycle, not started by this chain, holds the next
   * link's id (possible only for cycles submitted before such ids were refused). The parent says so
   * in its error, once, with an event and an error log, instead of the chain silently ending.
   */
  private void linkIdTaken(CycleState parent, String linkId) {
    stopChain(
        parent,
        "the chain cannot continue: the id "
            + linkId
            + " of its next link ("
            + parent.optionsOrDefaults().thenOrEmpty().get(0)
            + ") is held by another cycle that this chain did not start; submit the rest of"
            + " the chain as a new cycle");
  }

  /** Says in the parent's error, once, why its chain stops here. */
  private void stopChain(CycleState parent, String message) {
    CycleState marked =
        store
            .update(
                parent.cycleId(),
                s ->
                    s.error() != null
                        ? s
                        : s.toBuilder()
                            .error(new CycleError(s.phase(), ErrorCode.CONFLICT, message))
                            .updatedAt(clock.instant())
                            .build())
            .state();
    if (marked.error() != null
        && message.equals(marked.error().message())
        && parent.error() == null) {
      LOG.errorf("cycle=%s %s", parent.cycleId(), message);
      events.publish(marked, EventType.REJECTED, message, null);
    }
  }

  /** A chain's next link works on a branch of its own, from where its parent's branch ended. */
  private static Workspace linkWorkspace(Workspace parent) {
    if (parent == null || parent.git() == null) {
      return parent;
    }
    GitRef git = parent.git();
    String from = git.head() != null ? git.head() : git.ref();
    return new Workspace(null, new GitRef(git.url(), from, git.path(), null, null), null);
  }

  /**
   * QUOTA_EXCEEDED when the project has as many cycles in flight (not yet ended) as its quota
   * allows. Counted from the states, so it reads each: a cost paid only by registered projects.
   */
  private void requireCycleRoom(Project project) {
    int cap = project.quotas().cyclesInFlightOrDefault();
    long inFlight =
        store.cycleIds().stream()
            .map(store::get)
            .flatMap(Optional::stream)
            .map(CycleStore.Versioned::state)
            .filter(s -> project.name().equals(s.project()) && !s.status().isFinal())
            .count();
    if (inFlight >= cap) {
      throw new AgentOsException(
          ErrorCode.QUOTA_EXCEEDED,
          "project "
              + project.name()
              + " has "
              + inFlight
              + " cycles in flight, its quota is "
              + cap
              + "; wait for one to end or cancel one (an operator raises quotas.cycles_in_flight"
              + " with `agentos project set "
              + project.name()
              + " --max-cycles N`)");
    }
  }

  /** {@code 20261129-2210-x} → {@code 20261129-2210-x-l2}; {@code …-l2} → {@code …-l3}. */
  static String linkId(String parentId) {
    java.util.regex.Matcher m = LINK.matcher(parentId);
    if (m.matches()) {
      return m.group(1) + "-l" + (Integer.parseInt(m.group(2)) + 1);
    }
    return parentId + "-l2";
  }

  private static String lastSummary(CycleState state) {
    String summary = null;
    for (var iteration : state.iterations()) {
      if (iteration.express() != null && iteration.express().summary() != null) {
        summary = iteration.express().summary();
      }
    }
    return summary;
  }

  /** Validates a request and builds the cycle it asks for, without writing anything. */
  public CycleState newCycle(SubmitRequest request, String cycleId, Instant now) {
    return newCycle(Caller.OPERATOR, request, cycleId, now);
  }

  /** {@link #newCycle(SubmitRequest, String, Instant)} for {@code caller}. */
  public CycleState newCycle(Caller caller, SubmitRequest request, String cycleId, Instant now) {
    if (request == null) {
      throw AgentOsException.invalid("the request body must be a JSON object");
    }
    CycleIds.requireValid(cycleId);
    String project = request.project();
    if (project == null || !PROJECT.matcher(project).matches()) {
      throw AgentOsException.invalid(
          "project '"
              + (project == null ? "" : CycleIds.abbreviate(project))
              + "' is required and may hold 1-64 characters of A-Z, a-z, 0-9, '_' and '-'");
    }
    Optional<Project> registered = projects.admit(caller, project);
    String instruction =
        request.instruction() == null ? CycleState.DEFAULT_INSTRUCTION : request.instruction();
    boolean hasGoal = request.goal() != null && !request.goal().isBlank();
    boolean hasSpec = request.spec() != null && !request.spec().isBlank();
    Workspace workspace = request.workspace();
    if (workspace == null) {
      throw AgentOsException.invalid(
          "workspace is required: {\"path\": \"/absolute/dir\"} the agents work in");
    }
    GitRef git = workspace.git() == null ? null : admitGit(project, registered, workspace, cycleId);
    // A git workspace is not on this machine: what needs its files (the spec folder, the
    // workspace's own instructions and checks) is checked by the phase that checks it out.
    Path dir = git == null ? workspaces.workspace(workspace.path()) : null;
    if (dir != null && workspace.isolated() && !Files.exists(dir.resolve(".git"))) {
      throw AgentOsException.invalid(
          "workspace.isolate needs a git repository, and "
              + dir
              + " is none; run git init there, or submit without isolate");
    }
    if (dir != null) {
      ProjectAdmission.requireWorkspace(registered, dir);
    } else {
      ProjectAdmission.requireGitRemote(registered, git.url());
    }
    registered.ifPresent(this::requireCycleRoom);
    InstructionRules.Resolved resolved =
        instructions.resolve(
            instruction,
            dir,
            hasGoal ? request.goal() : null,
            hasSpec ? request.spec() : null,
            now);
    String spec = resolved.spec();
    if (!hasGoal && spec == null) {
      throw AgentOsException.invalid(
          "give a spec (a spec folder inside the workspace, e.g. .agent-os/specs/2026-11-20-cart)"
              + " or a goal (what to achieve, in words)");
    }
    if (spec != null && dir == null) {
      WorkspacePaths.inside(Path.of("/"), spec, "spec"); // relative, no '..'
    } else if (spec != null) {
      Path folder = WorkspacePaths.inside(dir, spec, "spec");
      if (!resolved.specMayBeMissing() && !Files.isDirectory(folder)) {
        throw AgentOsException.invalid(
            "spec '" + spec + "' is not a folder in the workspace " + dir);
      }
    }
    CycleOptions options =
        admit(
            project,
            registered,
            dir,
            request.options() == null
                ? CycleOptions.defaults()
                : request.options().toCycleOptions());
    for (String next : options.thenOrEmpty()) {
      instructions.requireKnown(next, dir);
    }
    return new CycleState.Builder()
        .cycleId(cycleId)
        .project(project)
        .team(registered.map(Project::team).orElse(null))
        .instruction(instruction)
        .createdAt(now)
        .updatedAt(now)
        .goal(hasGoal ? request.goal() : null)
        .spec(spec)
        .workspace(
            git != null
                ? new Workspace(null, git, null)
                : new Workspace(dir.toString(), null, workspace.isolated() ? true : null))
        .options(options)
        .build();
  }

  /**
   * The git workspace as the cycle keeps it: an allowed remote, a ref and folder that cannot be
   * read as options or leave the repository, and the cycle's own branch.
   */
  private GitRef admitGit(
      String project, Optional<Project> registered, Workspace workspace, String cycleId) {
    GitRef git = workspace.git();
    if (workspace.path() != null || workspace.isolated()) {
      throw AgentOsException.invalid(
          "workspace gives git and path (or isolate): give one, {\"git\": {\"url\", \"ref\"}}"
              + " or {\"path\"}");
    }
    rules.remotes().require(project, git.url());
    if (git.ref() != null && !GIT_REF.matcher(git.ref()).matches()) {
      throw AgentOsException.invalid(
          "workspace.git.ref '"
              + CycleIds.abbreviate(git.ref())
              + "' is not a branch name or commit; give e.g. main or a 40-hex sha");
    }
    if (git.path() != null) {
      WorkspacePaths.inside(Path.of("/"), git.path(), "workspace.git.path");
    }
    if (git.head() != null || git.branch() != null) {
      throw AgentOsException.invalid(
          "workspace.git.head and .branch are the cycle's own; give url, ref and path only");
    }
    if (git.deliver() == Delivery.FAST_FORWARD) {
      ProjectAdmission.requireFastForward(project, registered, rules.fastForwardAllowed(), git);
    }
    return new GitRef(
        git.url(), git.ref(), git.path(), CycleBranch.name(cycleId), null, git.deliver());
  }

  /**
   * The options as the cycle will keep them, or INVALID_REQUEST: agents are chosen by profile name,
   * checks by check name, and the budget stays under the project's ceiling.
   */
  private CycleOptions admit(
      String project, Optional<Project> registered, Path workspace, CycleOptions options) {
    Integer max = options.maxIterations();
    if (max != null && (max < 1 || max > MAX_ITERATIONS_LIMIT)) {
      throw AgentOsException.invalid(
          "options.max_iterations must be between 1 and " + MAX_ITERATIONS_LIMIT + ", not " + max);
    }
    Map<String, String> profiles =
        SubmitChoices.profiles(
            options,
            ProjectAdmission.narrowed(rules.profiles(project), registered, false),
            project);
    rules
        .toolless(project, profiles)
        .ifPresent(
            why -> {
              throw AgentOsException.invalid("this cycle cannot run: " + why);
            });
    SubmitChoices.checks(
        options,
        ProjectAdmission.narrowed(rules.checks(project, workspace), registered, true),
        project);
    Budget budget =
        BudgetCeiling.admit(
            options.budget(),
            defaultBudget,
            ProjectAdmission.ceiling(rules.ceiling(project), registered),
            "options.budget");
    requirePriced(project, profiles, budget, "options.budget");
    return options.withBudget(Budget.unlimited().equals(budget) ? null : budget);
  }

  /**
   * The budget a resume or retry of {@code state} asks for, held under the project's ceiling, with
   * a cost limit only where every role's model has a price.
   */
  public Budget resumeBudget(CycleState state, Budget requested) {
    Budget budget =
        BudgetCeiling.admit(
            requested,
            state.optionsOrDefaults().budgetOrUnlimited(),
            ProjectAdmission.ceiling(
                rules.ceiling(state.project()), projects.registered(state.project())),
            "budget");
    Map<String, String> profiles = new java.util.HashMap<>();
    if (state.optionsOrDefaults().agents() != null) {
      state
          .optionsOrDefaults()
          .agents()
          .forEach(
              (role, choice) -> {
                if (choice != null && choice.profile() != null) {
                  profiles.put(role, choice.profile());
                }
              });
    }
    requirePriced(state.project(), profiles, budget, "budget");
    return budget;
  }

  /** A cost limit counts only priced models: refuse one that would silently stay at 0. */
  private void requirePriced(
      String project, Map<String, String> profiles, Budget budget, String field) {
    if (budget.costUsd() == null) {
      return;
    }
    rules
        .unpriced(project, profiles)
        .ifPresent(
            why -> {
              throw AgentOsException.invalid(
                  "a cost budget ("
                      + field
                      + ".cost_usd) cannot be kept: "
                      + why
                      + "; choose a priced profile, or limit tokens or wall_seconds instead");
            });
  }

  /** Budget limits must be positive where given. */
  public static void validate(Budget budget, String field) {
    if (budget == null) {
      return;
    }
    if (budget.tokens() != null && budget.tokens() <= 0) {
      throw AgentOsException.invalid(field + ".tokens must be positive");
    }
    if (budget.costUsd() != null && !(budget.costUsd() > 0)) {
      throw AgentOsException.invalid(field + ".cost_usd must be positive");
    }
    if (budget.wallSeconds() != null && budget.wallSeconds() <= 0) {
      throw AgentOsException.invalid(field + ".wall_seconds must be positive");
    }
  }
}

package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.SettledCycles;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Transitions;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code agentos.api.*}: submit, status, list, cancel, resume, retry, approve, answer. Every role
 * service serves it, so the API is up while any role is. Each operation is one compare-and-set
 * update through the state machine: under concurrent calls exactly one wins, and the others get a
 * clear INVALID_TRANSITION reply from the state they then see.
 */
public final class ControlApi {
  public static final int DEFAULT_LIST_LIMIT = 100;

  private final CycleStore store;
  private final Submissions submissions;
  private final Handoff handoff;
  private final Events events;
  private final Consumer<CycleState> ended;
  private final Signoffs signoffs;
  private final Clock clock;
  private volatile Supplier<SettledCycles> keys = () -> null;

  /**
   * @param ended told of every cycle a call brings to a final status (history, chains)
   * @param signoffs what an approval must carry to be recorded (signatures of the project's
   *     approvers)
   */
  public ControlApi(
      CycleStore store,
      Submissions submissions,
      Handoff handoff,
      Events events,
      Consumer<CycleState> ended,
      Signoffs signoffs,
      Clock clock) {
    this.signoffs = signoffs;
    this.store = store;
    this.submissions = submissions;
    this.handoff = handoff;
    this.events = events;
    this.ended = ended;
    this.clock = clock;
  }

  /** The endpoints, ready to be started on a connection. */
  public JsonEndpoints endpoints(String version, int maxRequestBytes) {
    return new JsonEndpoints(
            Topology.API_SERVICE,
            version,
            "Agent OS control API: submit and steer PEER cycles",
            maxRequestBytes)
        .addForTeams("submit", this::submit)
        .addForTeams("status", this::status)
        .addForTeams("list", this::list)
        .addForTeams("cancel", this::cancel)
        .addForTeams("resume", this::resume)
        .addForTeams("retry", this::retry)
        .addForTeams("approve", this::approve)
        .addForTeams("answer", this::answer);
  }

  /** The reply of submit and of every steering call: where the cycle stands now. */
  public record CycleReply(String cycleId, String status, String phase, int iteration) {
    static CycleReply of(CycleState s) {
      return new CycleReply(s.cycleId(), s.status().name(), s.phase().name(), s.iteration());
    }
  }

  /**
   * @param nextCursor where the next page starts ({@code cursor} of the next list); absent on the
   *     last page and without a cursor
   */
  public record ListReply(List<CycleSummary> cycles, String nextCursor) {
    public ListReply(List<CycleSummary> cycles) {
      this(cycles, null);
    }
  }

  Object submit(Caller caller, byte[] body) {
    SubmitRequest request = Json.read(body, SubmitRequest.class);
    return CycleReply.of(submissions.submit(caller, request, request.cycleId()));
  }

  Object status(Caller caller, byte[] body) {
    Requests.CycleRef ref = Json.read(body, Requests.CycleRef.class);
    return visible(caller, store.require(CycleIds.requireValid(ref.cycleId())));
  }

  /**
   * {@code state} if {@code caller} may see it: the operator sees every cycle, a team only its own.
   * Another team's cycle reads as unknown, so a team cannot even learn that an id exists.
   */
  static CycleState visible(Caller caller, CycleState state) {
    if (caller.isOperator() || caller.team().equals(state.team())) {
      return state;
    }
    throw AgentOsException.notFound(state.cycleId());
  }

  Object list(Caller caller, byte[] body) {
    Requests.ListCycles request = Json.read(body, Requests.ListCycles.class);
    int limit = request.limit() == null ? DEFAULT_LIST_LIMIT : request.limit();
    if (limit < 1 || limit > 10_000) {
      throw AgentOsException.invalid("limit must be between 1 and 10000, not " + limit);
    }
    if (request.cursor() != null) {
      return page(caller, request, limit);
    }
    List<CycleSummary> cycles =
        store.cycleIds().stream()
            .map(store::get)
            .flatMap(Optional::stream)
            .map(CycleStore.Versioned::state)
            .filter(s -> caller.isOperator() || caller.team().equals(s.team()))
            .filter(s -> request.project() == null || request.project().equals(s.project()))
            .filter(s -> request.status() == null || request.status() == s.status())
            .sorted(
                Comparator.comparing(
                    CycleState::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
            .limit(limit)
            .map(CycleSummary::of)
            .toList();
    return new ListReply(cycles);
  }

  /**
   * One page of cycles in descending id order (generated ids begin with their creation time, so
   * newest first), starting after {@code cursor}: only the keys are listed, and states are read one
   * by one until the page is full, so a page costs about {@code limit} reads, not one per cycle
   * ever run (more only when filters skip many).
   */
  /**
   * Pages read their cycle ids from {@code value} (when it has loaded them) instead of listing the
   * bucket's keys for each page: the listing took about a second with 100 000 cycles.
   */
  public ControlApi listingFrom(Supplier<SettledCycles> value) {
    keys = value;
    return this;
  }

  private ListReply page(Caller caller, Requests.ListCycles request, int limit) {
    SettledCycles index = keys.get();
    Optional<NavigableSet<String>> known = index == null ? Optional.empty() : index.ids();
    Iterable<String> ids =
        known.isPresent()
            ? (request.cursor().isEmpty()
                    ? known.get()
                    : known.get().headSet(request.cursor(), false))
                .descendingSet()
            : store.cycleIds().stream()
                .filter(id -> request.cursor().isEmpty() || id.compareTo(request.cursor()) < 0)
                .sorted(Comparator.reverseOrder())
                .toList();
    List<CycleSummary> page = new java.util.ArrayList<>();
    String last = null;
    for (String id : ids) {
      if (page.size() == limit) {
        return new ListReply(page, last);
      }
      last = id;
      store
          .get(id)
          .map(CycleStore.Versioned::state)
          .filter(s -> caller.isOperator() || caller.team().equals(s.team()))
          .filter(s -> request.project() == null || request.project().equals(s.project()))
          .filter(s -> request.status() == null || request.status() == s.status())
          .map(CycleSummary::of)
          .ifPresent(page::add);
    }
    return new ListReply(page, null);
  }

  Object cancel(Caller caller, byte[] body) {
    Requests.Cancel request = Json.read(body, Requests.Cancel.class);
    String reason = request.reason() == null ? "cancelled on request" : request.reason();
    return steer(
        caller,
        request.cycleId(),
        "cancelled: " + reason,
        s -> Transitions.cancel(s, clock.instant()));
  }

  Object resume(Caller caller, byte[] body) {
    Requests.Resume request = Json.read(body, Requests.Resume.class);
    Submissions.validate(request.budget(), "budget");
    return steer(
        caller,
        request.cycleId(),
        "resumed",
        s -> Transitions.resume(s, mergedBudget(s, request), clock.instant()));
  }

  Object retry(Caller caller, byte[] body) {
    Requests.Resume request = Json.read(body, Requests.Resume.class);
    Submissions.validate(request.budget(), "budget");
    return steer(
        caller,
        request.cycleId(),
        "retrying failed steps",
        s -> Transitions.retry(s, mergedBudget(s, request), clock.instant()));
  }

  Object approve(Caller caller, byte[] body) {
    Requests.Approve request = Json.read(body, Requests.Approve.class);
    if (request.approved() == null) {
      throw AgentOsException.invalid("approved (true or false) is required");
    }
    if (!request.approved() && (request.comment() == null || request.comment().isBlank())) {
      throw AgentOsException.invalid(
          "a rejection needs a comment: it becomes the feedback of the next iteration");
    }
    return steer(
        caller,
        request.cycleId(),
        request.approved() ? "approved" : "rejected: " + request.comment(),
        s -> {
          Instant now = clock.instant();
          CycleState recorded = signoffs.record(s, request, now);
          return request.approved()
              ? Transitions.approve(recorded, now)
              : Transitions.reject(recorded, request.comment(), now);
        });
  }

  /**
   * A person's answer to the question a cycle in NEEDS_INPUT waits on: the step that asked runs on,
   * its agent's session resumed with the question and the answer.
   */
  Object answer(Caller caller, byte[] body) {
    Requests.Answer request = Json.read(body, Requests.Answer.class);
    Transitions.requireAnswer(request.answer());
    String[] stepId = {null};
    CycleReply reply =
        steer(
            caller,
            request.cycleId(),
            "answered",
            s -> {
              stepId[0] = s.question() == null ? null : s.question().stepId();
              return Transitions.answer(s, request.answer(), clock.instant());
            },
            next -> events.answered(next, stepId[0]));
    return reply;
  }

  private CycleReply steer(
      Caller caller, String cycleId, String message, UnaryOperator<CycleState> change) {
    return steer(caller, cycleId, message, change, next -> {});
  }

  private CycleReply steer(
      Caller caller,
      String cycleId,
      String message,
      UnaryOperator<CycleState> change,
      Consumer<CycleState> announce) {
    CycleIds.requireValid(cycleId);
    CycleState next = store.update(cycleId, s -> change.apply(visible(caller, s))).state();
    events.publish(next, EventType.TRANSITION, message, null);
    announce.accept(next);
    ended.accept(next);
    try {
      handoff.publish(next);
    } catch (AgentOsException e) {
      if (e.code() != ErrorCode.UNAVAILABLE) {
        throw e;
      }
      // Written but not enqueued: the reconciler enqueues it when NATS takes publishes again.
    }
    return CycleReply.of(next);
  }

  /** The cycle's budget with the limits the request names, held to the operator's rules. */
  private dev.agentos.state.Budget mergedBudget(CycleState s, Requests.Resume request) {
    if (request.budget() == null) {
      return null;
    }
    return submissions.resumeBudget(s, request.budget());
  }
}

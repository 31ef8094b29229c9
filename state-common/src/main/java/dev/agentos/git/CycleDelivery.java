package dev.agentos.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.process.Finished;
import dev.agentos.state.CycleState;
import dev.agentos.state.Delivery;
import dev.agentos.state.GitRef;
import dev.agentos.state.Status;
import java.nio.file.Path;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * What becomes of a COMPLETED cycle's branch when its submit asked for {@link
 * Delivery#FAST_FORWARD}: the base branch is moved to the recorded head with a plain push, which
 * the remote accepts only as a fast-forward. Never a merge commit, never a force push: when the
 * base moved since the cycle started, the branch is left for review and the state says why. The
 * outcome is recorded once, in the state's {@code delivery}; a remote that does not answer is tried
 * again by the next call (the reconciler's sweep), at most {@link #MAX_ATTEMPTS} times.
 */
public final class CycleDelivery {
  private static final Logger LOG = Logger.getLogger(CycleDelivery.class);
  static final String FIELD = "delivery";
  static final int MAX_ATTEMPTS = 5;

  /** How a delivery ended; PENDING while the remote did not answer. */
  public enum Outcome {
    DELIVERED,
    LEFT_FOR_REVIEW,
    PENDING
  }

  private final GitCheckouts checkouts;
  private final GitCommand git;
  private final CycleStore store;
  private final Clock clock;

  public CycleDelivery(GitCheckouts checkouts, CycleStore store, Clock clock) {
    this.checkouts = checkouts;
    this.git = checkouts.command();
    this.store = store;
    this.clock = clock;
  }

  /**
   * Delivers {@code state}'s branch if it is a COMPLETED git cycle that asked for a fast-forward
   * and has no delivery recorded; does nothing otherwise.
   *
   * @throws AgentOsException UNAVAILABLE when the remote did not answer and attempts remain
   */
  public void deliver(CycleState state) {
    if (!asked(state) || settled(state.extra().get(FIELD))) {
      return;
    }
    GitRef ref = state.workspace().git();
    ObjectNode outcome;
    try {
      outcome = fastForward(ref, state.cycleId());
    } catch (AgentOsException e) {
      if (e.code() != ErrorCode.UNAVAILABLE) {
        throw e;
      }
      int attempts = attempts(state) + 1;
      if (attempts < MAX_ATTEMPTS) {
        record(
            state.cycleId(),
            result(ref, Outcome.PENDING, e.getMessage()).put("attempts", attempts));
        throw e;
      }
      outcome =
          result(
                  ref,
                  Outcome.LEFT_FOR_REVIEW,
                  "the remote did not answer in "
                      + attempts
                      + " attempts ("
                      + e.getMessage()
                      + "); the branch "
                      + ref.branch()
                      + " is left for review")
              .put("attempts", attempts);
    }
    record(state.cycleId(), outcome);
    LOG.infof(
        "cycle=%s delivery %s: %s",
        state.cycleId(), outcome.path("status").asText(), outcome.path("reason").asText());
  }

  private static boolean asked(CycleState state) {
    return state.status() == Status.COMPLETED
        && state.workspace() != null
        && state.workspace().git() != null
        && state.workspace().git().deliverOrDefault() == Delivery.FAST_FORWARD
        && state.workspace().git().head() != null;
  }

  private static boolean settled(JsonNode delivery) {
    return delivery != null
        && delivery.has("status")
        && !Outcome.PENDING.name().equals(delivery.path("status").asText());
  }

  private static int attempts(CycleState state) {
    JsonNode delivery = state.extra().get(FIELD);
    return delivery == null ? 0 : delivery.path("attempts").asInt(0);
  }

  private ObjectNode fastForward(GitRef ref, String cycleId) {
    String base = ref.ref();
    String head = ref.head();
    synchronized (checkouts.lock(ref.url())) {
      Path repo = checkouts.ready(ref.url());
      ObjectNode known = judge(repo, ref, cycleId);
      if (known != null) {
        return known;
      }
      String at = checkouts.resolve(repo, tracking(base));
      Finished pushed =
          git.networkRaw(
              repo, "push", "--porcelain", "--no-verify", "origin", head + ":refs/heads/" + base);
      if (pushed.succeeded()) {
        return result(ref, Outcome.DELIVERED, base + " fast-forwarded to " + head).put("base", at);
      }
      // "[rejected]": the base moved after the fetch; "[remote rejected]": the remote's rules (a
      // protected branch) refused it, or another process's delivery of this cycle won the race.
      // Either way an answer, not an outage: what the base holds now decides.
      if (!pushed.timedOut() && pushed.stdout().text().contains("rejected]")) {
        ObjectNode now = judge(repo, ref, cycleId);
        if (now != null) {
          return now;
        }
        return result(
                ref,
                Outcome.LEFT_FOR_REVIEW,
                "the remote refused to fast-forward "
                    + base
                    + " ("
                    + pushed.stdout().lastChars(300).trim()
                    + "); the branch "
                    + ref.branch()
                    + " is left for review")
            .put("base", at);
      }
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          pushed.timedOut()
              ? "git push to "
                  + base
                  + " did not finish within "
                  + checkouts.settings().networkTimeout()
              : "git push to " + base + " failed: " + pushed.stdout().lastChars(300).trim());
    }
  }

  private static String tracking(String base) {
    return "refs/remotes/origin/" + base;
  }

  /**
   * Fetches the base and the cycle branch and says how the delivery ends without a push: DELIVERED
   * when the base holds the head already, LEFT_FOR_REVIEW when a fast-forward is not possible; null
   * when a push would fast-forward the base.
   */
  private ObjectNode judge(Path repo, GitRef ref, String cycleId) {
    String base = ref.ref();
    String head = ref.head();
    String tracking = tracking(base);
    // Globs, so that a branch deleted on the remote is an answer (absent), not a failed fetch.
    String cycleBranch = CycleBranch.name(cycleId);
    git.network(
        repo,
        "fetch",
        "-q",
        "--no-tags",
        "origin",
        "+refs/heads/" + base + "*:" + tracking + "*",
        "+refs/heads/" + cycleBranch + "*:refs/remotes/origin/" + cycleBranch + "*");
    if (checkouts.resolve(repo, head) == null) {
      return result(
          ref,
          Outcome.LEFT_FOR_REVIEW,
          "the cycle's head " + head + " is not on the remote any more; nothing was delivered");
    }
    String at = checkouts.resolve(repo, tracking);
    if (at == null) {
      return result(
          ref,
          Outcome.LEFT_FOR_REVIEW,
          "the base branch " + base + " is gone from the remote; the branch is left for review");
    }
    if (at.equals(head) || isAncestor(repo, head, at)) {
      return result(ref, Outcome.DELIVERED, base + " holds " + head).put("base", at);
    }
    if (!isAncestor(repo, at, head)) {
      return result(
              ref,
              Outcome.LEFT_FOR_REVIEW,
              base
                  + " moved to "
                  + at
                  + " since the cycle started: a fast-forward is not possible, and Agent OS"
                  + " makes no merge commit and no force push. The branch "
                  + ref.branch()
                  + " is left for review: merge or rebase it yourself")
          .put("base", at);
    }
    return null;
  }

  private boolean isAncestor(Path repo, String ancestor, String of) {
    return git.localRaw(repo, "merge-base", "--is-ancestor", ancestor, of).succeeded();
  }

  private ObjectNode result(GitRef ref, Outcome outcome, String reason) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("mode", Delivery.FAST_FORWARD.name())
        .put("status", outcome.name())
        .put("base_ref", ref.ref())
        .put("commit", ref.head())
        .put("reason", reason)
        .put("at", clock.instant().toString());
    return node;
  }

  /** Writes the outcome unless another process recorded a settled one first. */
  private void record(String cycleId, ObjectNode outcome) {
    store.update(
        cycleId,
        s -> settled(s.extra().get(FIELD)) ? s : s.toBuilder().extra(FIELD, outcome).build());
  }
}

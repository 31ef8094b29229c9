package dev.agentos.console;

import dev.agentos.state.Status;
import dev.agentos.state.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The buttons a cycle's state allows, decided by the state machine's own table ({@link Trigger}):
 * the console offers only what the API would accept. The API still decides; a button pressed on a
 * stale page gets the API's INVALID_TRANSITION message.
 */
public enum Actions {
  APPROVE("approve", Trigger.APPROVE),
  /** A rejection is an {@code approve} with {@code approved=false} and a comment. */
  REJECT("approve", Trigger.REJECT),
  /**
   * An answer to the question a cycle asks ({@code agentos.api.answer}), offered while it waits for
   * one. By the status's name: the console also runs against services that predate it.
   */
  ANSWER("answer", Actions.NEEDS_INPUT::equals),
  RESUME("resume", Trigger.RESUME),
  RETRY("retry", Trigger.RETRY),
  CANCEL("cancel", Trigger.CANCEL);

  /** The status of a cycle that waits for an answer to its {@code question}. */
  public static final String NEEDS_INPUT = "NEEDS_INPUT";

  private final String endpoint;
  private final Predicate<String> allowedIn;

  Actions(String endpoint, Trigger trigger) {
    this(endpoint, status -> known(status).map(trigger::allows).orElse(false));
  }

  Actions(String endpoint, Predicate<String> allowedIn) {
    this.endpoint = endpoint;
    this.allowedIn = allowedIn;
  }

  /** The {@code agentos.api.*} endpoint the action calls. */
  public String endpoint() {
    return endpoint;
  }

  /** The name the page and the console's URLs use, e.g. {@code approve}. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Optional<Actions> of(String wire) {
    for (Actions action : values()) {
      if (action.wire().equals(wire)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }

  /** The actions a cycle in {@code status} allows; none for a status this version does not know. */
  public static List<String> allowed(String status) {
    List<String> allowed = new ArrayList<>();
    for (Actions action : values()) {
      if (status != null && action.allowedIn.test(status)) {
        allowed.add(action.wire());
      }
    }
    return List.copyOf(allowed);
  }

  private static Optional<Status> known(String status) {
    try {
      return Optional.of(Status.valueOf(status));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

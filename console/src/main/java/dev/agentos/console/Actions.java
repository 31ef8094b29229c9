package dev.agentos.console;

import dev.agentos.state.Status;
import dev.agentos.state.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The buttons a cycle's state allows, decided by the state machine's own table ({@link Trigger}):
 * the console offers only what the API would accept. The API still decides; a button pressed on a
 * stale page gets the API's INVALID_TRANSITION message.
 */
public enum Actions {
  APPROVE("approve", Trigger.APPROVE),
  /** A rejection is an {@code approve} with {@code approved=false} and a comment. */
  REJECT("approve", Trigger.REJECT),
  RESUME("resume", Trigger.RESUME),
  RETRY("retry", Trigger.RETRY),
  CANCEL("cancel", Trigger.CANCEL);

  private final String endpoint;
  private final Trigger trigger;

  Actions(String endpoint, Trigger trigger) {
    this.endpoint = endpoint;
    this.trigger = trigger;
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
    Status known;
    try {
      known = Status.valueOf(status);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    List<String> allowed = new ArrayList<>();
    for (Actions action : values()) {
      if (action.trigger.allows(known)) {
        allowed.add(action.wire());
      }
    }
    return List.copyOf(allowed);
  }
}

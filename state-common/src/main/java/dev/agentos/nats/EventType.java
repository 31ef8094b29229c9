package dev.agentos.nats;

import java.util.Optional;

/**
 * The kinds of lifecycle event. The wire value is the last token of the subject {@code
 * agentos.events.<cycle_id>.<type>} and the event's {@code type} field: lower case, unlike other
 * enums, because subjects and the events already stored use it.
 */
public enum EventType {
  SUBMITTED("submitted"),
  REJECTED("rejected"),
  CLAIMED("claimed"),
  STEP_STARTED("step_started"),
  STEP_FINISHED("step_finished"),
  /** Something went wrong after a step's work was done (its box, its transcript): for people. */
  STEP_NOTE("step_note"),
  TRANSITION("transition"),
  RETRYING("retrying"),
  REQUEUED("requeued"),
  DEAD_LETTERED("dead_lettered"),
  /** A running agent's live output (a message, a tool call, a file edit), trimmed, rate-limited. */
  OUTPUT("output"),
  /**
   * A step's agent asked a person; the cycle waits in NEEDS_INPUT ({@code step_id}, {@code text}).
   */
  QUESTION("question"),
  /** A person answered the question; the step that asked goes on. */
  ANSWERED("answered");

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  /** The subject token and JSON value, e.g. {@code step_started}. */
  public String wire() {
    return wire;
  }

  /**
   * The type a stored event names; empty for one this version does not know (a newer service's),
   * which a reader shows as it is rather than failing on.
   */
  public static Optional<EventType> of(String wire) {
    for (EventType type : values()) {
      if (type.wire.equals(wire)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}

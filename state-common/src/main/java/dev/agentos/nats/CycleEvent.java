package dev.agentos.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import java.time.Instant;

/**
 * A lifecycle event on {@code agentos.events.<cycle_id>.<type>}; the history of a cycle.
 *
 * @param type an {@link EventType}'s wire value; a string, so that a reader shows an event of a
 *     type it does not know (published by a newer service) instead of failing on it
 */
public record CycleEvent(
    String cycleId,
    String type,
    Instant at,
    Status status,
    Phase phase,
    Integer iteration,
    String message,
    JsonNode detail) {}

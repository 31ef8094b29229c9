package dev.agentos.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;

/**
 * The migration hook for stored states. Minor versions of {@code agentos.cycle/v1} only add
 * optional fields, so they are read as they are (fields this reader does not know are kept in each
 * record's {@code extra}). A future {@code v2} adds a step here that rewrites a v1 document into
 * the v2 shape before it is bound; states are never rejected for being old.
 */
public final class StateMigrations {
  private StateMigrations() {}

  public static ObjectNode toCurrent(ObjectNode stored) {
    String schema = stored.path("schema").asText(CycleState.SCHEMA);
    if (bindsAsStored(schema)) {
      return stored;
    }
    throw new AgentOsException(
        ErrorCode.INTERNAL,
        "cycle state schema '"
            + schema
            + "' is newer than this service understands ("
            + CycleState.SCHEMA
            + "); upgrade the service");
  }

  /**
   * Whether a document of {@code schema} (null: none given) is bound as it is stored, with no
   * migration step: then {@link #toCurrent} would return it unchanged.
   */
  public static boolean bindsAsStored(String schema) {
    return majorOf(schema == null ? CycleState.SCHEMA : schema) == 1;
  }

  static int majorOf(String schema) {
    int slash = schema.lastIndexOf("/v");
    if (slash < 0) {
      return 1;
    }
    String version = schema.substring(slash + 2);
    int dot = version.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}

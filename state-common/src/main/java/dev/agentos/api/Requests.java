package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.json.Json;
import dev.agentos.state.Budget;
import dev.agentos.state.Status;

/** The small request bodies of the control API, and the one way to read any request. */
public final class Requests {
  private Requests() {}

  /**
   * Reads a request body strictly. A body of JSON {@code null} parses to no object at all, which no
   * handler can use: it is refused here like any other malformed request.
   */
  public static <T> T read(byte[] body, Class<T> type) {
    T request = Json.read(body, type);
    if (request == null) {
      throw AgentOsException.invalid("the request body is JSON null; send a JSON object");
    }
    return request;
  }

  public record CycleRef(String cycleId) {}

  public record Cancel(String cycleId, String reason) {}

  /** Resume or retry, optionally with raised limits. */
  public record Resume(String cycleId, Budget budget) {}

  public record Approve(String cycleId, Boolean approved, String comment) {}

  public record ListCycles(String project, Status status, Integer limit) {}
}

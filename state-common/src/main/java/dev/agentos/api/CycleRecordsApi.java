package dev.agentos.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.EventLog;
import dev.agentos.worker.Artifacts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code agentos.api.events} and {@code agentos.api.artifact}: what a cycle left besides its state
 * (its past events, its transcripts and recaps), for callers that may read neither the events
 * stream nor the artifact store, such as a team's account, which imports only the API and its live
 * events. A team reads only its own cycles' records; another team's cycle reads as unknown, as in
 * {@code status}. Both replies are bounded to fit one NATS message.
 */
public final class CycleRecordsApi {
  /** The most of one artifact a reply carries; {@code offset} reads on from there. */
  public static final int MAX_ARTIFACT_CHUNK = 256 * 1024;

  /** The most events one reply considers, newest kept. */
  public static final int MAX_EVENTS = 2_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._/-]{1,256}");

  private final CycleStore store;
  private final EventLog events;
  private final Artifacts artifacts;
  private final int maxReplyBytes;

  /**
   * @param maxReplyBytes the server's max payload: a reply never exceeds it, whatever the content
   *     (JSON escapes a control character into six bytes, so an artifact chunk is at most an eighth
   *     of it)
   */
  public CycleRecordsApi(
      CycleStore store, EventLog events, Artifacts artifacts, long maxReplyBytes) {
    this.store = store;
    this.events = events;
    this.artifacts = artifacts;
    this.maxReplyBytes = (int) Math.min(maxReplyBytes, Integer.MAX_VALUE);
  }

  /** {@code {"cycle_id"}}. */
  public record EventsRequest(String cycleId) {}

  /**
   * @param events oldest first
   * @param omitted older events of the cycle the reply leaves out (beyond its bounds)
   */
  public record EventsReply(String cycleId, List<JsonNode> events, long omitted) {}

  /** {@code {"cycle_id","name","offset"}}: {@code name} as the state records it. */
  public record ArtifactRequest(String cycleId, String name, Long offset) {}

  /**
   * @param content UTF-8 text of bytes {@code offset} to {@code offset + length}
   * @param nextOffset where the next chunk starts; absent when this one ends the artifact
   */
  public record ArtifactReply(
      String cycleId,
      String name,
      long size,
      long offset,
      int length,
      String content,
      Long nextOffset) {}

  public JsonEndpoints addTo(JsonEndpoints endpoints) {
    return endpoints.addForTeams("events", this::events).addForTeams("artifact", this::artifact);
  }

  Object events(Caller caller, byte[] body) {
    EventsRequest request = Json.read(body, EventsRequest.class);
    String cycleId = visibleCycle(caller, request.cycleId());
    EventLog.Page page = events.of(cycleId, MAX_EVENTS, maxReplyBytes / 2);
    return new EventsReply(cycleId, page.events(), page.omitted());
  }

  Object artifact(Caller caller, byte[] body) {
    ArtifactRequest request = Json.read(body, ArtifactRequest.class);
    String cycleId = visibleCycle(caller, request.cycleId());
    String name = request.name();
    // Every artifact of a cycle is stored under its id: nothing else is the cycle's to show.
    if (name == null
        || !NAME.matcher(name).matches()
        || name.contains("..")
        || !name.startsWith(cycleId + "/")) {
      throw AgentOsException.invalid(
          "name must be an artifact of cycle " + cycleId + ", as its state records it");
    }
    long offset = request.offset() == null ? 0 : request.offset();
    int chunk = Math.min(MAX_ARTIFACT_CHUNK, maxReplyBytes / 8);
    Artifacts.Window window =
        artifacts
            .window(name, offset, chunk)
            .orElseThrow(
                () -> new AgentOsException(ErrorCode.NOT_FOUND, "cycle has no artifact " + name));
    int length = window.bytes().length;
    long end = offset + length;
    return new ArtifactReply(
        cycleId,
        name,
        window.size(),
        offset,
        length,
        new String(window.bytes(), StandardCharsets.UTF_8),
        end < window.size() ? end : null);
  }

  private String visibleCycle(Caller caller, String cycleId) {
    CycleIds.requireValid(cycleId);
    return ControlApi.visible(caller, store.require(cycleId)).cycleId();
  }
}

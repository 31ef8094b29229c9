package dev.agentos.state;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** What EXPRESS produced: a short summary, and where the full recap is. */
public record ExpressResult(
    String summary,
    String recapPath,
    ArtifactRef recap,
    @JsonAnyGetter @JsonAnySetter Map<String, JsonNode> extra) {

  public static ExpressResult of(String summary, String recapPath, ArtifactRef recap) {
    return new ExpressResult(summary, recapPath, recap, Extra.none());
  }

  /** The same with the recap stored as {@code stored} (Review rewrote a section of it). */
  public ExpressResult withRecap(ArtifactRef stored) {
    return new ExpressResult(summary, recapPath, stored, extra);
  }
}

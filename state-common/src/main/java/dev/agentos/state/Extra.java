package dev.agentos.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Fields a reader does not know yet. Every state record keeps them in a component named {@code
 * extra} (annotated {@code @JsonAnyGetter @JsonAnySetter}) so that a read-modify-write by an older
 * service never drops what a newer one wrote.
 */
public final class Extra {
  private Extra() {}

  public static Map<String, JsonNode> none() {
    return Map.of();
  }

  static Map<String, JsonNode> orNone(Map<String, JsonNode> extra) {
    return extra == null ? Map.of() : extra;
  }
}

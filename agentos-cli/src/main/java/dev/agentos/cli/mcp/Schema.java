package dev.agentos.cli.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's JSON input schema, built field by field: an object that takes the named properties and
 * nothing else, so a misspelt argument is refused rather than ignored.
 */
final class Schema {
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final List<String> required = new ArrayList<>();

  static Schema object() {
    return new Schema();
  }

  Schema text(String name, String description) {
    return property(name, Map.of("type", "string", "description", description));
  }

  Schema requiredText(String name, String description) {
    required.add(name);
    return text(name, description);
  }

  Schema choice(String name, List<String> values, String description) {
    return property(
        name, Map.of("type", "string", "enum", List.copyOf(values), "description", description));
  }

  Schema integer(String name, int min, int max, String description) {
    return property(
        name,
        Map.of("type", "integer", "minimum", min, "maximum", max, "description", description));
  }

  Schema flag(String name, String description) {
    return property(name, Map.of("type", "boolean", "description", description));
  }

  Schema texts(String name, String description) {
    return property(
        name,
        Map.of(
            "type",
            "array",
            "items",
            Map.of("type", "string"),
            "maxItems",
            ToolInput.MAX_ITEMS,
            "description",
            description));
  }

  Schema textMap(String name, String description) {
    return property(
        name,
        Map.of(
            "type",
            "object",
            "additionalProperties",
            Map.of("type", "string"),
            "description",
            description));
  }

  Map<String, Object> build() {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", new LinkedHashMap<>(properties));
    if (!required.isEmpty()) {
      schema.put("required", List.copyOf(required));
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  private Schema property(String name, Map<String, Object> definition) {
    properties.put(name, definition);
    return this;
  }
}

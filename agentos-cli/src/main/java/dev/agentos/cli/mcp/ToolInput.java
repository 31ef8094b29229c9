package dev.agentos.cli.mcp;

import dev.agentos.api.CycleIds;
import dev.agentos.error.AgentOsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tool call's arguments, read strictly: a missing, mistyped or oversized one is a {@link
 * ToolError} that names it, raised before anything is sent. The input schema says the same to the
 * client (and the SDK checks it first); this is the check the handlers rely on.
 */
final class ToolInput {
  /** The longest text argument taken; an answer or a goal is prose, not a file. */
  static final int MAX_TEXT = 20_000;

  static final int MAX_ITEMS = 50;

  private final Map<String, Object> args;

  ToolInput(Map<String, Object> args) {
    this.args = args == null ? Map.of() : args;
  }

  /** A text that must be there and not blank. */
  String required(String name) {
    return text(name)
        .orElseThrow(() -> ToolError.invalid("'" + name + "' is required and must not be blank"));
  }

  Optional<String> text(String name) {
    Object value = args.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw ToolError.invalid("'" + name + "' must be a string, not " + kind(value));
    }
    if (text.length() > MAX_TEXT) {
      throw ToolError.invalid(
          "'" + name + "' is " + text.length() + " characters; at most " + MAX_TEXT + " are taken");
    }
    return text.isBlank() ? Optional.empty() : Optional.of(text.strip());
  }

  /** The {@code cycle_id} argument, which must be a valid cycle id. */
  String cycleId() {
    String id = required("cycle_id");
    try {
      return CycleIds.requireValid(id);
    } catch (AgentOsException e) {
      throw ToolError.invalid(e.getMessage());
    }
  }

  Optional<Integer> integer(String name, int min, int max) {
    Object value = args.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Number number)
        || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw ToolError.invalid("'" + name + "' must be a whole number, not " + kind(value));
    }
    long n = number.longValue();
    if (n < min || n > max) {
      throw ToolError.invalid(
          "'" + name + "' must be between " + min + " and " + max + ", not " + n);
    }
    return Optional.of((int) n);
  }

  boolean flag(String name) {
    Object value = args.get(name);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw ToolError.invalid("'" + name + "' must be true or false, not " + kind(value));
    }
    return b;
  }

  /** A list of non-blank texts; absent is null, so that the request leaves it out. */
  List<String> texts(String name) {
    Object value = args.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list) || list.size() > MAX_ITEMS) {
      throw ToolError.invalid(
          "'" + name + "' must be a list of at most " + MAX_ITEMS + " strings, not " + kind(value));
    }
    List<String> texts = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s) || s.isBlank() || s.length() > 200) {
        throw ToolError.invalid("'" + name + "' holds " + kind(item) + "; use non-blank names");
      }
      texts.add(s.strip());
    }
    return texts;
  }

  /** An object of text values, e.g. {@code {"executor":"claude"}}; absent is null. */
  Map<String, String> textMap(String name) {
    Object value = args.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> map) || map.size() > MAX_ITEMS) {
      throw ToolError.invalid("'" + name + "' must be an object of names, not " + kind(value));
    }
    Map<String, String> texts = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getValue() instanceof String s) || s.isBlank()) {
        throw ToolError.invalid("'" + name + "." + entry.getKey() + "' must be a non-blank string");
      }
      texts.put(String.valueOf(entry.getKey()), s.strip());
    }
    return texts;
  }

  /** A text that must be one of {@code allowed}. */
  Optional<String> oneOf(String name, List<String> allowed) {
    Optional<String> value = text(name);
    if (value.isPresent() && !allowed.contains(value.get())) {
      throw ToolError.invalid(
          "'" + name + "' is '" + value.get() + "'; use one of " + String.join(", ", allowed));
    }
    return value;
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof List) {
      return "a list";
    }
    return value instanceof Map ? "an object" : "a " + value.getClass().getSimpleName();
  }
}

package dev.agentos.instruction;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentos.error.AgentOsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an instruction document: YAML front matter between {@code ---} lines, then Markdown
 * sections {@code ## plan}, {@code ## execute} and {@code ## review} holding the prompts' openings.
 * Every mistake is an INVALID_REQUEST naming the field, so a team sees at once why its instruction
 * was refused.
 */
public final class InstructionParser {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Pattern FRONT_MATTER =
      Pattern.compile("\\A\\s*---\\s*\\R(.*?)\\R---\\s*(?:\\R|\\z)(.*)\\z", Pattern.DOTALL);
  private static final Pattern SECTION =
      Pattern.compile(
          "^## +(plan|execute|review)\\s*$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "description",
          "needs",
          "creates_spec",
          "plan",
          "steps",
          "action",
          "checks",
          "writes");

  private InstructionParser() {}

  public static Instruction parse(String document, String source) {
    Matcher matcher = FRONT_MATTER.matcher(document == null ? "" : document);
    if (!matcher.matches()) {
      throw AgentOsException.invalid(
          "an instruction starts with YAML front matter between two '---' lines");
    }
    JsonNode front;
    try {
      front = YAML.readTree(matcher.group(1));
    } catch (Exception e) {
      throw AgentOsException.invalid(
          "the instruction's front matter is not valid YAML: " + e.getMessage());
    }
    if (front == null || !front.isObject()) {
      throw AgentOsException.invalid("the instruction's front matter must be a YAML mapping");
    }
    front
        .fieldNames()
        .forEachRemaining(
            field -> {
              if (!FIELDS.contains(field)) {
                throw AgentOsException.invalid(
                    "unknown field '"
                        + field
                        + "' in the instruction's front matter; known: "
                        + FIELDS);
              }
            });
    String name = front.path("name").asText("");
    if (!NAME.matcher(name).matches()) {
      throw AgentOsException.invalid(
          "instruction name '" + name + "' must be 1-64 characters of a-z, 0-9 and '-'");
    }
    Instruction.PlanMode plan = enumOf(Instruction.PlanMode.class, front, "plan", "tasks");
    Instruction.Writes writes = enumOf(Instruction.Writes.class, front, "writes", "own-steps");
    if (writes != Instruction.Writes.OWN_STEPS
        && (plan != Instruction.PlanMode.STEPS || front.has("steps") || front.has("checks"))) {
      throw AgentOsException.invalid(
          "instruction "
              + name
              + ": writes: "
              + front.path("writes").asText()
              + " takes its steps and checks from the spec's layout; use it with plan: steps"
              + " and without steps or checks of its own");
    }
    List<Instruction.StepTemplate> steps = new ArrayList<>();
    requireFields(front.path("checks"), Set.of("files", "tasks"), "checks");
    if (front.has("creates_spec") && !front.path("creates_spec").isBoolean()) {
      throw AgentOsException.invalid("creates_spec must be true or false");
    }
    for (JsonNode step : front.path("steps")) {
      requireFields(step, Set.of("title", "detail"), "steps");
      String title = step.path("title").asText("").strip();
      if (title.isEmpty()) {
        throw AgentOsException.invalid("instruction " + name + ": every step needs a title");
      }
      steps.add(new Instruction.StepTemplate(title, step.path("detail").asText("").strip()));
    }
    if (plan == Instruction.PlanMode.STEPS
        && steps.isEmpty()
        && writes == Instruction.Writes.OWN_STEPS) {
      throw AgentOsException.invalid("instruction " + name + ": plan: steps needs a list of steps");
    }
    JsonNode checks = front.path("checks");
    List<String> files = new ArrayList<>();
    checks.path("files").forEach(f -> files.add(f.asText()));
    String tasks = checks.path("tasks").isTextual() ? checks.path("tasks").asText() : null;
    Instruction.Needs needs = enumOf(Instruction.Needs.class, front, "needs", "either");
    boolean createsSpec = front.path("creates_spec").asBoolean(false);
    if (writes != Instruction.Writes.OWN_STEPS && !createsSpec && needs != Instruction.Needs.SPEC) {
      throw AgentOsException.invalid(
          "instruction "
              + name
              + ": writes: "
              + front.path("writes").asText()
              + " writes into a spec folder; give it creates_spec: true or needs: spec");
    }
    Map<String, String> sections = sections(matcher.group(2));
    return new Instruction(
        name,
        front.path("description").asText(name).strip(),
        needs,
        createsSpec,
        plan,
        List.copyOf(steps),
        enumOf(Instruction.Action.class, front, "action", "agent"),
        new Instruction.Checks(List.copyOf(files), tasks),
        writes,
        Optional.ofNullable(sections.get("plan")),
        Optional.ofNullable(sections.get("execute")),
        Optional.ofNullable(sections.get("review")),
        source);
  }

  private static void requireFields(JsonNode node, Set<String> known, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw AgentOsException.invalid(where + " entries must be mappings with " + known);
    }
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (!known.contains(field)) {
                throw AgentOsException.invalid(
                    "unknown field '" + field + "' in " + where + "; known: " + known);
              }
            });
  }

  private static Map<String, String> sections(String body) {
    Map<String, String> sections = new LinkedHashMap<>();
    Matcher heading = SECTION.matcher(body);
    List<int[]> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (heading.find()) {
      starts.add(new int[] {heading.start(), heading.end()});
      names.add(heading.group(1).toLowerCase(Locale.ROOT));
    }
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : body.length();
      String text = body.substring(starts.get(i)[1], end).strip();
      if (!text.isEmpty()) {
        sections.put(names.get(i), text);
      }
    }
    return sections;
  }

  private static <E extends Enum<E>> E enumOf(
      Class<E> type, JsonNode front, String field, String fallback) {
    String value = front.path(field).asText(fallback).strip().replace('-', '_');
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      throw AgentOsException.invalid(
          "instruction field '" + field + "' is '" + value + "'; use one of " + allowed);
    }
  }
}

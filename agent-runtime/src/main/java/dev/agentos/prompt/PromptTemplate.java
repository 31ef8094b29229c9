package dev.agentos.prompt;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template from {@code /prompts/<name>.md} on the classpath, with {@code {{key}}}
 * placeholders. Prompts live in resources, where they can be read and changed as text, rather than
 * in string concatenation across the code. {@link #render(List, int)} keeps the prompt inside the
 * model's context: it shortens the least important sections first and says so in the prompt.
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
  private static final int MIN_KEPT = 200;
  private static final int CUT_NOTE_CHARS = 120;

  private final String name;
  private final String text;

  private PromptTemplate(String name, String text) {
    this.name = name;
    this.text = text;
  }

  public static PromptTemplate load(String name) {
    String resource = "/prompts/" + name + ".md";
    try (InputStream in = PromptTemplate.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new AgentOsException(
            ErrorCode.INTERNAL, "prompt template " + resource + " is missing");
      }
      return new PromptTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AgentOsException(ErrorCode.INTERNAL, "cannot read prompt template " + resource, e);
    }
  }

  /** Fills every placeholder; a placeholder without a value is a bug in the caller. */
  public String render(Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new AgentOsException(
            ErrorCode.INTERNAL,
            "prompt " + name + " needs a value for {{" + matcher.group(1) + "}}");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * Renders the sections into the template within {@code maxChars}. Sections are shortened from the
   * least important up (each keeps its beginning), and the prompt ends with a note of what was left
   * out, so the model knows its view is partial.
   */
  public String render(List<PromptSection> sections, int maxChars) {
    Set<String> used = placeholders();
    Map<String, String> values = new HashMap<>();
    sections.forEach(s -> values.put(s.placeholder(), s.text() == null ? "" : s.text()));
    List<PromptSection> present =
        sections.stream().filter(s -> used.contains(s.placeholder())).toList();
    int fixed = render(blanks(sections)).length();
    int total = fixed + present.stream().mapToInt(s -> values.get(s.placeholder()).length()).sum();
    // The closing note is part of the prompt too: keep room for it should anything be cut.
    int budget =
        maxChars - closingNote(present.stream().map(PromptSection::label).toList()).length();
    List<String> cuts = new ArrayList<>();
    List<PromptSection> byImportance = new ArrayList<>(present);
    byImportance.sort(Comparator.comparingInt(PromptSection::priority));
    for (PromptSection section : byImportance) {
      if (total <= maxChars && cuts.isEmpty() || total <= budget) {
        break;
      }
      if (section.priority() == PromptSection.REQUIRED) {
        break;
      }
      String full = values.get(section.placeholder());
      int excess = total - budget;
      int keep = Math.max(0, full.length() - excess - CUT_NOTE_CHARS);
      keep = keep < MIN_KEPT ? 0 : keep;
      String shortened =
          full.substring(0, keep) + cutNote(full.length() - keep, full.length(), section.label());
      if (shortened.length() >= full.length()) {
        continue;
      }
      values.put(section.placeholder(), shortened);
      total += shortened.length() - full.length();
      cuts.add(section.label());
    }
    String prompt = render(values);
    return cuts.isEmpty() ? prompt : prompt + closingNote(cuts);
  }

  /** The placeholders this template uses. */
  private Set<String> placeholders() {
    Set<String> found = new HashSet<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  private static String cutNote(int cut, int of, String label) {
    return "\n[… "
        + cut
        + " of "
        + of
        + " characters of "
        + label
        + " left out to fit the model's context]\n";
  }

  private static String closingNote(List<String> cuts) {
    return "\n\nNote: to fit your context, these parts were shortened: "
        + String.join(", ", cuts)
        + ". Read the files in the workspace for the full text.\n";
  }

  private static Map<String, String> blanks(List<PromptSection> sections) {
    Map<String, String> blanks = new HashMap<>();
    sections.forEach(s -> blanks.put(s.placeholder(), ""));
    return blanks;
  }
}

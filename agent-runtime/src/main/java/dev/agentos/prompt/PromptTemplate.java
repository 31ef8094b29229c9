package dev.agentos.prompt;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template from {@code /prompts/<name>.md} on the classpath, with {@code {{key}}}
 * placeholders. Prompts live in resources, where they can be read and changed as text, rather than
 * in string concatenation across the code.
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

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
}

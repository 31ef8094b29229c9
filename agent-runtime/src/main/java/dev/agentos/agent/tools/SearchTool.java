package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.error.AgentOsException;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * {@code search}: the lines of the workspace's files that match a regular expression. Bounded every
 * way: the pattern's length, the files' size, the matches returned and the time spent (a pattern
 * that backtracks without end is stopped at the deadline).
 */
final class SearchTool implements Tool {
  static final int MAX_PATTERN = 500;
  static final int MAX_MATCHES = 100;
  static final int MAX_FILES = 5000;
  static final long MAX_FILE_BYTES = 1 << 20;
  static final long TIME_LIMIT_NANOS = 10_000_000_000L;
  private static final int LINE_CHARS = 300;

  private final Workspace workspace;

  SearchTool(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("search")
        .description(
            "Search the workspace's text files for lines matching a Java regular expression;"
                + " answers path:line: text, at most "
                + MAX_MATCHES
                + " matches.")
        .parameters(
            JsonObjectSchema.builder()
                .addStringProperty("pattern", "the regular expression (Java syntax)")
                .addStringProperty("path", "folder or file to search; default the whole workspace")
                .required("pattern")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    String regex = Args.text(arguments, "pattern");
    String given = Args.text(arguments, "path", ".");
    if (regex.isEmpty() || regex.length() > MAX_PATTERN) {
      throw new ToolError("the pattern must have 1 to " + MAX_PATTERN + " characters");
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ToolError("the pattern is not a valid regular expression: " + e.getDescription());
    }
    Path start = workspace.resolve(given);
    if (!Files.exists(start)) {
      throw new ToolError("there is no '" + given + "' in the workspace");
    }
    long deadline = System.nanoTime() + TIME_LIMIT_NANOS;
    List<String> matches = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(start)) {
      // In path order, so that the same workspace always answers the same.
      List<Path> files =
          walk.filter(path -> !Workspace.isGit(workspace.root().relativize(path)))
              .filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
              .limit(MAX_FILES)
              .sorted()
              .toList();
      for (Path path : files) {
        if (matches.size() >= MAX_MATCHES) {
          break;
        }
        if (Files.size(path) <= MAX_FILE_BYTES) {
          searchFile(path, pattern, deadline, matches);
        }
      }
    } catch (IOException e) {
      throw new ToolError("cannot search '" + given + "': " + e.getMessage());
    } catch (Deadline.Passed e) {
      return result(matches)
          + "\n[… the search was stopped after "
          + TIME_LIMIT_NANOS / 1_000_000_000L
          + " s: use a simpler pattern or a smaller path]";
    }
    String found = result(matches);
    return matches.size() >= MAX_MATCHES
        ? found + "\n[… more matches left out: narrow the pattern or the path]"
        : found;
  }

  private void searchFile(Path path, Pattern pattern, long deadline, List<String> matches) {
    String text;
    try {
      text = workspace.files().read(workspace.relative(path), "path").orElse("");
    } catch (AgentOsException e) {
      return; // unreadable or outside: not part of what can be searched
    }
    if (text.indexOf('\0') >= 0) {
      return; // binary
    }
    int number = 0;
    for (String line : (Iterable<String>) text.lines()::iterator) {
      number++;
      if (pattern.matcher(new Deadline(line, deadline)).find()) {
        String shown = line.length() <= LINE_CHARS ? line : line.substring(0, LINE_CHARS) + "…";
        matches.add(workspace.relative(path) + ":" + number + ": " + shown);
        if (matches.size() >= MAX_MATCHES) {
          return;
        }
      }
    }
  }

  private static String result(List<String> matches) {
    return matches.isEmpty() ? "(no match)" : String.join("\n", matches);
  }

  /** A line whose characters stop being readable at the deadline: it ends a runaway match. */
  private static final class Deadline implements CharSequence {
    static final class Passed extends RuntimeException {
      Passed() {
        super(null, null, false, false);
      }
    }

    private final CharSequence text;
    private final long deadline;
    private int reads;

    Deadline(CharSequence text, long deadline) {
      this.text = text;
      this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 0x3ff) == 0 && System.nanoTime() > deadline) {
        throw new Passed();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Deadline(text.subSequence(start, end), deadline);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}

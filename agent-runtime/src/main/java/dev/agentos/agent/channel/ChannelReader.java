package dev.agentos.agent.channel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.json.Json;
import dev.agentos.state.PendingQuestion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what an agent wrote into its channel directory: {@code question.json} ({@code {"question":
 * "…", "context": "…"}}) and {@code decisions.jsonl} (one {@code {"title", "decision",
 * "rationale"}} object per line). The agent is not trusted: only regular files are read (a symbolic
 * link is refused, so it cannot point the service at its own files), each file is read up to a byte
 * limit, every text is cut to a length, and nothing it writes can make this throw.
 */
public final class ChannelReader {
  public static final String QUESTION_FILE = "question.json";
  public static final String DECISIONS_FILE = "decisions.jsonl";

  /** A question file larger than this is refused. */
  public static final int MAX_QUESTION_BYTES = 64 * 1024;

  /** Only this much of the decisions file is read. */
  public static final int MAX_DECISIONS_BYTES = 64 * 1024;

  /** At most this many decisions of one agent run are recorded. */
  public static final int MAX_DECISIONS = 20;

  static final int MAX_TITLE_CHARS = 200;
  static final int MAX_TEXT_CHARS = 4000;

  private ChannelReader() {}

  /** What the agent left in {@code dir}. */
  public static ChannelReport read(Path dir) {
    QuestionRead question = question(dir.resolve(QUESTION_FILE));
    List<String> problems = new ArrayList<>();
    List<AgentDecision> decisions = decisions(dir.resolve(DECISIONS_FILE), problems);
    return new ChannelReport(question.question(), question.refused(), decisions, problems);
  }

  /** Whether the agent has written a question file (read or not). */
  public static boolean hasQuestion(Path dir) {
    return Files.exists(dir.resolve(QUESTION_FILE), LinkOption.NOFOLLOW_LINKS);
  }

  private record QuestionRead(Optional<AgentQuestion> question, String refused) {
    static QuestionRead none() {
      return new QuestionRead(Optional.empty(), null);
    }

    static QuestionRead refused(String why) {
      return new QuestionRead(
          Optional.empty(),
          QUESTION_FILE
              + " "
              + why
              + "; write it as {\"question\": \"…\", \"context\": \"…\"}, at most "
              + MAX_QUESTION_BYTES
              + " bytes");
    }
  }

  private static QuestionRead question(Path file) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return QuestionRead.none();
    }
    Bytes bytes = Bytes.read(file, MAX_QUESTION_BYTES);
    if (bytes.problem() != null) {
      return QuestionRead.refused(bytes.problem());
    }
    if (bytes.truncated()) {
      return QuestionRead.refused("is larger than " + MAX_QUESTION_BYTES + " bytes");
    }
    JsonNode node;
    try {
      node = Json.tree(bytes.data());
    } catch (RuntimeException e) {
      return QuestionRead.refused("is not JSON");
    }
    String text = text(node, "question", Integer.MAX_VALUE);
    if (!node.isObject() || text == null || text.isBlank()) {
      return QuestionRead.refused("has no \"question\" text");
    }
    String context = text(node, "context", Integer.MAX_VALUE);
    return new QuestionRead(
        Optional.of(
            new AgentQuestion(
                PendingQuestion.bounded(text.strip()), PendingQuestion.bounded(context))),
        null);
  }

  private static List<AgentDecision> decisions(Path file, List<String> problems) {
    List<AgentDecision> decisions = new ArrayList<>();
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return decisions;
    }
    Bytes bytes = Bytes.read(file, MAX_DECISIONS_BYTES);
    if (bytes.problem() != null) {
      problems.add(DECISIONS_FILE + " " + bytes.problem());
      return decisions;
    }
    String text = new String(bytes.data(), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(text.lines().toList());
    if (bytes.truncated()) {
      // The last line read may be cut in the middle: only whole lines count.
      if (!text.endsWith("\n") && !lines.isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      problems.add(
          DECISIONS_FILE
              + " is larger than "
              + MAX_DECISIONS_BYTES
              + " bytes; only the lines in its first "
              + MAX_DECISIONS_BYTES
              + " bytes were read");
    }
    int number = 0;
    for (String line : lines) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      Optional<AgentDecision> decision = decision(line);
      if (decision.isEmpty()) {
        problems.add(
            DECISIONS_FILE
                + " line "
                + number
                + " is not a JSON object with \"title\" and \"decision\" texts; it was skipped");
      } else if (decisions.size() == MAX_DECISIONS) {
        problems.add(
            DECISIONS_FILE
                + " has more than "
                + MAX_DECISIONS
                + " decisions; only the first "
                + MAX_DECISIONS
                + " were recorded");
        break;
      } else {
        decisions.add(decision.get());
      }
    }
    return decisions;
  }

  private static Optional<AgentDecision> decision(String line) {
    JsonNode node;
    try {
      node = Json.tree(line.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    String title = text(node, "title", MAX_TITLE_CHARS);
    String decision = text(node, "decision", MAX_TEXT_CHARS);
    if (!node.isObject() || isBlank(title) || isBlank(decision)) {
      return Optional.empty();
    }
    return Optional.of(
        new AgentDecision(
            title.strip(), decision.strip(), text(node, "rationale", MAX_TEXT_CHARS)));
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }

  /** A text field cut to {@code max} characters, or null when it is missing or not text. */
  private static String text(JsonNode node, String field, int max) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      return null;
    }
    String text = value.asText();
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** The first bytes of a regular file, whether there were more, or why it was not read. */
  private record Bytes(byte[] data, boolean truncated, String problem) {
    static Bytes read(Path file, int max) {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return new Bytes(new byte[0], false, "is not a regular file (a link or a directory)");
      }
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        byte[] data = in.readNBytes(max + 1);
        if (data.length > max) {
          return new Bytes(java.util.Arrays.copyOf(data, max), true, null);
        }
        return new Bytes(data, false, null);
      } catch (IOException e) {
        return new Bytes(new byte[0], false, "could not be read: " + e.getMessage());
      }
    }
  }
}

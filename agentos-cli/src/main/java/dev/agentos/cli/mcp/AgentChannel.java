package dev.agentos.cli.mcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agentos.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The directory an executor gives each agent process ({@code AGENTOS_CHANNEL}): the only way an
 * agent's MCP tools reach Agent OS, since an agent never gets NATS credentials. The executor reads
 * what is written here when the agent's turn ends:
 *
 * <ul>
 *   <li>{@code decisions.jsonl}: one {@code {"title","decision","rationale"}} per line, appended;
 *   <li>{@code question.json}: {@code {"question","context"}}, the one question the agent asks a
 *       person before it stops (a second one in the same turn is refused).
 * </ul>
 *
 * Everything is bounded: each field, and the decisions file as a whole. Files are never written
 * through a symbolic link, so the agent cannot point them elsewhere.
 */
final class AgentChannel {
  static final String VARIABLE = "AGENTOS_CHANNEL";
  static final String DECISIONS = "decisions.jsonl";
  static final String QUESTION = "question.json";

  static final int MAX_TITLE = 200;
  static final int MAX_DECISION = 4_000;
  static final int MAX_RATIONALE = 8_000;
  static final int MAX_QUESTION = 4_000;
  static final int MAX_CONTEXT = 16_000;
  static final long MAX_DECISIONS_BYTES = 1_048_576;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Decision(String title, String decision, String rationale) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Question(String question, String context) {}

  private final Path dir;

  AgentChannel(Path dir) {
    this.dir = dir;
  }

  /**
   * The channel {@code value} (the variable's value) names, or a ToolError saying what is wrong.
   */
  static AgentChannel of(String value) {
    if (value == null || value.isBlank()) {
      throw new ToolError(
          ToolError.UNAVAILABLE,
          VARIABLE
              + " is not set: this tool works only for an agent that Agent OS runs (the executor"
              + " sets it); nothing was recorded");
    }
    Path dir = Path.of(value);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolError(
          ToolError.UNAVAILABLE,
          VARIABLE + "=" + value + " is not a directory; nothing was recorded");
    }
    return new AgentChannel(dir);
  }

  /** Appends one decision to {@code decisions.jsonl}. */
  void recordDecision(String title, String decision, String rationale) {
    bounded("title", title, MAX_TITLE);
    bounded("decision", decision, MAX_DECISION);
    bounded("rationale", rationale, MAX_RATIONALE);
    byte[] line =
        (Json.writeString(new Decision(title, decision, rationale)) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve(DECISIONS);
    try {
      long size = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : 0;
      if (size + line.length > MAX_DECISIONS_BYTES) {
        throw ToolError.invalid(
            "the decisions of this step already fill "
                + size
                + " of "
                + MAX_DECISIONS_BYTES
                + " bytes; record only the decisions that matter");
      }
      // One write of a whole line in append mode: lines of two calls never interleave.
      try (OutputStream out =
          Files.newOutputStream(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        out.write(line);
      }
    } catch (IOException e) {
      throw new ToolError(ToolError.UNAVAILABLE, "cannot write " + file + ": " + e.getMessage());
    }
  }

  /** Writes {@code question.json}, whole or not at all. */
  void askPerson(String question, String context) {
    bounded("question", question, MAX_QUESTION);
    bounded("context", context, MAX_CONTEXT);
    Path file = dir.resolve(QUESTION);
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw ToolError.invalid(
          "a question is already waiting for a person in this turn; stop now and end your turn");
    }
    Path partial = dir.resolve(QUESTION + ".partial");
    try {
      Files.deleteIfExists(partial);
      Files.write(
          partial,
          Json.write(new Question(question, context)),
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      // The executor reads the file when the turn ends: it sees the whole question or none.
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ToolError(ToolError.UNAVAILABLE, "cannot write " + file + ": " + e.getMessage());
    }
  }

  private static void bounded(String name, String value, int max) {
    if (value != null && value.length() > max) {
      throw ToolError.invalid(
          "'" + name + "' is " + value.length() + " characters; at most " + max + " are taken");
    }
  }
}

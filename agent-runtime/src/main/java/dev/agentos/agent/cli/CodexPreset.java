package dev.agentos.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * OpenAI Codex, headless: {@code codex exec --json -}, the prompt on standard input; {@code codex
 * exec --json resume <thread_id> -} continues a session.
 *
 * <p>The output is JSON Lines: {@code thread.started} with the {@code thread_id}, {@code
 * turn.started}, {@code item.started}/{@code item.updated}/{@code item.completed} (items of type
 * {@code agent_message}, {@code reasoning}, {@code command_execution}, {@code file_change}, {@code
 * mcp_tool_call}, ...), {@code turn.completed} with {@code usage} ({@code input_tokens}, of which
 * {@code cached_input_tokens} came from the cache, and {@code output_tokens}), {@code turn.failed}
 * and {@code error}. Codex reports no cost: the price table prices its tokens. Documented at
 * https://github.com/openai/codex/blob/main/docs/exec.md (JSON output mode, resuming, {@code
 * --sandbox}, {@code --skip-git-repo-check}); sessions are kept in {@code
 * ~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<thread_id>.jsonl}.
 */
public final class CodexPreset implements CliPreset {
  @Override
  public String program() {
    return "codex";
  }

  @Override
  public List<String> arguments(
      CliOptions options, String model, CliSession session, Path promptFile) {
    List<String> args = new ArrayList<>(List.of("exec", "--json", "--skip-git-repo-check"));
    args.addAll(options.mcp().codexArguments());
    if (model != null) {
      args.addAll(List.of("--model", model));
    }
    if (options.sandbox() != null) {
      args.addAll(List.of("--sandbox", options.sandbox()));
    }
    if (session.resume()) {
      args.addAll(List.of("resume", session.id()));
    }
    args.add("-"); // the prompt is on standard input
    return args;
  }

  @Override
  public boolean resumable() {
    return true;
  }

  @Override
  public Optional<Path> sessionFile(Path home, Path workspace, String sessionId) {
    Path sessions = home.resolve(".codex").resolve("sessions");
    if (!Files.isDirectory(sessions)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(sessions, 5)) {
      return files
          .filter(
              f ->
                  f.getFileName()
                      .toString()
                      .endsWith((sessionId == null ? "" : sessionId) + ".jsonl"))
          .filter(f -> f.getFileName().toString().startsWith("rollout-"))
          .filter(Files::isRegularFile)
          .findFirst();
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty(); // a session directory being written: the next heartbeat copies it
    }
  }

  /** {@code rollout-<time>-<thread_id>.jsonl}: the thread id is the name's last 36 characters. */
  @Override
  public Optional<String> sessionIdOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".jsonl") || name.length() < 42) {
      return Optional.empty();
    }
    return Optional.of(name.substring(name.length() - 42, name.length() - 6));
  }

  /** The same place under the new HOME: Codex finds a session by its id anywhere in there. */
  @Override
  public Optional<Path> sessionFileTarget(
      Path home, Path workspace, String sessionId, String savedName) {
    Path target = home.resolve(savedName).normalize();
    return target.startsWith(home.resolve(".codex")) ? Optional.of(target) : Optional.empty();
  }

  @Override
  public List<CliEvent> liveEvents(String line) {
    return JsonLines.object(line)
        .filter(node -> "item.completed".equals(JsonLines.text(node, "type")))
        .map(node -> itemEvents(node.path("item")))
        .orElse(List.of());
  }

  /** What one completed item says: a message, a command run, a tool call, file changes. */
  private static List<CliEvent> itemEvents(JsonNode item) {
    String kind = ClaudeCodePreset.firstText(item, "type", "item_type");
    List<CliEvent> events = new ArrayList<>();
    if ("agent_message".equals(kind) || "assistant_message".equals(kind)) {
      events.add(new CliEvent(CliEvent.Kind.MESSAGE, JsonLines.text(item, "text")));
    } else if ("command_execution".equals(kind)) {
      events.add(new CliEvent(CliEvent.Kind.TOOL_CALL, "run " + JsonLines.text(item, "command")));
    } else if ("mcp_tool_call".equals(kind)) {
      events.add(
          new CliEvent(
              CliEvent.Kind.TOOL_CALL,
              JsonLines.text(item, "server") + "." + JsonLines.text(item, "tool")));
    } else if ("file_change".equals(kind)) {
      for (JsonNode change : item.path("changes")) {
        events.add(
            new CliEvent(
                CliEvent.Kind.FILE_EDIT,
                JsonLines.text(change, "kind") + " " + JsonLines.text(change, "path")));
      }
    }
    return events;
  }

  @Override
  public CliReport parse(String stdout) {
    String threadId = null;
    String answer = null;
    String error = null;
    long in = 0;
    long out = 0;
    int turns = 0;
    List<CliEvent> events = new ArrayList<>();
    for (JsonNode line : JsonLines.objects(stdout)) {
      String type = String.valueOf(JsonLines.text(line, "type"));
      switch (type) {
        case "thread.started" -> threadId = JsonLines.text(line, "thread_id");
        case "turn.completed" -> {
          JsonNode usage = line.path("usage");
          in += usage.path("input_tokens").asLong();
          out += usage.path("output_tokens").asLong();
          turns++;
        }
        case "turn.failed" -> error = "codex turn failed: " + line.path("error").path("message");
        case "error" -> error = "codex reported an error: " + JsonLines.text(line, "message");
        case "item.completed" -> {
          JsonNode item = line.path("item");
          String kind = ClaudeCodePreset.firstText(item, "type", "item_type");
          if ("agent_message".equals(kind) || "assistant_message".equals(kind)) {
            answer = JsonLines.text(item, "text");
          }
          events.addAll(itemEvents(item));
        }
        default -> {
          // turn.started, item.started/updated, reasoning: nothing to count
        }
      }
    }
    if (error != null) {
      events.add(new CliEvent(CliEvent.Kind.ERROR, error));
    }
    return new CliReport(
        answer,
        threadId,
        List.of(new ModelTokens(null, in, out)),
        null,
        turns == 0 ? null : turns,
        answer == null ? error : null,
        events);
  }
}

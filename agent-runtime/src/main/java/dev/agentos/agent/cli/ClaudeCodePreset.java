package dev.agentos.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Claude Code, headless: {@code claude -p --output-format stream-json --verbose}, the prompt on
 * standard input.
 *
 * <p>The output is one JSON object per line: a {@code system}/{@code init} line with the {@code
 * session_id} and {@code model}, {@code assistant} and {@code user} messages (text, {@code
 * tool_use}, {@code tool_result}), and last a {@code result} line with {@code result}, {@code
 * is_error}, {@code num_turns}, {@code total_cost_usd} and {@code usage} ({@code input_tokens},
 * {@code output_tokens}, {@code cache_creation_input_tokens}, {@code cache_read_input_tokens}).
 * Documented at https://docs.claude.com/en/docs/claude-code/sdk/sdk-headless (output formats,
 * multi-turn {@code --resume}) and https://docs.claude.com/en/docs/claude-code/cli-reference
 * ({@code --session-id}, {@code --permission-mode}, {@code --allowedTools}, {@code --max-turns},
 * {@code --model}). Sessions are kept in {@code ~/.claude/projects/<cwd>/<session-id>.jsonl}, the
 * working directory with every character other than a letter or digit made a {@code -}
 * (https://docs.claude.com/en/docs/claude-code/settings, "~/.claude" directory).
 */
public final class ClaudeCodePreset implements CliPreset {
  private static final Set<String> EDIT_TOOLS =
      Set.of("Edit", "MultiEdit", "Write", "NotebookEdit");

  @Override
  public String program() {
    return "claude";
  }

  @Override
  public List<String> arguments(
      CliOptions options, String model, CliSession session, Path promptFile) {
    List<String> args =
        new ArrayList<>(List.of("-p", "--output-format", "stream-json", "--verbose"));
    if (session.resume()) {
      args.addAll(List.of("--resume", session.id()));
    } else if (session.id() != null) {
      args.addAll(List.of("--session-id", session.id()));
    }
    if (model != null) {
      args.addAll(List.of("--model", model));
    }
    if (options.permissionMode() != null) {
      args.addAll(List.of("--permission-mode", options.permissionMode()));
    }
    List<String> allowedTools = options.mcp().claudeAllowedTools(options.allowedTools());
    if (!allowedTools.isEmpty()) {
      args.addAll(List.of("--allowedTools", String.join(",", allowedTools)));
    }
    args.addAll(options.mcp().claudeArguments(promptFile));
    if (options.maxTurns() != null) {
      args.addAll(List.of("--max-turns", Integer.toString(options.maxTurns())));
    }
    return args;
  }

  @Override
  public Optional<String> fixedSessionId() {
    return Optional.of(UUID.randomUUID().toString());
  }

  @Override
  public boolean resumable() {
    return true;
  }

  @Override
  public Optional<Path> sessionFile(Path home, Path workspace, String sessionId) {
    return sessionId == null
        ? Optional.empty()
        : Optional.of(projectDir(home, workspace).resolve(sessionId + ".jsonl"));
  }

  @Override
  public Optional<String> sessionIdOf(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".jsonl")
        ? Optional.of(name.substring(0, name.length() - 6))
        : Optional.empty();
  }

  @Override
  public Optional<Path> sessionFileTarget(
      Path home, Path workspace, String sessionId, String savedName) {
    return sessionFile(home, workspace, sessionId);
  }

  static Path projectDir(Path home, Path workspace) {
    String cwd = workspace.toAbsolutePath().normalize().toString();
    return home.resolve(".claude").resolve("projects").resolve(cwd.replaceAll("[^A-Za-z0-9]", "-"));
  }

  @Override
  public CliReport parse(String stdout) {
    String sessionId = null;
    String model = null;
    String lastText = null;
    List<CliEvent> events = new ArrayList<>();
    JsonNode result = null;
    for (JsonNode line : JsonLines.objects(stdout)) {
      String type = JsonLines.text(line, "type");
      if (JsonLines.text(line, "session_id") != null) {
        sessionId = JsonLines.text(line, "session_id");
      }
      if ("system".equals(type) && JsonLines.text(line, "model") != null) {
        model = JsonLines.text(line, "model");
      } else if ("assistant".equals(type)) {
        JsonNode message = line.path("message");
        if (JsonLines.text(message, "model") != null) {
          model = JsonLines.text(message, "model");
        }
        for (CliEvent event : assistantEvents(message)) {
          if (event.kind() == CliEvent.Kind.MESSAGE) {
            lastText = event.text();
          }
          events.add(event);
        }
      } else if ("result".equals(type)) {
        result = line;
      }
    }
    if (result == null) {
      return new CliReport(
          lastText,
          sessionId,
          List.of(),
          null,
          null,
          "claude printed no result line (the run ended early)",
          events);
    }
    JsonNode usage = result.path("usage");
    long in =
        usage.path("input_tokens").asLong()
            + usage.path("cache_creation_input_tokens").asLong()
            + usage.path("cache_read_input_tokens").asLong();
    long out = usage.path("output_tokens").asLong();
    String text = JsonLines.text(result, "result");
    boolean failed =
        result.path("is_error").asBoolean(false)
            || String.valueOf(JsonLines.text(result, "subtype")).startsWith("error");
    String error =
        failed
            ? "claude reported "
                + JsonLines.text(result, "subtype")
                + ": "
                + (text == null ? "" : text)
            : null;
    JsonNode cost = result.path("total_cost_usd");
    return new CliReport(
        text != null ? text : lastText,
        sessionId,
        List.of(new ModelTokens(model, in, out)),
        cost.isNumber() ? cost.asDouble() : null,
        result.path("num_turns").isNumber() ? result.path("num_turns").asInt() : null,
        error,
        events);
  }

  @Override
  public List<CliEvent> liveEvents(String line) {
    return JsonLines.object(line)
        .filter(node -> "assistant".equals(JsonLines.text(node, "type")))
        .map(node -> assistantEvents(node.path("message")))
        .orElse(List.of());
  }

  /** The text and tool calls of one assistant message. */
  private static List<CliEvent> assistantEvents(JsonNode message) {
    List<CliEvent> events = new ArrayList<>();
    for (JsonNode block : message.path("content")) {
      String kind = JsonLines.text(block, "type");
      if ("text".equals(kind)) {
        events.add(new CliEvent(CliEvent.Kind.MESSAGE, JsonLines.text(block, "text")));
      } else if ("tool_use".equals(kind)) {
        events.add(toolEvent(block));
      }
    }
    return events;
  }

  private static CliEvent toolEvent(JsonNode block) {
    String name = String.valueOf(JsonLines.text(block, "name"));
    JsonNode input = block.path("input");
    String target =
        firstText(input, "file_path", "notebook_path", "command", "pattern", "path", "url");
    if (EDIT_TOOLS.contains(name)) {
      return new CliEvent(CliEvent.Kind.FILE_EDIT, name + " " + (target == null ? "" : target));
    }
    return new CliEvent(
        CliEvent.Kind.TOOL_CALL,
        target == null ? name : name + " " + JsonLines.oneLine(target, 200));
  }

  static String firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      String value = JsonLines.text(node, field);
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}

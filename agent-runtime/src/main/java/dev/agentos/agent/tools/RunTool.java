package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.process.Finished;
import dev.agentos.process.Launch;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.process.ProcessLimits;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.time.Duration;
import java.util.List;

/**
 * {@code run}: runs one of the commands the profile allows ({@code tools.run}) in the workspace,
 * through the one process launcher: no shell, a minimal environment, bounded output, a deadline and
 * a process-group kill. A command line must begin with an allowed line, word by word; the words
 * after it are the model's (so allow {@code mvn -q test}, not {@code sh}).
 */
final class RunTool implements Tool {
  /** What of a command's output is kept: its first and last 16 KiB. */
  static final ProcessLimits OUTPUT = new ProcessLimits(16 << 10, 16 << 10, 0);

  private final Workspace workspace;
  private final List<List<String>> allowed;
  private final List<String> allowedLines;
  private final Duration timeout;
  private final ProcessLauncher launcher;

  RunTool(Workspace workspace, ToolSettings settings, ProcessLauncher launcher) {
    this.workspace = workspace;
    this.allowed = settings.runWords();
    this.allowedLines = settings.run();
    this.timeout = settings.runTimeout();
    this.launcher = launcher.withLimits(OUTPUT);
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("run")
        .description(
            "Run a command in the workspace (no shell: no pipes, redirections or variables) and"
                + " get its exit status and output. Only command lines that begin with one of"
                + " these are allowed: "
                + String.join(" | ", allowedLines)
                + ". It is stopped after "
                + timeout.toSeconds()
                + " s.")
        .parameters(
            JsonObjectSchema.builder()
                .addStringProperty("command", "the command line, e.g. " + allowedLines.get(0))
                .required("command")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    String line = Args.text(arguments, "command");
    List<String> words = ToolSettings.words(line);
    if (words.isEmpty()) {
      throw new ToolError("the command is empty");
    }
    if (allowed.stream().noneMatch(prefix -> startsWith(words, prefix))) {
      throw new ToolError(
          "'"
              + line.strip()
              + "' is not allowed; the commands this agent may run begin with: "
              + String.join(" | ", allowedLines));
    }
    Finished finished = launcher.run(Launch.of(words, workspace.root(), timeout).mergingStderr());
    String output = finished.stdout().text().strip();
    String status =
        finished.timedOut()
            ? "stopped after " + timeout.toSeconds() + " s (its processes were killed)"
            : "exit status " + finished.exitCode();
    return status + (output.isEmpty() ? "; no output" : "; output:\n" + output);
  }

  private static boolean startsWith(List<String> words, List<String> prefix) {
    return words.size() >= prefix.size() && words.subList(0, prefix.size()).equals(prefix);
  }
}

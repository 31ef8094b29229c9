package dev.agentos.agent.cli;

import dev.agentos.agent.AgentBackend;
import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.PriceTable;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.process.Finished;
import dev.agentos.process.Launch;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.process.ProcessOutput;
import dev.agentos.state.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a coding-agent CLI (Claude Code, Codex, Gemini CLI, aider) through its {@link CliPreset}: in
 * its non-interactive mode, in the workspace, with a HOME of its own, through the one {@link
 * ProcessLauncher}; then reads its output for the answer, the tokens and the cost. A cost the tool
 * reports is taken as it is; otherwise the price table prices the tokens of each model.
 */
public final class CliAgentBackend implements AgentBackend {
  static final int STDERR_TAIL_CHARS = 2000;

  private final AgentSettings settings;
  private final CliPreset preset;
  private final PriceTable prices;
  private final Map<String, String> baseEnvironment;
  private final ProcessLauncher launcher;

  public CliAgentBackend(
      AgentSettings settings,
      PriceTable prices,
      Map<String, String> baseEnvironment,
      ProcessLauncher launcher) {
    this.settings = settings.validated();
    this.preset = CliPreset.of(settings.backend());
    this.prices = prices == null ? PriceTable.EMPTY : prices;
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    this.launcher = launcher;
  }

  @Override
  public AgentResult call(AgentRequest request) {
    return run(request, CliSession.fresh(preset.fixedSessionId().orElse(null))).result();
  }

  /** One run with {@code session}: the answer and the session the tool used. */
  public CliRun run(AgentRequest request, CliSession session) {
    return run(request, session, CliRunHooks.NONE);
  }

  /** The same, with {@code hooks} around the tool's run in its HOME. */
  public CliRun run(AgentRequest request, CliSession session, CliRunHooks hooks) {
    try (AgentHome home = AgentHome.create(settings.cli().scratchRoot())) {
      hooks.prepare(home.dir());
      Path promptFile = home.dir().resolve("prompt.md");
      writePrompt(promptFile, request.prompt());
      List<String> argv = new ArrayList<>(program());
      argv.addAll(preset.arguments(settings.cli(), settings.model(), session, promptFile));
      Map<String, String> environment = new HashMap<>(baseEnvironment);
      if (request.environment() != null) {
        environment.putAll(request.environment());
      }
      environment.put("HOME", home.dir().toString());
      byte[] stdin =
          preset.promptOnStdin() ? request.prompt().getBytes(StandardCharsets.UTF_8) : new byte[0];
      java.time.Duration timeout =
          request.timeout() != null ? request.timeout() : settings.timeout();
      Finished run;
      try (AutoCloseable watching = hooks.running(home.dir())) {
        run =
            launcher.run(
                new Launch(argv, request.workspace(), stdin, timeout, environment, false),
                line -> preset.liveEvents(line).forEach(hooks::event));
      } catch (AgentOsException e) {
        throw e;
      } catch (Exception e) {
        throw new AgentOsException(ErrorCode.INTERNAL, "after " + preset.program() + ": " + e, e);
      }
      if (run.timedOut()) {
        throw new AgentOsException(
            ErrorCode.AGENT_TIMEOUT,
            preset.program() + " ran longer than " + timeout + " and was stopped");
      }
      CliReport report = preset.parse(whole(run.stdout()));
      if (run.exitCode() != 0 || report.error() != null) {
        throw new AgentOsException(
            ErrorCode.AGENT_FAILED,
            preset.program()
                + " exited with "
                + run.exitCode()
                + (report.error() == null ? "" : "; " + report.error())
                + ": "
                + run.stderr().lastChars(STDERR_TAIL_CHARS));
      }
      double seconds = run.elapsed().toNanos() / 1e9;
      String model = report.mainModel() != null ? report.mainModel() : settings.model();
      Usage usage = new Usage(report.tokensIn(), report.tokensOut(), cost(report), seconds);
      String sessionId = report.sessionId() != null ? report.sessionId() : session.id();
      return new CliRun(
          new AgentResult(
              report.text(), 0, usage, model != null ? model : settings.backend().configName()),
          report,
          sessionId);
    }
  }

  /** The cost the tool reported, else each model's tokens at the price table's price. */
  double cost(CliReport report) {
    if (report.costUsd() != null) {
      return report.costUsd();
    }
    double cost = 0;
    for (ModelTokens tokens : report.models()) {
      String model = tokens.model() != null ? tokens.model() : settings.model();
      cost +=
          prices
              .price(model)
              .or(() -> prices.price(settings.model()))
              .map(p -> p.cost(tokens.in(), tokens.out()))
              .orElse(0d);
    }
    return cost;
  }

  public CliPreset preset() {
    return preset;
  }

  public AgentSettings settings() {
    return settings;
  }

  /**
   * The profile's command (where the tool is, and any arguments before the preset's), else the
   * tool's name.
   */
  private List<String> program() {
    return settings.command().isEmpty() ? List.of(preset.program()) : settings.command();
  }

  private static void writePrompt(Path file, String prompt) {
    try {
      Files.writeString(file, prompt);
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE, "cannot write the prompt to " + file + ": " + e.getMessage(), e);
    }
  }

  private static String whole(ProcessOutput out) {
    return out.wholeIsComplete() ? new String(out.whole(), StandardCharsets.UTF_8) : out.text();
  }

  @Override
  public String describe() {
    return settings.backend().configName()
        + " ("
        + String.join(" ", program())
        + (settings.model() == null ? "" : ", model " + settings.model())
        + ")";
  }

  @Override
  public String toString() {
    return describe();
  }

  /** What one run gave: the result, what the tool's output said, and its session. */
  public record CliRun(AgentResult result, CliReport report, String sessionId) {}
}

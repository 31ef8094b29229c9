package dev.agentos.agent;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code noop} backend: answers every call at once, in the service's own process, spending
 * nothing. It exists to measure Agent OS's orchestration alone (claims, checkpoints, hand-offs),
 * without the cost of starting an agent process: an operator configures it as a profile ({@code
 * agentos.profiles.<name>.backend=noop}); a submit can only name that profile, never ask for the
 * backend. A plan step's call leaves one small marker file, {@code .agentos-noop/step-<id>.txt}, as
 * the bench's spawning agent does, so that Review finds the change it asks every step for.
 */
final class NoopBackend implements AgentBackend {
  static final String MARKERS = ".agentos-noop";

  private final String role;

  NoopBackend(String role) {
    this.role = role;
  }

  @Override
  public AgentResult call(AgentRequest request) {
    Map<String, String> env = request.environment() == null ? Map.of() : request.environment();
    String step = env.get(AgentRequest.STEP_ID);
    if (step == null || request.workspace() == null) {
      return new AgentResult("noop: nothing to do", 0, Usage.ZERO, "noop");
    }
    String name = "step-" + step.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt";
    Path marker = request.workspace().resolve(MARKERS).resolve(name);
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "attempt " + env.getOrDefault(AgentRequest.ATTEMPT, "1") + "\n");
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.AGENT_FAILED, "the noop agent could not write " + marker + ": " + e, e);
    }
    return new AgentResult("noop: wrote " + MARKERS + "/" + name, 0, Usage.ZERO, "noop");
  }

  @Override
  public String describe() {
    return "noop (in-process, answers at once, leaves one marker file per step) for role " + role;
  }
}

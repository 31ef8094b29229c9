package dev.agentos.agent;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.instruction.Instruction;
import dev.agentos.instruction.InstructionCatalog;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.prompt.ProjectContext;
import dev.agentos.spec.SpecLayout;
import dev.agentos.spec.SpecLayoutFiles;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.worker.PhaseContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Everything a role needs to talk to its agent: which agent the cycle uses for the role (if any),
 * what the team shares about the project, which instruction the cycle runs, how long a call may
 * take and how large a prompt may be.
 */
public record RoleAgent(
    Phase phase,
    Function<CycleState, Optional<AgentBackend>> agents,
    Function<String, Knowledge> knowledge,
    BiFunction<String, Path, Instruction> instructions,
    Duration timeout,
    int maxPromptChars) {

  public static final int DEFAULT_MAX_PROMPT_CHARS = 120_000;

  /** Only the built-in instructions, for tools and tests without a team or workspace catalog. */
  public RoleAgent(
      Phase phase,
      Function<CycleState, Optional<AgentBackend>> agents,
      Function<String, Knowledge> knowledge,
      Duration timeout,
      int maxPromptChars) {
    this(
        phase,
        agents,
        knowledge,
        (name, workspace) -> InstructionCatalog.builtInOnly().require(name, workspace),
        timeout,
        maxPromptChars);
  }

  /** A role without an agent, e.g. for tests of the parts that need none. */
  public static RoleAgent none(Phase phase) {
    return new RoleAgent(
        phase,
        s -> Optional.empty(),
        p -> Knowledge.NONE,
        (name, workspace) -> InstructionCatalog.builtInOnly().require(name, workspace),
        AgentSettings.DEFAULT_TIMEOUT,
        DEFAULT_MAX_PROMPT_CHARS);
  }

  public Optional<AgentBackend> agentFor(CycleState state) {
    return agents.apply(state);
  }

  /** The agent for {@code state}, or an error that says what to configure. */
  public AgentBackend requireAgent(CycleState state) {
    return agentFor(state)
        .orElseThrow(
            () ->
                new AgentOsException(
                    ErrorCode.INVALID_REQUEST,
                    "no agent is configured for role "
                        + phase.role()
                        + ": set agentos.agents."
                        + phase.role()
                        + ".backend (openai, anthropic, ollama) with .model, or .command for a CLI"
                        + " agent (env AGENTOS_AGENTS_"
                        + phase.role().toUpperCase(java.util.Locale.ROOT)
                        + "_COMMAND)"));
  }

  /**
   * The instruction the context's cycle runs, as its workspace sees it, with the files it writes in
   * the layout of the cycle's spec folder and the product documents in the workspace's product
   * folder.
   */
  public Instruction instruction(PhaseContext context) {
    Instruction found =
        instructions
            .apply(context.state().instruction(), context.workspace())
            .withProductFolder(SpecLayoutFiles.productFolder(context.workspace()));
    String spec = context.state().spec();
    if (found.writes() == Instruction.Writes.OWN_STEPS || spec == null) {
      return found;
    }
    return found.inLayout(SpecLayout.ofSpec(context.workspace(), spec).layout());
  }

  /** The project context for a prompt; {@code taskText} selects the sub-specs it names. */
  public ProjectContext context(PhaseContext context, String taskText) {
    return ProjectContext.of(
        context.workspace(), context.state(), knowledge.apply(context.state().project()), taskText);
  }

  /** A request in the workspace, with the cycle and {@code extra} in the agent's environment. */
  public AgentRequest request(PhaseContext context, String prompt, Map<String, String> extra) {
    Map<String, String> environment = new HashMap<>(extra);
    environment.put(AgentRequest.CYCLE_ID, context.state().cycleId());
    environment.put(AgentRequest.ROLE, phase.role());
    environment.putIfAbsent(AgentRequest.ATTEMPT, Integer.toString(context.attempt()));
    environment.put(AgentRequest.INSTRUCTION, context.state().instruction());
    if (context.state().spec() != null) {
      environment.put(AgentRequest.SPEC, context.state().spec());
    }
    return new AgentRequest(
        phase.role(), prompt, context.workspace(), timeout, Map.copyOf(environment));
  }
}

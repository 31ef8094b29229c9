package dev.agentos.cli.mcp;

import dev.agentos.cli.NatsTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** The two servers {@code agentos mcp} runs: the API's for people, the agent's for an executor. */
public final class McpServers {
  public static final String CHANNEL_VARIABLE = AgentChannel.VARIABLE;

  private McpServers() {}

  /** The control API's tools and the cycle resource, over NATS; blocks until the client leaves. */
  public static void control(String version, NatsTarget target, Path workingDir)
      throws InterruptedException {
    try (NatsSession nats = new NatsSession(target)) {
      McpStdio.serve(
          "agentos",
          version,
          "Agent OS runs PEER cycles (Plan, Execute, Express, Review) of coding agents. submit"
              + " starts one and returns its id; watch follows it to COMPLETED, FAILED or"
              + " CANCELLED, or until it waits for a person: approve or reject at an approval"
              + " gate, answer a NEEDS_INPUT question. The resource agentos://cycles/{cycle_id}"
              + " is a cycle's whole state.",
          new ControlTools(nats, new SubmitArguments(workingDir)).all(),
          List.of(CycleResource.spec(nats)));
    }
  }

  /**
   * The agent's tools; {@code channel} is {@code AGENTOS_CHANNEL}'s value (null when unset), read
   * at each call so that the error says so where the agent sees it.
   */
  public static void agent(String version, Supplier<String> channel) throws InterruptedException {
    McpStdio.serve(
        "agentos-agent",
        version,
        "Tools of Agent OS for the agent running this step: record_decision keeps a decision"
            + " and its reason for the people reviewing the cycle; ask_person asks them a"
            + " question, after which you stop and end your turn.",
        new AgentTools(() -> AgentChannel.of(channel.get())).all(),
        List.of());
  }
}

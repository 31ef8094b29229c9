package dev.agentos.cli.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.List;
import java.util.function.Supplier;

/**
 * The tools of {@code agentos mcp --agent}, the server an executor hands its agent: {@code
 * record_decision} and {@code ask_person}, which write to the agent's {@link AgentChannel}. No
 * NATS: the agent reaches Agent OS only through the files the executor reads after its turn.
 */
final class AgentTools {
  static final String STOP_NOW =
      "Your question is recorded for a person. Stop now: end your turn without further work or"
          + " tool calls. The person's answer will come when this session resumes.";

  private final Supplier<AgentChannel> channel;

  /**
   * @param channel the channel, read at each call (a ToolError when the executor gave none)
   */
  AgentTools(Supplier<AgentChannel> channel) {
    this.channel = channel;
  }

  List<SyncToolSpecification> all() {
    return List.of(
        ToolSpecs.tool(
            "record_decision",
            "Record a decision you made in this step (a choice between options, an assumption, a"
                + " trade-off) so that the people reviewing the cycle see it with its reason.",
            Schema.object()
                .requiredText("title", "the decision in a few words")
                .requiredText("decision", "what you decided")
                .requiredText("rationale", "why, and what you weighed"),
            (in, exchange, request) -> {
              String title = in.required("title");
              String decision = in.required("decision");
              String rationale = in.required("rationale");
              channel.get().recordDecision(title, decision, rationale);
              return ToolSpecs.text("Recorded the decision '" + title + "'.");
            }),
        ToolSpecs.tool(
            "ask_person",
            "Ask a person a question you cannot answer yourself (a requirement is unclear, a"
                + " choice is theirs to make). After calling it, stop and end your turn: the"
                + " session resumes with the answer.",
            Schema.object()
                .requiredText("question", "the question, on its own")
                .text("context", "what the person needs to know to answer: options, findings"),
            (in, exchange, request) -> {
              String question = in.required("question");
              String context = in.text("context").orElse(null);
              channel.get().askPerson(question, context);
              return ToolSpecs.text(STOP_NOW);
            }));
  }
}

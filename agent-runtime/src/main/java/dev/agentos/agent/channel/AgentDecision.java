package dev.agentos.agent.channel;

/** One decision an agent recorded through its channel's {@code decisions.jsonl}. */
public record AgentDecision(String title, String decision, String rationale) {}

package dev.agentos.agent.channel;

/** What an agent asked a person through its channel's {@code question.json}. */
public record AgentQuestion(String question, String context) {}

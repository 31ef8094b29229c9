package dev.agentos.agent.cli;

/** The tokens one model used in a CLI agent's run; cache tokens are counted in {@code in}. */
public record ModelTokens(String model, long in, long out) {}

package dev.agentos.state;

/** One verification Review ran, and what it saw. */
public record Check(String name, boolean passed, String detail) {}

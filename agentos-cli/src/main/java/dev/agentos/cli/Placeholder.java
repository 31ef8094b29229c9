package dev.agentos.cli;

/** Placeholder until the CLI lands. */
final class Placeholder {
  private Placeholder() {}
}

package dev.agentos.knowledge;

/**
 * The team's decision log ({@code agentos-decisions}), where Review's insights and the decisions
 * agents record go, so that later cycles see them.
 */
@FunctionalInterface
public interface DecisionLog {
  DecisionLog NONE = (project, record) -> {};

  void record(String project, DecisionRecord record);
}

package dev.agentos.review;

import dev.agentos.knowledge.DecisionRecord;

/** Where Review's insights go: the team's decision log, so later cycles see them. */
@FunctionalInterface
public interface DecisionLog {
  DecisionLog NONE = (project, record) -> {};

  void record(String project, DecisionRecord record);
}

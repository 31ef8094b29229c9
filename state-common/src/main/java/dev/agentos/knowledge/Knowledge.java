package dev.agentos.knowledge;

import java.util.List;

/** What the team shares through NATS for one project: its standards and its decision log. */
public record Knowledge(List<Standard> standards, List<DecisionRecord> decisions) {
  public static final Knowledge NONE = new Knowledge(List.of(), List.of());
}

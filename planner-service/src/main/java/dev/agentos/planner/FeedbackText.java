package dev.agentos.planner;

import dev.agentos.state.FeedbackItem;

/** A feedback item as one line of a prompt or a plan: what, where, why. */
final class FeedbackText {
  private FeedbackText() {}

  static String of(FeedbackItem item) {
    StringBuilder line = new StringBuilder(item.what());
    if (item.where() != null && !item.where().isBlank()) {
      line.append(" (where: ").append(item.where()).append(')');
    }
    if (item.why() != null && !item.why().isBlank()) {
      line.append(" — ").append(item.why());
    }
    return line.toString();
  }
}

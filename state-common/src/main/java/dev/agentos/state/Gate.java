package dev.agentos.state;

/** The approval gates a cycle may ask for in its options. */
public enum Gate {
  AFTER_PLAN,
  BEFORE_COMPLETE
}

package dev.agentos.state;

/**
 * What becomes of a git workspace's cycle branch once the cycle is COMPLETED: left for review (the
 * default: a person merges it), or fast-forwarded into the base ref the cycle started from, when
 * the project allows it and the base has not moved. Never a merge commit, never a force push.
 */
public enum Delivery {
  REVIEW,
  FAST_FORWARD
}

package dev.agentos.agent.tools;

import dev.agentos.state.Usage;

/**
 * What a phase sees of a model's tool loop while it runs: after each turn that called tools, what
 * the loop used so far and what the turn did. The phase keeps the latest turn for a replica that
 * takes an interrupted step over, and stops a loop that crossed the cycle's budget by throwing.
 */
@FunctionalInterface
public interface LoopWatch {
  LoopWatch NONE = (soFar, latest) -> {};

  /**
   * @param soFar the tokens and cost of every turn of this loop so far (not yet in the cycle)
   * @param latest the turn's model text and tool calls with their results, trimmed
   * @throws dev.agentos.error.AgentOsException to stop the loop (BUDGET_EXHAUSTED, say): the loop
   *     fails with its code and message, and what it used is still counted
   */
  void turn(Usage soFar, String latest);

  /** This watch, then {@code next}. */
  default LoopWatch andThen(LoopWatch next) {
    return (soFar, latest) -> {
      turn(soFar, latest);
      next.turn(soFar, latest);
    };
  }
}

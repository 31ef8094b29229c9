package dev.agentos.state;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.util.Optional;

/**
 * The per-cycle limits, checked before every agent call against the usage summed durably in the
 * cycle's state, so every replica of every role sees the same totals. {@code wall_seconds} counts
 * the agents' own time, so a cycle waiting in a queue or at a gate spends none of it.
 */
public final class Budgets {
  private Budgets() {}

  /** Why {@code state} may not call an agent again, or empty if it may. */
  public static Optional<String> exhausted(CycleState state, Usage pending) {
    Budget budget = state.optionsOrDefaults().budgetOrUnlimited();
    Usage used = state.usageOrNone().total();
    if (used == null) {
      used = Usage.ZERO;
    }
    used = used.plus(pending);
    if (budget.tokens() != null && used.tokens() >= budget.tokens()) {
      return Optional.of(
          "token budget exhausted: "
              + used.tokens()
              + " of "
              + budget.tokens()
              + " tokens used; resume with a higher budget.tokens to continue");
    }
    if (budget.costUsd() != null && used.costUsd() >= budget.costUsd()) {
      return Optional.of(
          String.format(
              "cost budget exhausted: $%.4f of $%.4f spent; resume with a higher budget.cost_usd"
                  + " to continue",
              used.costUsd(), budget.costUsd()));
    }
    if (budget.wallSeconds() != null && used.wallSeconds() >= budget.wallSeconds()) {
      return Optional.of(
          String.format(
              "time budget exhausted: agents ran %.0f of %d seconds; resume with a higher"
                  + " budget.wall_seconds to continue",
              used.wallSeconds(), budget.wallSeconds()));
    }
    return Optional.empty();
  }

  /** Throws BUDGET_EXHAUSTED (which pauses or fails the cycle) when a limit is reached. */
  public static void require(CycleState state, Usage pending) {
    Optional<String> reason = exhausted(state, pending);
    if (reason.isPresent()) {
      throw new AgentOsException(ErrorCode.BUDGET_EXHAUSTED, reason.get());
    }
  }
}

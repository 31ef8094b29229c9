package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.state.Budget;

/**
 * A budget a submit or a resume asks for, held to the operator's limits: each limit it names
 * replaces the one it would otherwise have, each it leaves out keeps that one (or, with none, is
 * the ceiling), and none may lie above the project's ceiling. So a submit can lower the configured
 * limits, never lift them, and leaving a field out never removes a limit.
 */
public final class BudgetCeiling {
  private BudgetCeiling() {}

  /**
   * @param requested what the caller asked for, or null
   * @param current the limits that hold without the request (the configured defaults, or the
   *     cycle's budget so far)
   * @param ceiling the project's ceiling; null fields: no ceiling
   * @param field how the caller spelled the budget, for the message ({@code options.budget})
   * @return the limits to keep
   * @throws AgentOsException INVALID_REQUEST naming the limit above the ceiling
   */
  public static Budget admit(Budget requested, Budget current, Budget ceiling, String field) {
    Submissions.validate(requested, field);
    Budget asked = requested == null ? Budget.unlimited() : requested;
    Budget base = current == null ? Budget.unlimited() : current;
    Budget top = ceiling == null ? Budget.unlimited() : ceiling;
    Budget merged =
        new Budget(
            first(asked.tokens(), base.tokens(), top.tokens()),
            first(asked.costUsd(), base.costUsd(), top.costUsd()),
            first(asked.wallSeconds(), base.wallSeconds(), top.wallSeconds()));
    above(field, "tokens", merged.tokens(), top.tokens());
    above(field, "cost_usd", merged.costUsd(), top.costUsd());
    above(field, "wall_seconds", merged.wallSeconds(), top.wallSeconds());
    return merged;
  }

  private static <T extends Number> void above(String field, String name, T value, T ceiling) {
    if (ceiling == null) {
      return;
    }
    if (value.doubleValue() > ceiling.doubleValue()) {
      throw AgentOsException.invalid(
          field
              + "."
              + name
              + "="
              + value
              + " is above the project's ceiling of "
              + ceiling
              + "; give a value up to it, or ask the operator to raise agentos.budget.ceiling."
              + name.replace('_', '-'));
    }
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}

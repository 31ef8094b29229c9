package dev.agentos.state;

import java.util.EnumMap;
import java.util.Map;

/** Usage per phase and in total, summed durably in state so every replica sees the same sums. */
public record UsageTotals(Usage total, Map<Phase, Usage> phases) {
  public static UsageTotals none() {
    return new UsageTotals(Usage.ZERO, Map.of());
  }

  public UsageTotals add(Phase phase, Usage usage) {
    if (usage == null || usage.equals(Usage.ZERO)) {
      return this;
    }
    Map<Phase, Usage> next = new EnumMap<>(Phase.class);
    if (phases != null) {
      next.putAll(phases);
    }
    next.merge(phase, usage, Usage::plus);
    return new UsageTotals(total == null ? usage : total.plus(usage), Map.copyOf(next));
  }
}

package dev.agentos.state;

import java.util.EnumMap;
import java.util.Map;

/**
 * Usage per phase and in total, summed durably in state so every replica sees the same sums, and
 * the model (or command) each phase's agent answered with last, for accounting per model.
 */
public record UsageTotals(Usage total, Map<Phase, Usage> phases, Map<Phase, String> models) {
  public static UsageTotals none() {
    return new UsageTotals(Usage.ZERO, Map.of(), Map.of());
  }

  public UsageTotals add(Phase phase, Usage usage) {
    return add(phase, usage, null);
  }

  public UsageTotals add(Phase phase, Usage usage, String model) {
    Map<Phase, String> nextModels = new EnumMap<>(Phase.class);
    if (models != null) {
      nextModels.putAll(models);
    }
    if (model != null && !model.isBlank()) {
      nextModels.put(phase, model);
    }
    if (usage == null || usage.equals(Usage.ZERO)) {
      return new UsageTotals(total, phases, Map.copyOf(nextModels));
    }
    Map<Phase, Usage> next = new EnumMap<>(Phase.class);
    if (phases != null) {
      next.putAll(phases);
    }
    next.merge(phase, usage, Usage::plus);
    return new UsageTotals(
        total == null ? usage : total.plus(usage), Map.copyOf(next), Map.copyOf(nextModels));
  }
}

package dev.agentos.agent.cli;

import java.util.List;

/**
 * What a CLI agent's machine-readable output says about its run.
 *
 * @param text the agent's final answer
 * @param sessionId the tool's own session (thread) id, or null when it reports none
 * @param models the tokens per model; input tokens include cache reads and writes
 * @param costUsd the cost the tool reported itself, or null when it reports none (then the price
 *     table prices the tokens)
 * @param turns the number of turns the tool reported, or null
 * @param error the failure the tool reported in its output (a result marked as error), or null
 * @param events what it did along the way, in order
 */
public record CliReport(
    String text,
    String sessionId,
    List<ModelTokens> models,
    Double costUsd,
    Integer turns,
    String error,
    List<CliEvent> events) {

  public CliReport {
    text = text == null ? "" : text;
    models = models == null ? List.of() : List.copyOf(models);
    events = events == null ? List.of() : List.copyOf(events);
  }

  public long tokensIn() {
    return models.stream().mapToLong(ModelTokens::in).sum();
  }

  public long tokensOut() {
    return models.stream().mapToLong(ModelTokens::out).sum();
  }

  /** The model that did most of the work (the most tokens), or null when none was reported. */
  public String mainModel() {
    return models.stream()
        .max(java.util.Comparator.comparingLong(m -> m.in() + m.out()))
        .map(ModelTokens::model)
        .orElse(null);
  }
}

package dev.agentos.agent.channel;

import java.util.List;
import java.util.Optional;

/**
 * What an agent left in its channel when it exited.
 *
 * @param question what it asks a person, if it wrote a readable {@code question.json}
 * @param questionRefused why a {@code question.json} it wrote was refused (too large, not the
 *     documented shape); null when there was none or it was read
 * @param decisions the decisions it recorded, in order, at most {@link ChannelReader#MAX_DECISIONS}
 * @param problems what was wrong with {@code decisions.jsonl} (a bad line, too many, too large):
 *     notes for people, never a reason to fail the step
 */
public record ChannelReport(
    Optional<AgentQuestion> question,
    String questionRefused,
    List<AgentDecision> decisions,
    List<String> problems) {
  public static final ChannelReport EMPTY =
      new ChannelReport(Optional.empty(), null, List.of(), List.of());

  public ChannelReport {
    decisions = List.copyOf(decisions);
    problems = List.copyOf(problems);
  }
}

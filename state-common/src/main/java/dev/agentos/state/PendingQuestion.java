package dev.agentos.state;

import java.time.Instant;

/**
 * The question a cycle in NEEDS_INPUT waits to have answered (schema v1.3): which step's agent
 * asked, what, with what context, and when.
 */
public record PendingQuestion(String stepId, String text, String context, Instant askedAt) {
  /** The most characters a question, its context or an answer keeps; the state stays small. */
  public static final int MAX_CHARS = 4096;

  /** {@code text} cut to {@link #MAX_CHARS}, saying so; null stays null. */
  public static String bounded(String text) {
    if (text == null || text.length() <= MAX_CHARS) {
      return text;
    }
    String cut = " … [cut at " + MAX_CHARS + " characters]";
    return text.substring(0, MAX_CHARS - cut.length()) + cut;
  }
}

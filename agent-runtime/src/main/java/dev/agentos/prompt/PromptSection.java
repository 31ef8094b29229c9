package dev.agentos.prompt;

/**
 * One part of a prompt that fills a {@code {{placeholder}}} of its template. When the prompt is too
 * large, parts of lower {@code priority} are shortened first; {@link #REQUIRED} parts never.
 */
public record PromptSection(String placeholder, String label, String text, int priority) {
  public static final int REQUIRED = Integer.MAX_VALUE;

  public static PromptSection required(String placeholder, String text) {
    return new PromptSection(placeholder, placeholder, text, REQUIRED);
  }
}

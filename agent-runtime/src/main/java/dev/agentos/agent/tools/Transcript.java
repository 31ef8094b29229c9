package dev.agentos.agent.tools;

import dev.langchain4j.agent.tool.ToolExecutionRequest;

/**
 * The record of a tool loop for the object store: each turn's tokens and text, each tool call with
 * its arguments and result, trimmed, so that a person can follow what the model did. Bounded as a
 * whole: past {@link #MAX_CHARS} only the count of what was left out grows.
 */
public final class Transcript {
  static final int MAX_CHARS = 2 << 20;
  static final int ENTRY_CHARS = 2000;

  private final StringBuilder text = new StringBuilder();
  private int leftOut;

  public Transcript prompt(String prompt) {
    return add("== prompt\n" + trim(prompt, 4 * ENTRY_CHARS) + "\n");
  }

  public Transcript turn(int turn, long tokensIn, long tokensOut, String modelText) {
    add("\n== turn " + turn + " (" + tokensIn + " tokens in, " + tokensOut + " out)\n");
    if (modelText != null && !modelText.isBlank()) {
      add("model: " + trim(modelText.strip(), ENTRY_CHARS) + "\n");
    }
    return this;
  }

  public Transcript call(ToolExecutionRequest request, Toolbox.Result result) {
    add(
        "call "
            + request.name()
            + " "
            + trim(String.valueOf(request.arguments()), ENTRY_CHARS)
            + "\n");
    return add(
        (result.error() ? "error: " : "result: ")
            + trim(
                result.text().startsWith("error: ") ? result.text().substring(7) : result.text(),
                ENTRY_CHARS)
            + "\n");
  }

  public Transcript end(String why) {
    return add("\n== " + why + "\n");
  }

  /** Where the transcript ends now, for {@link #since}. */
  public int mark() {
    return text.length();
  }

  /** What was added after {@code mark} (what fitted of it). */
  public String since(int mark) {
    return text.substring(Math.min(mark, text.length()));
  }

  /** The transcript so far, with a note of what did not fit. */
  public String text() {
    return leftOut == 0
        ? text.toString()
        : text + "\n[… " + leftOut + " characters of the transcript left out]\n";
  }

  private Transcript add(String entry) {
    if (text.length() + entry.length() > MAX_CHARS) {
      leftOut += entry.length();
    } else {
      text.append(entry);
    }
    return this;
  }

  public static String trim(String text, int max) {
    return text.length() <= max
        ? text
        : text.substring(0, max) + "[… " + (text.length() - max) + " more characters]";
  }
}

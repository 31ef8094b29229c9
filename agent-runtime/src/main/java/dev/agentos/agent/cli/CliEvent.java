package dev.agentos.agent.cli;

/**
 * One thing a CLI agent reported while it worked: a message, a tool call, a file edit or an error.
 *
 * @param kind what it was
 * @param text a one-line description (the message's text, the tool and its argument, the file)
 */
public record CliEvent(Kind kind, String text) {
  /** The kinds of event, UPPER_CASE on the wire. */
  public enum Kind {
    MESSAGE,
    TOOL_CALL,
    FILE_EDIT,
    ERROR
  }

  public CliEvent {
    text = text == null ? "" : text;
  }
}

package dev.agentos.state;

/** One concrete thing Review wants fixed: what, where, and why. */
public record FeedbackItem(String what, String where, String why) {
  public static FeedbackItem of(String what) {
    return new FeedbackItem(what, null, null);
  }
}

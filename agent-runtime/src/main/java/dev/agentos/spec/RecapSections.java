package dev.agentos.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sections of a recap that Review rewrites after Express wrote it (the criteria, the note of an
 * unverified verdict): each is its heading and the lines up to the next {@code ## } heading.
 */
public final class RecapSections {
  private RecapSections() {}

  /**
   * {@code recap} with the section under {@code heading} replaced by {@code section}; with none,
   * the section is added at the end.
   */
  public static String replace(String recap, String heading, String section) {
    Matcher existing =
        Pattern.compile("(?m)^" + Pattern.quote(heading) + "[ \\t]*\\R(?:(?!^## ).*\\R?)*")
            .matcher(recap);
    if (existing.find()) {
      String tail = recap.substring(existing.end());
      return recap.substring(0, existing.start()) + section + (tail.isEmpty() ? "" : "\n" + tail);
    }
    return recap + (recap.endsWith("\n") ? "\n" : "\n\n") + section;
  }
}

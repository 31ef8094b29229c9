package dev.agentos.cli;

import dev.agentos.state.Usage;
import java.util.Locale;

/** Agent usage as one short phrase: tokens, money and the agents' own time. */
public final class UsageText {
  private UsageText() {}

  public static String of(Usage usage) {
    Usage u = usage == null ? Usage.ZERO : usage;
    return String.format(
        Locale.ROOT,
        "%,d tokens (%,d in / %,d out) | $%.4f | agent time %s",
        u.tokens(),
        u.tokensIn(),
        u.tokensOut(),
        u.costUsd(),
        Elapsed.seconds(u.wallSeconds()));
  }
}

package dev.agentos.testing;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Request bodies for fuzzing the API: what a parser and a validator must turn into clean errors.
 */
public final class RandomBodies {
  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\"cycle_id\"",
    "\"approved\"",
    "\"budget\"",
    "\"workspace\"",
    "\"path\"",
    "null",
    "true",
    "-0",
    "1e999",
    "\"../../etc/passwd\"",
    "\\u0000",
    "\"\\ud800\"",
    " ",
    "\n",
    "\"\u00e9\u4e2d\""
  };

  private RandomBodies() {}

  /** Random bytes, or a soup of JSON tokens (closer to what a parser trips over). */
  public static byte[] next(Random random) {
    if (random.nextBoolean()) {
      byte[] bytes = new byte[1 + random.nextInt(512)];
      random.nextBytes(bytes);
      return bytes;
    }
    StringBuilder soup = new StringBuilder();
    int n = 1 + random.nextInt(24);
    for (int i = 0; i < n; i++) {
      soup.append(TOKENS[random.nextInt(TOKENS.length)]);
    }
    return soup.toString().getBytes(StandardCharsets.UTF_8);
  }
}

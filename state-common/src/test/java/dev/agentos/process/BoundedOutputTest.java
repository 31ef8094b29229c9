package dev.agentos.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

  private static void write(BoundedOutput out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
  }

  @Test
  void keepsEverythingThatFitsInHeadAndTail() {
    BoundedOutput out = new BoundedOutput(new ProcessLimits(4, 4, 100));
    write(out, "abc");
    write(out, "defgh");
    ProcessOutput kept = out.snapshot();
    assertFalse(kept.truncated());
    assertEquals("abcdefgh", kept.text());
    assertEquals(8, kept.totalBytes());
    assertTrue(kept.wholeIsComplete());
  }

  @Test
  void dropsTheMiddleAndSaysHowMuch() {
    BoundedOutput out = new BoundedOutput(new ProcessLimits(3, 4, 5));
    for (int i = 0; i < 100; i++) {
      write(out, "0123456789");
    }
    ProcessOutput kept = out.snapshot();
    assertTrue(kept.truncated());
    assertEquals(1000, kept.totalBytes());
    assertEquals("012", kept.head());
    assertEquals("6789", kept.tail());
    assertEquals("012\n…[993 bytes left out]…\n6789", kept.text());
    assertArrayEquals("01234".getBytes(StandardCharsets.UTF_8), kept.whole());
    assertFalse(kept.wholeIsComplete());
  }

  @Test
  void aChunkLargerThanTheTailKeepsItsLastBytes() {
    BoundedOutput out = new BoundedOutput(new ProcessLimits(2, 3, 0));
    write(out, "ab");
    write(out, "xyz-last-456");
    write(out, "78");
    ProcessOutput kept = out.snapshot();
    assertEquals("ab", kept.head());
    assertEquals("678", kept.tail());
    assertEquals(0, kept.whole().length);
  }

  @Test
  void lastCharsGivesTheEndForErrorMessages() {
    BoundedOutput out = new BoundedOutput(new ProcessLimits(100, 100, 0));
    write(out, "line one\nthe error at the end\n");
    assertEquals("…at the end", out.snapshot().lastChars(10));
  }
}

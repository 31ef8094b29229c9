package dev.agentos.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskRefTest {

  @Test
  void readsBackWhatItWrites() {
    for (String ref : List.of("2", "2.3", "#2", "#2/#3", "2/#1", "1.2/#4/#1")) {
      assertEquals(ref, TaskRef.parse(ref).toString());
    }
    assertEquals(List.of("2", "#3"), TaskRef.parse(" 2/#3 ").path());
  }

  @Test
  void refusesRefsThatNameNoTaskShape() {
    for (String bad : List.of("", "cart", "#0", "2//3", "2/", "#x")) {
      AgentOsException error = assertThrows(AgentOsException.class, () -> TaskRef.parse(bad));
      assertEquals(ErrorCode.INVALID_REQUEST, error.code(), bad);
    }
  }
}

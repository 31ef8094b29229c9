package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.project.ProjectQuotas;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DocumentQuotasTest {
  private final DocumentQuotas quotas = DocumentQuotas.defaults();
  private final List<String> full =
      IntStream.range(0, ProjectQuotas.DEFAULT_INSTRUCTIONS).mapToObj(i -> "i" + i).toList();

  @Test
  void refusesAnInstructionBeyondTheCatalogsCountButLetsOneBeReplaced() {
    AgentOsException refused =
        assertThrows(
            AgentOsException.class, () -> quotas.requireInstructionRoom("new", "# new", full));
    assertEquals(ErrorCode.QUOTA_EXCEEDED, refused.code());
    assertTrue(refused.getMessage().contains("its cap is 50"), refused.getMessage());
    quotas.requireInstructionRoom("i7", "# replaced", full);
  }

  @Test
  void refusesAnInstructionLargerThanTheCap() {
    String large = "x".repeat(ProjectQuotas.DEFAULT_INSTRUCTION_BYTES + 1);
    AgentOsException refused =
        assertThrows(
            AgentOsException.class, () -> quotas.requireInstructionRoom("big", large, List.of()));
    assertEquals(ErrorCode.QUOTA_EXCEEDED, refused.code());
    assertTrue(refused.getMessage().contains("65537 bytes"), refused.getMessage());
  }

  @Test
  void capsTheTeamWideStandardsScopeWithTheDefaults() {
    List<String> stored =
        IntStream.range(0, ProjectQuotas.DEFAULT_STANDARDS).mapToObj(i -> "s" + i).toList();
    AgentOsException refused =
        assertThrows(
            AgentOsException.class,
            () -> quotas.requireStandardRoom("team", "one-more", "text", stored));
    assertTrue(refused.getMessage().contains("scope 'team' holds 100"), refused.getMessage());
  }
}

package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.project.Project;
import dev.agentos.state.Delivery;
import dev.agentos.state.GitRef;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may ask for a fast-forward of the base ref at COMPLETED, and on which refs. */
class FastForwardRulesTest {
  private static final GitRef ON_MAIN =
      new GitRef(
          "https://git.example/team/shop.git", "main", null, null, null, Delivery.FAST_FORWARD);

  @Test
  void anUnregisteredProjectFollowsTheOperatorsDefault() {
    AgentOsException refused =
        assertThrows(
            AgentOsException.class,
            () -> ProjectAdmission.requireFastForward("shop", Optional.empty(), false, ON_MAIN));
    assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
    assertTrue(
        refused.getMessage().contains("agentos.workspace.git.fast-forward-allowed"),
        refused.getMessage());
    assertDoesNotThrow(
        () -> ProjectAdmission.requireFastForward("shop", Optional.empty(), true, ON_MAIN));
  }

  @Test
  void aRegisteredProjectDecidesItselfAndIsNotAllowedByDefault() {
    Project plain = project(null);
    AgentOsException refused =
        assertThrows(
            AgentOsException.class,
            () -> ProjectAdmission.requireFastForward("shop", Optional.of(plain), true, ON_MAIN));
    assertTrue(refused.getMessage().contains("--allow-fast-forward"), refused.getMessage());
    assertDoesNotThrow(
        () ->
            ProjectAdmission.requireFastForward(
                "shop", Optional.of(project(true)), false, ON_MAIN));
  }

  @Test
  void theBaseRefMustNameABranch() {
    for (String ref : new String[] {null, "", "0123456789abcdef0123456789abcdef01234567"}) {
      GitRef git = new GitRef(ON_MAIN.url(), ref, null, null, null, Delivery.FAST_FORWARD);
      AgentOsException refused =
          assertThrows(
              AgentOsException.class,
              () -> ProjectAdmission.requireFastForward("shop", Optional.empty(), true, git),
              String.valueOf(ref));
      assertTrue(refused.getMessage().contains("must name one"), refused.getMessage());
    }
  }

  private static Project project(Boolean allowFastForward) {
    return new Project(
        "shop",
        "teama",
        List.of(),
        List.of("https://git.example/team/"),
        List.of(),
        List.of(),
        null,
        null,
        List.of(),
        null,
        allowFastForward);
  }
}

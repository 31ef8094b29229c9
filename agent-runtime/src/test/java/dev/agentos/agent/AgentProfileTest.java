package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentSettings.Backend;
import dev.agentos.error.AgentOsException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A profile is defined once, used by any role, priced, and limited to some projects. */
class AgentProfileTest {
  private static final PriceTable TABLE = PriceTable.parse("gpt-4.1=2/8");

  private static AgentProfile chat(String model, PriceTable.Price price) {
    return new AgentProfile(
        "gpt",
        AgentSettings.chat("gpt", Backend.OPENAI, model, "http://llm.internal/v1", null),
        List.of("HTTPS_PROXY"),
        price,
        null);
  }

  @Test
  void aRoleUsingAProfileGetsItsSettingsUnderItsOwnRole() {
    AgentProfile claude =
        new AgentProfile(
            "claude",
            AgentSettings.command("claude", List.of("claude", "-p"), null),
            List.of("ANTHROPIC_API_KEY"),
            null,
            Set.of("shop"));

    AgentSettings settings = claude.forRole("executor");

    assertEquals("executor", settings.role());
    assertEquals(List.of("claude", "-p"), settings.command());
    assertEquals(List.of("ANTHROPIC_API_KEY"), claude.environment());
    assertTrue(claude.allows("shop"));
    assertFalse(claude.allows("blog"));
  }

  @Test
  void aProfileWithoutProjectsIsOpenToEveryProject() {
    assertTrue(chat("gpt-4.1", null).allows("anything"));
  }

  @Test
  void costIsCountedWithTheProfilesPriceOrTheTables() {
    assertTrue(chat("gpt-4.1", null).costCounted(TABLE));
    assertFalse(chat("qwen3", null).costCounted(TABLE));
    AgentProfile priced = chat("qwen3", new PriceTable.Price(0.1, 0.2));
    assertTrue(priced.costCounted(TABLE));
    assertEquals(0.3, priced.prices(TABLE).cost("qwen3", 1_000_000, 1_000_000), 1e-9);
    assertEquals(TABLE, chat("gpt-4.1", null).prices(TABLE));
  }

  @Test
  void aProfilesMistakeNamesItsOwnKey() {
    AgentProfile noModel =
        new AgentProfile(
            "gpt", AgentSettings.chat("gpt", Backend.OPENAI, null, null, null), null, null, null);

    AgentOsException e = assertThrows(AgentOsException.class, noModel::validated);

    assertTrue(e.getMessage().contains("agentos.profiles.gpt.model"), e.getMessage());
  }
}

package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.PriceTable.Price;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  @Test
  void costIsPerMillionTokensInAndOut() {
    PriceTable prices = new PriceTable(Map.of("gpt-4.1", new Price(2.0, 8.0)));

    assertEquals(2.0 + 4.0, prices.cost("gpt-4.1", 1_000_000, 500_000), 1e-9);
    assertEquals(0.0, prices.cost("unknown", 1_000_000, 1_000_000));
  }

  @Test
  void parsesTheOneLineFormWithDotsSlashesAndColonsInNames() {
    PriceTable prices = PriceTable.parse("gpt-4.1=2/8, openai/gpt-4o = 2.5/10 ,qwen3:8b=0/0,");

    assertEquals(Optional.of(new Price(2, 8)), prices.price("gpt-4.1"));
    assertEquals(Optional.of(new Price(2.5, 10)), prices.price("openai/gpt-4o"));
    assertEquals(Optional.of(new Price(0, 0)), prices.price("qwen3:8b"));
    assertEquals(PriceTable.EMPTY, PriceTable.parse(" "));
  }

  @Test
  void rejectsEntriesThatAreNotModelEqualsInputSlashOutput() {
    for (String bad : new String[] {"gpt-4.1=2", "=2/8", "gpt=two/8", "gpt=-1/8"}) {
      AgentOsException failure =
          assertThrows(AgentOsException.class, () -> PriceTable.parse(bad), bad);
      assertEquals(ErrorCode.INVALID_REQUEST, failure.code());
      assertTrue(failure.getMessage().contains("USD per million tokens"), failure.getMessage());
    }
  }
}

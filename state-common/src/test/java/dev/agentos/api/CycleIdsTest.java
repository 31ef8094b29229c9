package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A submitted id may not take a chain link's place. */
class CycleIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"abc-l2", "20261129-2210-x-l3", "my-cycle-l10"})
  void idsWithTheLinkSuffixAreReserved(String id) {
    AgentOsException e =
        assertThrows(AgentOsException.class, () -> CycleIds.requireSubmittable(id));

    assertTrue(e.getMessage().contains("reserved for the links of a chain"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"my-cycle-1", "release-l", "abc-lx2", "l2-first", "abc-l2x"})
  void otherValidIdsMayBeChosen(String id) {
    assertEquals(id, CycleIds.requireSubmittable(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"20261129-2210-x", "20261129-2210-x-l2", "t-0a1b2c"})
  void aLinkIdIsOneTheSubmitRuleReserves(String parent) {
    String link = Submissions.linkId(parent);

    assertThrows(AgentOsException.class, () -> CycleIds.requireSubmittable(link), link);
  }
}

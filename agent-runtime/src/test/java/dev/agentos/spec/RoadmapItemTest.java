package dev.agentos.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RoadmapItemTest {

  // Mirrors an Agent OS product roadmap: phases of checkbox items with size markers.
  private static final String ROADMAP =
      "# Product Roadmap\r\n\r\n## Phase 1: Core\r\n\r\n"
          + "- [x] User accounts - sign up and log in `S`\r\n"
          + "- [ ] Shopping cart - keep items between visits `M`\r\n"
          + "- [ ] Order history - past orders per customer `M`";

  @Test
  void ticksTheOneItemNamingEveryWordOfTheSpecKeepingTheFileAsItWas() {
    RoadmapItem result = RoadmapItem.tick(ROADMAP, "2026-03-02-shopping-cart");

    assertEquals(ROADMAP.replace("- [ ] Shopping cart", "- [x] Shopping cart"), result.text());
    assertEquals(
        "roadmap item ticked: Shopping cart - keep items between visits `M`", result.note());
    assertEquals(
        ROADMAP.replace("- [ ] Order history", "- [x] Order history"),
        RoadmapItem.tick(ROADMAP, "004-order-history").text(),
        "a Spec Kit number is not a word of the name");
  }

  @Test
  void ticksNothingWhenNoneOrSeveralItemsMatch() {
    RoadmapItem none = RoadmapItem.tick(ROADMAP, "2026-03-02-wishlist");
    RoadmapItem several = RoadmapItem.tick(ROADMAP, "2026-03-02-m");

    assertEquals(ROADMAP, none.text());
    assertEquals(
        "roadmap not ticked: no open item names all of \"wishlist\"; tick the right one by hand",
        none.note());
    assertEquals(ROADMAP, several.text());
    assertEquals(
        "roadmap not ticked: 2 open items name all of \"m\"; tick the right one by hand",
        several.note());
    assertEquals(
        "roadmap item already ticked: User accounts - sign up and log in `S`",
        RoadmapItem.tick(ROADMAP, "2026-01-10-user-accounts").note());
  }
}

package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import dev.agentos.nats.Events;
import dev.agentos.nats.Handoff;
import dev.agentos.nats.Topology;
import dev.agentos.nats.TopologySettings;
import dev.agentos.state.Budget;
import dev.agentos.state.CycleFixtures;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Extra;
import dev.agentos.state.Status;
import dev.agentos.state.Workspace;
import dev.agentos.testing.TestNats;
import dev.agentos.workspace.WorkspacePaths;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The next link of a chain starts once; a link whose id another cycle holds fails loudly. */
class ChainLinkIT {
  private static TestNats nats;
  private static Connection nc;
  private static CycleStore store;
  private static Submissions submissions;

  @TempDir Path workspace;

  @BeforeAll
  static void start() throws Exception {
    nats = TestNats.start();
    nc = nats.connect();
    Topology.ensure(
        nc, new TopologySettings(1, Duration.ofSeconds(30), 5, 100, Duration.ofHours(1)));
    store = CycleStore.open(nc);
    submissions =
        new Submissions(
            store,
            Handoff.unrestricted(nc),
            new Events(nc, Clock.systemUTC()),
            WorkspacePaths.unconfined(),
            Budget.unlimited(),
            InstructionRules.EXECUTE_TASKS_ONLY,
            OperatorRules.NONE,
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    if (nc != null) {
      nc.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  private CycleState completedParent(String id) {
    CycleOptions then =
        new CycleOptions(
            1, null, null, null, null, null, List.of("execute-tasks"), null, Extra.none());
    CycleState parent =
        CycleFixtures.inStatus(Status.COMPLETED).toBuilder()
            .cycleId(id)
            .goal("a cart")
            .spec(null)
            .workspace(Workspace.atPath(workspace.toString()))
            .options(then)
            .build();
    store.create(parent);
    return parent;
  }

  @Test
  void theNextLinkStartsOnceWhateverCallsForIt() {
    CycleState parent = completedParent("chain-free");

    CycleState link = submissions.startNextLink(parent).orElseThrow();

    assertEquals("chain-free-l2", link.cycleId());
    assertEquals("chain-free", store.require("chain-free-l2").parentCycleId());
    assertTrue(submissions.startNextLink(parent).isEmpty(), "a second call starts nothing");
    assertNull(store.require("chain-free").error(), "the parent has no error");
  }

  @Test
  void aLinkWhoseIdAnotherCycleHoldsMarksTheParentAndSaysSo() throws Exception {
    CycleState squatter = CycleFixtures.queued("chain-held-l2", CycleOptions.defaults());
    store.create(squatter);
    CycleState parent = completedParent("chain-held");
    Subscription rejected = nc.subscribe(Topology.eventSubject("chain-held", "rejected"));
    nc.flush(Duration.ofSeconds(5));

    assertTrue(submissions.startNextLink(parent).isEmpty());

    CycleState marked = store.require("chain-held");
    assertEquals(Status.COMPLETED, marked.status(), "the parent's own work stands");
    assertNotNull(marked.error(), "the parent says its chain stopped");
    assertEquals(ErrorCode.CONFLICT, marked.error().code());
    assertTrue(marked.error().message().contains("chain-held-l2"), marked.error().message());
    Message event = rejected.nextMessage(Duration.ofSeconds(10));
    assertNotNull(event, "a rejected event on the parent");
    assertTrue(
        Json.tree(event.getData()).path("message").asText().contains("held by another cycle"));
    CycleState other = store.require("chain-held-l2");
    assertNull(other.parentCycleId(), "the other cycle is left alone");
    assertEquals(squatter.status(), other.status());

    submissions.startNextLink(marked);
    assertEquals(marked.error(), store.require("chain-held").error(), "marked once");
  }
}

package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.nats.Topology;
import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.state.Iteration;
import dev.agentos.state.PlanStep;
import dev.agentos.state.Status;
import dev.agentos.state.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One cycle per spec-driven layout, through nats-server and the four services: Agent OS v1, v2, v3
 * and GitHub Spec Kit, each to COMPLETED with the right boxes ticked (in the file's own way), its
 * standards in the agent's prompt and its criteria in the review, judged by a stand-in review agent
 * and listed with their verdicts in the recap; and create-spec writing a new spec folder in the
 * workspace's own layout. The workspaces are written here, each mirroring its layout with the
 * oddities real files have.
 */
class SpecLayoutsIT {
  private static Cluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster =
        Cluster.start(
            Map.of(
                "agentos.agents.executor.command",
                "bash " + Cluster.agentScript("prompt-keeping-agent.sh"),
                "agentos.agents.review.command",
                "bash " + Cluster.agentScript("criteria-review-agent.sh")));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void completesAnAgentOsV1Spec() throws Exception {
    String spec = ".agent-os/specs/2026-03-02-cart";
    String tasks =
        """
        # Spec Tasks

        ## Tasks

        - [X] 1. **Cart model**
          - [x] 1.1 Write tests for the cart

        - [ ] 2. **Totals**
            - [ ] 2.1 Sum the line items
              ```java
              Money total = Money.ZERO;
              ```
            - [ ] 2.2 Verify all tests pass

        ## Success Metrics
        - [ ] Checkout takes under 2 seconds
        - [ ] MET-BY-REVIEW Totals are exact
        """;
    Path workspace =
        Workspaces.withFiles(
            Map.of(
                spec + "/spec.md",
                "# Cart\n",
                spec + "/tasks.md",
                tasks,
                ".agent-os/standards/code-style/java-style.md",
                "V1-SUBFOLDER-STANDARD\n"));

    Iteration done = run(workspace, spec);

    assertEquals(List.of("2. Totals"), titles(done));
    assertEquals(
        tasks
            .replace("- [ ] 2. **Totals**", "- [x] 2. **Totals**")
            .replace("- [ ] 2.1", "- [x] 2.1")
            .replace("- [ ] 2.2", "- [x] 2.2"),
        read(workspace, spec + "/tasks.md"));
    assertTrue(prompt(workspace, "1").contains("V1-SUBFOLDER-STANDARD"), "sub-folder standard");
    assertTrue(prompt(workspace, "1").contains("Money total = Money.ZERO;"), "code in the step");
    assertTrue(
        criteria(done)
            .detail()
            .contains(
                "1 met, 0 not met, 1 need a person: needs a person (review agent: stand-in"
                    + " review): Checkout takes under 2 seconds [Success Metrics]; met (review"
                    + " agent: stand-in review): MET-BY-REVIEW Totals are exact [Success Metrics]"),
        criteria(done).detail());
    String recap = read(workspace, done.express().recapPath());
    assertEquals(".agent-os/recaps/2026-03-02-cart.md", done.express().recapPath());
    assertTrue(
        recap.contains(
            "- 🧑 needs a person: Checkout takes under 2 seconds (Success Metrics; review agent:"
                + " stand-in review)\n- ✅ met: MET-BY-REVIEW Totals are exact"),
        recap);
  }

  @Test
  void completesAnAgentOsV2SpecInDependencyOrderKeepingCrlfAndNoFinalNewline() throws Exception {
    String spec = "agent-os/specs/2026-05-04-order-history";
    String tasks =
        String.join(
            "\r\n",
            "# Task Breakdown: Order History",
            "",
            "## Task List",
            "",
            "### Task Group 1: History Page",
            "**Dependencies:** Task Group 2 (the page calls the endpoint)",
            "",
            "- [ ] 1.0 Complete the history page",
            "  - [ ] 1.1 Build the OrderList component",
            "",
            "**Acceptance Criteria:**",
            "- Orders are listed newest first",
            "",
            "#### Task Group 2: History Endpoint",
            "**Dependencies:** None",
            "",
            "- [ ] 2.0 Complete the endpoint",
            "  - [ ] 2.1 Write the endpoint tests",
            "  - [ ] 2.1b Test an empty history",
            "",
            "## Quality Gates",
            "- [ ] No lint warnings");
    Path workspace =
        Workspaces.withFiles(
            Map.of(
                spec + "/planning/requirements.md",
                "Customers see their past orders.\n",
                spec + "/tasks.md",
                tasks,
                "agent-os/standards/backend/api.md",
                "V2-AREA-STANDARD\n"));

    Iteration done = run(workspace, spec);

    assertEquals(List.of("2. History Endpoint", "1. History Page"), titles(done));
    assertEquals(
        List.of(List.of(), List.of("1")),
        done.plan().steps().stream().map(PlanStep::dependsOn).toList());
    assertEquals(
        tasks
            .replace("- [ ] 1.", "- [x] 1.")
            .replace("- [ ] 2.", "- [x] 2.")
            .replace("  - [ ] 1.1", "  - [x] 1.1"),
        read(workspace, spec + "/tasks.md"));
    assertTrue(prompt(workspace, "1").contains("V2-AREA-STANDARD"), "area standard");
    assertTrue(
        done.plan().notes().get(0).startsWith("layout: Agent OS v2"), done.plan().toString());
    assertTrue(criteria(done).detail().contains("No lint warnings"), done.toString());
    assertEquals(spec + "/implementation/recap.md", done.express().recapPath());
    assertTrue(read(workspace, done.express().recapPath()).contains("No lint warnings"));
  }

  @Test
  void completesAnAgentOsV3PlanWithoutEditingIt() throws Exception {
    String spec = "agent-os/specs/2026-05-04-1030-export";
    String plan =
        """
        # Export Plan

        ## Task 1: CSV writer

        - Write OrderCsv

        ## Task 2: Export endpoint

        - Add GET /orders/export.csv

        ## Success Criteria
        - [ ] Exports open in a spreadsheet
        """;
    Path workspace =
        Workspaces.withFiles(
            Map.of(
                "agent-os/standards/index.yml",
                "api:\n  response:\nglobal:\n  other:\n",
                "agent-os/standards/api/response.md",
                "V3-SELECTED\n",
                "agent-os/standards/global/other.md",
                "V3-NOT-SELECTED\n",
                spec + "/shape.md",
                "# Shape\n",
                spec + "/standards.md",
                "## api/response\n",
                spec + "/plan.md",
                plan));

    Iteration done = run(workspace, spec);

    assertEquals(List.of("1. CSV writer", "2. Export endpoint"), titles(done));
    assertEquals(plan, read(workspace, spec + "/plan.md"), "plan.md is never edited");
    assertTrue(prompt(workspace, "2").contains("V3-SELECTED"), "selected standard");
    assertFalse(prompt(workspace, "2").contains("V3-NOT-SELECTED"), "unselected standard");
    assertTrue(
        done.plan().notes().stream().anyMatch(n -> n.startsWith("plan.md has no checkboxes")),
        done.plan().toString());
    assertTrue(
        criteria(done)
            .detail()
            .contains(
                "needs a person (review agent: stand-in review):"
                    + " Exports open in a spreadsheet"),
        criteria(done).detail());
    assertEquals(spec + "/recap.md", done.express().recapPath());
  }

  @Test
  void completesASpecKitFeatureTickingInUpperCase() throws Exception {
    String spec = "specs/007-playlists";
    String tasks =
        """
        # Tasks: Playlists

        ## Phase 1: Setup

        - [X] T001 Scaffold the playlists package

        ## Phase 2: Foundational

        - [ ] T002 Define the Playlist entity in app/playlist.go
        - [ ] T003 [P] Wire the SQLite store in app/store.go

        **Checkpoint**: Playlists can be stored

        ## Phase 3: User Story 1 - Build a playlist (Priority: P1) 🎯 MVP

        - [ ] T004 [P] [US1] Handler test in app/playlist_test.go
        - [ ] T005 [US1] SKIP: the CLI flag waits for US2
        """;
    Path workspace =
        Workspaces.withFiles(
            Map.of(
                ".specify/memory/constitution.md",
                "SPEC-KIT-CONSTITUTION\n",
                spec + "/spec.md",
                "# Playlists\n",
                spec + "/tasks.md",
                tasks,
                spec + "/checklists/ux.md",
                "- [ ] CHK001 Are empty states described?\n"));

    Iteration done = run(workspace, spec);

    assertEquals(3, done.plan().steps().size(), done.plan().toString());
    assertEquals(
        tasks
            .replace("- [ ] T002", "- [X] T002")
            .replace("- [ ] T003", "- [X] T003")
            .replace("- [ ] T004", "- [X] T004"),
        read(workspace, spec + "/tasks.md"));
    assertTrue(prompt(workspace, "1").contains("SPEC-KIT-CONSTITUTION"), "the constitution");
    assertTrue(criteria(done).detail().contains("CHK001"), done.toString());
    assertEquals(spec + "/recap.md", done.express().recapPath());
  }

  @Test
  void createSpecWritesAnAgentOsV2SpecFolderInAV2Workspace() throws Exception {
    Path workspace =
        Workspaces.withFiles(Map.of("agent-os/standards/global/naming.md", "Name things.\n"));

    CycleState state = create(workspace, "shape-spec", "Export order history");

    assertTrue(
        state.spec().matches("agent-os/specs/\\d{4}-\\d{2}-\\d{2}-export-order-history"),
        state.spec());
    for (String file : List.of("planning/requirements.md", "spec.md", "tasks.md")) {
      assertTrue(Files.isRegularFile(workspace.resolve(state.spec()).resolve(file)), file);
    }
    assertEquals(
        List.of("Write the requirements", "Write the spec", "Write the tasks"),
        titles(state.currentIteration()));
    assertFalse(Files.exists(workspace.resolve(".agent-os")), "nothing written in v1's place");
    assertEquals(
        state.spec() + "/implementation/recap-create-spec.md",
        state.currentIteration().express().recapPath());
  }

  @Test
  void createSpecWritesTheNextSpecKitFeatureInASpecKitWorkspace() throws Exception {
    Path workspace =
        Workspaces.withFiles(
            Map.of(
                ".specify/memory/constitution.md",
                "Test first.\n",
                "specs/004-albums/spec.md",
                "# Albums\n"));

    CycleState state = create(workspace, "specify", "Share playlists");

    assertEquals("specs/005-share-playlists", state.spec());
    for (String file : List.of("spec.md", "plan.md", "tasks.md")) {
      assertTrue(Files.isRegularFile(workspace.resolve(state.spec()).resolve(file)), file);
    }
    assertTrue(prompt(workspace, "3").contains("- [ ] T001 [P] [US1]"), "the Spec Kit task format");
    assertEquals(
        "specs/005-share-playlists/recap-create-spec.md",
        state.currentIteration().express().recapPath());
  }

  private static CycleState create(Path workspace, String instruction, String goal)
      throws Exception {
    String body =
        "{\"project\":\"shop\",\"instruction\":\""
            + instruction
            + "\",\"goal\":\""
            + goal
            + "\",\"workspace\":{\"path\":\""
            + workspace
            + "\"}}";
    String cycleId =
        cluster.requestJson(Topology.apiSubject("submit"), body).path("cycle_id").asText();
    CycleState state = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(90));
    assertEquals(Verdict.PASS, state.currentIteration().review().verdict(), state.toString());
    return state;
  }

  private static Iteration run(Path workspace, String spec) throws Exception {
    String body =
        "{\"project\":\"shop\",\"instruction\":\"execute-tasks\",\"workspace\":{\"path\":\""
            + workspace
            + "\"},\"spec\":\""
            + spec
            + "\"}";
    String cycleId =
        cluster.requestJson(Topology.apiSubject("submit"), body).path("cycle_id").asText();
    CycleState state = cluster.awaitStatus(cycleId, Status.COMPLETED, Duration.ofSeconds(90));
    Iteration done = state.currentIteration();
    assertEquals(Verdict.PASS, done.review().verdict(), done.review().toString());
    return done;
  }

  private static List<String> titles(Iteration iteration) {
    return iteration.plan().steps().stream().map(PlanStep::title).toList();
  }

  private static Check criteria(Iteration iteration) {
    return iteration.review().checks().stream()
        .filter(c -> c.name().equals("spec criteria"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no criteria check: " + iteration.review()));
  }

  private static String read(Path workspace, String file) throws IOException {
    return Files.readString(workspace.resolve(file));
  }

  private static String prompt(Path workspace, String step) throws IOException {
    return read(workspace, ".agent-prompts/step-" + step + ".txt");
  }
}

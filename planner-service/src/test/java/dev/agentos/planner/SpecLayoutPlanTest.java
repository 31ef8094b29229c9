package dev.agentos.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.RoleAgent;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.state.CycleState;
import dev.agentos.state.Execution;
import dev.agentos.state.FeedbackItem;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepRecord;
import dev.agentos.state.StepStatus;
import dev.agentos.state.Workspace;
import dev.agentos.worker.DetachedPhaseContext;
import dev.agentos.worker.PhaseOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning a spec of each layout: which steps, in which order, waiting for what, with what notes.
 */
class SpecLayoutPlanTest {

  @TempDir Path workspace;

  // Mirrors an Agent OS v2 tasks.md whose groups are listed out of order.
  private static final String V2_TASKS =
      """
      # Task Breakdown: Order History

      ## Task List

      ### Frontend

      #### Task Group 1: History Page
      **Dependencies:** Task Group 2 (the page calls the endpoint)

      - [ ] 1.0 Complete the history page
        - [ ] 1.1 Build the OrderList component

      **Acceptance Criteria:**
      - Orders are listed newest first

      ### API

      #### Task Group 2: History Endpoint
      **Dependencies:** None

      - [ ] 2.0 Complete the endpoint
        - [x] 2.1 Write the endpoint tests
        - [ ] 2.2 Add GET /orders/history

      ## Success Metrics
      - [ ] Page loads in under a second
      """;

  // Mirrors an Agent OS v3 plan.md.
  private static final String V3_PLAN =
      """
      # Export Plan

      ## Task 1: Save spec documentation

      Create the spec folder with plan.md, shape.md and standards.md.

      ## Task 2: CSV writer

      - Write OrderCsv
      ```java
      String row = OrderCsv.row(order);
      ```

      ## Task 3: Export endpoint

      - Add GET /orders/export.csv
      """;

  // Mirrors a GitHub Spec Kit tasks.md.
  private static final String SPEC_KIT_TASKS =
      """
      # Tasks: Albums

      ## Phase 1: Setup

      - [X] T001 Create the project structure

      ## Phase 2: Foundational

      - [ ] T002 Create the Album model in src/models/album.py
      - [ ] T003 [P] Add the storage adapter in src/storage/local.py

      **Checkpoint**: Foundation ready

      ## Phase 3: User Story 1 - Create an album (Priority: P1)

      - [ ] T004 [P] [US1] Contract test in tests/contract/test_albums.py
      - [ ] T005 [US1] SKIP: covered by T004
      """;

  @Test
  void plansV2TaskGroupsAfterTheGroupsTheyDependOn() throws IOException {
    String spec = "agent-os/specs/2026-05-04-order-history";
    write(spec + "/tasks.md", V2_TASKS);
    Files.createDirectories(workspace.resolve(spec + "/planning"));

    Plan plan = plan(cycle(spec).build());

    assertEquals(
        List.of("2. History Endpoint", "1. History Page"),
        plan.steps().stream().map(PlanStep::title).toList());
    assertEquals(List.of("2", "1"), plan.steps().stream().map(PlanStep::taskRef).toList());
    assertEquals(List.of(), plan.steps().get(0).dependsOn());
    assertEquals(List.of("1"), plan.steps().get(1).dependsOn());
    assertEquals(
        "**Dependencies:** None\n\n"
            + "- [ ] 2.0 Complete the endpoint\n"
            + "  - [ ] 2.2 Add GET /orders/history",
        plan.steps().get(0).detail());
    assertTrue(
        plan.steps()
            .get(1)
            .detail()
            .endsWith("**Acceptance Criteria:**\n- Orders are listed newest first"),
        plan.steps().get(1).detail());
    assertEquals(
        "layout: Agent OS v2 (it is under agent-os/ and has planning/); spec folder "
            + spec
            + " as the cycle's spec, tasks from its tasks.md",
        plan.notes().get(0));
    assertTrue(
        plan.notes()
            .contains(
                "steps are listed in the order their dependencies allow, not in file order: 2, 1"),
        plan.notes().toString());
  }

  @Test
  void plansV3PlanSectionsAndKeepsTheirProgressInTheState() throws IOException {
    String spec = "agent-os/specs/2026-05-04-1030-export";
    write("agent-os/standards/index.yml", "global:\n  coding-style:\n    description: Style\n");
    write(spec + "/plan.md", V3_PLAN);

    Plan first = plan(cycle(spec).build());

    assertEquals("plan.md", first.source());
    assertEquals(
        List.of("2. CSV writer", "3. Export endpoint"),
        first.steps().stream().map(PlanStep::title).toList(),
        "v3's first task saves the very folder being read");
    assertTrue(
        first
            .notes()
            .contains(
                "task 1 \"Save spec documentation\" is done: the spec folder it saves is the one"
                    + " being read"),
        first.notes().toString());
    assertEquals(
        "- Write OrderCsv\n```java\nString row = OrderCsv.row(order);\n```",
        first.steps().get(0).detail());
    assertTrue(
        first.notes().get(0).startsWith("layout: Agent OS v3 (it is under agent-os/ and holds"),
        first.notes().toString());
    assertTrue(
        first
            .notes()
            .contains(
                "plan.md has no checkboxes: progress is kept in the cycle state (1 already done)"
                    + " and the file is not edited"),
        first.notes().toString());

    Instant at = Instant.parse("2026-05-04T10:30:00Z");
    Iteration done =
        Iteration.first()
            .withPlan(first)
            .withExecution(
                Execution.empty()
                    .with(
                        StepRecord.started("1", 1, at)
                            .finished(
                                StepStatus.COMPLETED, at.plusSeconds(5), "saved", null, null)));
    CycleState second =
        cycle(spec)
            .iteration(2)
            .iterations(List.of(done, Iteration.next(2, List.of(FeedbackItem.of("Quote commas")))))
            .build();

    Plan again = plan(second);

    assertEquals(List.of("3"), again.steps().stream().map(PlanStep::taskRef).toList());
    assertTrue(again.steps().get(0).detail().contains("- Quote commas"), again.toString());
  }

  // Mirrors a tasks.md from a public project written as "### 1. Title" sections without a box.
  @Test
  void aTasksMdWithoutBoxesKeepsItsProgressInTheStateToo() throws IOException {
    String spec = "agent-os/specs/2026-03-02-bulk-dates";
    write(
        spec + "/tasks.md",
        "## Tasks\n\n### 1. Endpoint\n\n1.1. Write tests\n- Cover an empty board\n\n"
            + "### 2. Dialog\n\n2.1. Build it\n");
    Plan first = plan(cycle(spec).build());
    assertEquals(List.of("1", "2"), first.steps().stream().map(PlanStep::taskRef).toList());
    Instant at = Instant.parse("2026-05-04T10:30:00Z");
    Iteration done =
        Iteration.first()
            .withPlan(first)
            .withExecution(
                Execution.empty()
                    .with(
                        StepRecord.started("1", 1, at)
                            .finished(StepStatus.COMPLETED, at.plusSeconds(5), "ok", null, null)));

    Plan again =
        plan(
            cycle(spec)
                .iteration(2)
                .iterations(List.of(done, Iteration.next(2, List.of(FeedbackItem.of("x")))))
                .build());

    assertEquals(List.of("2"), again.steps().stream().map(PlanStep::taskRef).toList());
  }

  @Test
  void plansSpecKitTLinesByPhaseWithoutSkippedTasks() throws IOException {
    String spec = "specs/003-albums";
    write(".specify/memory/constitution.md", "# Constitution\n");
    write(spec + "/tasks.md", SPEC_KIT_TASKS);
    write(spec + "/plan.md", "# Implementation Plan\n");

    Plan plan = plan(cycle(spec).build());

    assertEquals(
        List.of(
            "T002 Create the Album model in src/models/album.py",
            "T003 [P] Add the storage adapter in src/storage/local.py",
            "T004 [P] [US1] Contract test in tests/contract/test_albums.py"),
        plan.steps().stream().map(PlanStep::title).toList());
    assertEquals(
        List.of(List.of(), List.of("1"), List.of("1", "2")),
        plan.steps().stream().map(PlanStep::dependsOn).toList());
    assertEquals("(Phase 2: Foundational)", plan.steps().get(0).detail());
    assertTrue(
        plan.notes().get(0).startsWith("layout: GitHub Spec Kit (its folder is named NNN-feature"),
        plan.notes().toString());
  }

  private Plan plan(CycleState state) {
    PlannerPhase planner =
        new PlannerPhase(
            new RoleAgent(
                Phase.PLAN,
                s -> Optional.empty(),
                project -> Knowledge.NONE,
                Duration.ofSeconds(5),
                RoleAgent.DEFAULT_MAX_PROMPT_CHARS));
    PhaseOutcome outcome = planner.run(new DetachedPhaseContext(state, workspace));
    return assertInstanceOf(PhaseOutcome.Planned.class, outcome).plan();
  }

  private CycleState.Builder cycle(String spec) {
    return new CycleState.Builder()
        .cycleId("c-1")
        .project("shop")
        .workspace(Workspace.atPath(workspace.toString()))
        .spec(spec);
  }

  private void write(String relative, String text) throws IOException {
    Path file = workspace.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}

package dev.agentos.spec;

import static dev.agentos.spec.TasksFileTest.labels;
import static dev.agentos.spec.TasksFileTest.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The task files of each layout teams use, with the oddities real ones show. The fixtures in {@code
 * src/test/resources/formats/} are written for these tests and mirror, in turn, an Agent OS v1
 * tasks.md, an Agent OS v2 tasks.md (task groups), an Agent OS v3 plan.md and a GitHub Spec Kit
 * tasks.md; and the oddities found in public projects' files: a tasks.md of "### 1. Title" sections
 * without a box, a v3 plan.md with boxes in its task headings, Spec Kit's "[P]" notes and a
 * "Quality Assurance Checklist".
 */
class TaskFormatsTest {

  static String fixture(String name) {
    try (InputStream in = TaskFormatsTest.class.getResourceAsStream("/formats/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> criteria(TasksFile file) {
    return file.ignoredCriteria().stream().map(Criterion::text).toList();
  }

  // --- Agent OS v1 ---

  @Test
  void v1StepBlockCarriesBulletsAndCodeButNotTheDoneSubTasks() {
    TasksFile file = TasksFile.parse(fixture("v1-tasks.md"));

    assertEquals(List.of("2", "3"), labels(file.unfinished()));
    assertEquals(
        "- [ ] 2.2 Sum the line items\n"
            + "  - rounds half-even, per line\n"
            + "  ```java\n"
            + "  Money total = lines.stream().map(Line::amount).reduce(Money.ZERO, Money::plus);\n"
            + "  ```\n"
            + "- [ ] 2.3 Verify all tests pass",
        file.block(TaskRef.number("2")));
    assertEquals(
        List.of("keeps items in insertion order", "uses the Money type"),
        task(file, "1.2").notes());
  }

  @Test
  void v1ReadsMixedTickCasesSubTasksAtFourSpacesAndTitleDependencies() {
    TasksFile file = TasksFile.parse(fixture("v1-tasks.md"));

    assertTrue(task(file, "1").done());
    assertEquals(List.of("3.1", "3.2"), labels(task(file, "3").subTasks()));
    assertEquals(List.of("1"), task(file, "2").marks().dependsOn());
    assertEquals("Totals", task(file, "2").title().replaceAll(" \\(.*", ""));
    assertTrue(
        file.issues().stream().anyMatch(i -> i.contains("task 3 \"Checkout page\" is ticked")),
        file.issues().toString());
  }

  @Test
  void v1CriteriaUnderACjkHeadingAndAtTheMarginAfterTheTasksAreNotSteps() {
    TasksFile file = TasksFile.parse(fixture("v1-tasks.md"));

    assertEquals(List.of("1", "2", "3"), labels(file.tasks()));
    assertEquals(
        List.of("购物车总额正确", "所有测试通过", "Checkout takes under 2 seconds", "Cart abandonment drops"),
        criteria(file));
    assertEquals("验收标准", file.ignoredCriteria().get(0).section());
    assertEquals("", file.ignoredCriteria().get(0).task());
    assertEquals(Checkbox.NONE, file.ignoredCriteria().get(3).checkbox());
  }

  // --- Agent OS v2 ---

  @Test
  void v2TaskGroupsUnderH3AndH4HeadingsAreTheTopLevelTasks() {
    TasksFile file = TasksFile.parse(fixture("v2-tasks.md"));

    assertEquals(List.of("1", "2", "3", "4"), labels(file.tasks()));
    assertEquals("Order History Endpoint", task(file, "2").title());
    assertEquals(List.of("2.0"), labels(task(file, "2").subTasks()));
    assertEquals(List.of("2.1", "2.1b", "2.2", "2.3"), labels(task(file, "2.0").subTasks()));
    assertTrue(task(file, "1").done());
    // 3.0 is ticked over open sub-tasks: the sub-tasks win, and it is reported.
    assertEquals(List.of("2", "3", "4"), labels(file.unfinished()));
    assertTrue(
        file.issues().stream().anyMatch(i -> i.contains("3.0") && i.contains("is ticked")),
        file.issues().toString());
  }

  @Test
  void v2DependenciesWithReasonsAndRangesAndTheExecutionOrderAreRead() {
    TasksFile file = TasksFile.parse(fixture("v2-tasks.md"));

    assertEquals(List.of(), task(file, "1").marks().dependsOn());
    assertEquals(List.of("1"), task(file, "2").marks().dependsOn());
    assertEquals(List.of("1", "2"), task(file, "3").marks().dependsOn());
    assertEquals(List.of("1", "2", "3"), task(file, "4").marks().dependsOn());
    assertEquals(List.of("1", "2", "3", "4"), file.executionOrder());
    assertFalse(
        file.issues().stream().anyMatch(i -> i.contains("numbered item")),
        file.issues().toString());
  }

  @Test
  void v2GroupBlockHoldsDependenciesCodeAndItsAcceptanceCriteria() {
    TasksFile file = TasksFile.parse(fixture("v2-tasks.md"));

    String block = file.block(TaskRef.number("2"));

    assertTrue(block.startsWith("**Dependencies:** Task Group 1 (the endpoint"), block);
    assertTrue(block.contains("    GET /orders/history?page=2\n"), block);
    assertTrue(block.contains("  - [ ] 2.1b Add a test for an empty history"), block);
    assertTrue(
        block.endsWith("- The endpoint pages by 20\n- An empty history returns `[]`"), block);
    assertFalse(block.contains("Task Group 3"), block);
  }

  @Test
  void v2AcceptanceCriteriaBelongToTheirGroupAndQualityGatesToTheSpec() {
    TasksFile file = TasksFile.parse(fixture("v2-tasks.md"));

    List<Criterion> all = file.ignoredCriteria();
    assertEquals(
        List.of(
            "The tests written in 1.1 pass",
            "Migrations run forward and back",
            "The endpoint pages by 20",
            "An empty history returns `[]`",
            "The page lists orders newest first",
            "No lint warnings",
            "Coverage does not drop"),
        criteria(file));
    assertEquals(
        List.of("1", "1", "2", "2", "3", "", ""), all.stream().map(Criterion::task).toList());
  }

  @Test
  void v2TicksTheParentWhenItsLastSubTaskIsTickedInACrlfFileWithoutFinalNewline() {
    String text = fixture("v2-tasks.md").replace("\n", "\r\n").stripTrailing();
    String result = text;
    for (String sub : List.of("2.1", "2.1b", "2.2", "2.3")) {
      result = TasksFile.tickWithParents(result, TaskRef.number(sub));
    }

    String expected =
        text.replace("- [ ] 2.0", "- [x] 2.0")
            .replace("- [ ] 2.1 ", "- [x] 2.1 ")
            .replace("- [ ] 2.1b", "- [x] 2.1b")
            .replace("- [ ] 2.2", "- [x] 2.2")
            .replace("- [ ] 2.3", "- [x] 2.3");
    assertEquals(expected, result);
    assertFalse(result.endsWith("\n"));
    assertEquals(text.split("\r\n", -1).length, result.split("\r\n", -1).length);
  }

  // --- Agent OS v3 ---

  @Test
  void v3PlanSectionsAreTasksWithoutBoxesAndWithoutComplaints() {
    TasksFile file = TasksFile.parsePlan(fixture("v3-plan.md"));

    assertEquals(List.of("1", "2", "3"), labels(file.unfinished()));
    assertEquals("CSV writer", task(file, "2").title());
    assertFalse(file.hasCheckboxes());
    assertEquals(List.of(), file.issues());
    assertEquals(
        "- Write `OrderCsv` that turns orders into rows\n"
            + "- Quote fields that hold commas\n"
            + "\n"
            + "```java\n"
            + "String row = OrderCsv.row(order);\n"
            + "```",
        file.block(TaskRef.number("2")));
  }

  @Test
  void v3PlanWithBoxesInItsTaskHeadingsIsTickedInTheHeadingAndItsChecklistIsCriteria() {
    String text = fixture("v3-plan-heading-boxes.md");
    TasksFile file = TasksFile.parsePlan(text);

    assertEquals(List.of("2", "3"), labels(file.unfinished()));
    assertTrue(file.hasCheckboxes(), "its progress is in the file");
    assertEquals(List.of("All tests pass", "No unused imports"), criteria(file));
    assertEquals(
        List.of(
            "line 19: ignored 2 checkboxes under \"Pre-Commit Checklist\" (lines 20-21): criteria"
                + " to verify, not tasks"),
        file.issues());
    assertEquals(
        text.replace("### [ ] Task 2:", "### [x] Task 2:"),
        TasksFile.tick(text, TaskRef.number("2")));
  }

  // A tasks.md written as sections: neither v1's boxes nor v3's "## Task N", no box anywhere.
  @Test
  void sectionsWithoutAnyBoxAreTasksWhoseProgressIsKeptElsewhereWithoutComplaints() {
    TasksFile file = TasksFile.parse(fixture("v2-sections-without-boxes.md"));

    assertEquals(List.of("1", "2"), labels(file.unfinished()));
    assertFalse(file.hasCheckboxes());
    assertEquals(List.of(), file.issues());
    assertEquals(List.of("1"), task(file, "2").marks().dependsOn(), "a 48-hour soak is no task");
    assertTrue(file.block(TaskRef.number("1")).contains("- Cover a card the user may not edit"));
  }

  @Test
  void aBareNumberWithAUnitIsNoDependency() {
    assertEquals(List.of(), TaskDependencies.onLine("**Dependencies:** 48-hour monitoring done"));
    assertEquals(
        List.of("1", "2", "3"), TaskDependencies.onLine("**Dependencies:** 1-3 (the models)"));
    assertEquals(List.of("2", "4"), TaskDependencies.onLine("Depends on: 2 and #4"));
  }

  // --- GitHub Spec Kit ---

  @Test
  void specKitNotesOnTheParallelMarkerAreProseAndAQualityChecklistIsCriteria() {
    TasksFile file = TasksFile.parse(fixture("speckit-notes-and-checklist.md"));

    assertEquals(List.of("T002"), file.unfinished().stream().map(Task::number).toList());
    assertEquals(
        List.of("Every example runs as shown", "Every internal link resolves"), criteria(file));
    assertEquals(
        List.of(
            "line 8: ignored 2 checkboxes under \"Quality Assurance Checklist\" (lines 10-11):"
                + " criteria to verify, not tasks"),
        file.issues(),
        "'- [P] tasks = ...' explains a marker");
  }

  @Test
  void specKitTLinesKeepTheirIdTagsAndPhase() {
    TasksFile file = TasksFile.parse(fixture("speckit-tasks.md"));

    Task contract = task(file, "T006");
    assertEquals(
        "Contract test for POST /albums in tests/contract/test_albums.py", contract.title());
    assertEquals(List.of("P", "US1"), contract.marks().tags());
    assertEquals(
        "Phase 3: User Story 1 - Create an album (Priority: P1) 🎯 MVP",
        contract.marks().section());
    assertTrue(task(file, "T001").done());
    assertTrue(task(file, "T003").done());
  }

  @Test
  void specKitSkipLinesAreNotPlannedAndDuplicateIdsAreReported() {
    TasksFile file = TasksFile.parse(fixture("speckit-tasks.md"));

    assertTrue(task(file, "T008").marks().skipped());
    assertEquals(
        List.of("T004", "T005", "T005", "T006", "T007", "T009", "T010", "T011"),
        file.unfinished().stream().map(Task::number).toList());
    assertEquals(
        List.of("#5", "#6"),
        List.of(file.tasks().get(4).ref().toString(), file.tasks().get(5).ref().toString()));
    assertTrue(
        file.issues().stream().anyMatch(i -> i.contains("share the number T005")),
        file.issues().toString());
    assertEquals(2, file.issues().size(), "the numbered strategy list is prose: " + file.issues());
    assertTrue(
        file.issues()
            .contains(
                "line 42: task T008 \"SKIP: the CLI entry point is covered by T007\" is marked"
                    + " SKIP, so it counts as done and is not planned"),
        file.issues().toString());
  }

  @Test
  void specKitCheckpointsAreCriteriaOfTheirPhase() {
    TasksFile file = TasksFile.parse(fixture("speckit-tasks.md"));

    assertEquals(
        List.of(
            "**Checkpoint**: Foundation ready - user story work can begin",
            "**Checkpoint**: User Story 1 works on its own"),
        criteria(file));
    assertEquals(
        "Phase 2: Foundational (Blocking Prerequisites)", file.ignoredCriteria().get(0).section());
  }

  @Test
  void specKitTicksInTheFilesOwnUpperCase() {
    String text = fixture("speckit-tasks.md");

    String ticked = TasksFile.tick(text, TaskRef.number("T004"));

    assertEquals(text.replace("- [ ] T004 Create", "- [X] T004 Create"), ticked);
    assertEquals(
        "- [ ] 1. A\n- [x] 2. B\n",
        TasksFile.tick("- [ ] 1. A\n- [ ] 2. B\n", TaskRef.number("2")));
  }
}

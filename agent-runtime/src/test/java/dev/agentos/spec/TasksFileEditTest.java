package dev.agentos.spec;

import static dev.agentos.spec.TasksFileTest.TEMPLATE;
import static dev.agentos.spec.TasksFileTest.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TasksFileEditTest {

  private static final String BLOCKED = "\u26A0\uFE0F Blocking issue: ";

  @Test
  void ticksOnlyTheReferencedSubTasksBox() {
    String ticked = TasksFile.tick(TEMPLATE, TaskRef.number("1.1"));

    assertEquals(TEMPLATE.replace("- [ ] 1.1 Write", "- [x] 1.1 Write"), ticked);
  }

  @Test
  void keepsCrlfTrailingSpacesAndEveryOtherByteWhenTicking() {
    String text = "# Tasks  \r\n\r\n- [ ] 1. A \t\r\n  - [ ] 1.1 B   \r\n\n- [ ] 2. C  ";

    assertEquals(
        "# Tasks  \r\n\r\n- [ ] 1. A \t\r\n  - [x] 1.1 B   \r\n\n- [ ] 2. C  ",
        TasksFile.tick(text, TaskRef.number("1.1")));
    assertEquals(
        "# Tasks  \r\n\r\n- [ ] 1. A \t\r\n  - [ ] 1.1 B   \r\n\n- [x] 2. C  ",
        TasksFile.tick(text, TaskRef.number("2")));
  }

  @Test
  void keepsAMissingFinalNewlineWhenTickingTheLastLine() {
    assertEquals(
        "- [ ] 1. A\n  - [x] 1.1 B",
        TasksFile.tick("- [ ] 1. A\n  - [ ] 1.1 B", TaskRef.number("1.1")));
  }

  @Test
  void leavesAnAlreadyTickedBoxAsItIs() {
    String text = "- [X] 1. A\n";

    assertEquals(text, TasksFile.tick(text, TaskRef.number("1")));
    assertEquals(TEMPLATE, TasksFile.tick(TEMPLATE, TaskRef.number("2.1")));
  }

  @Test
  void ticksABoxWrittenInATaskHeading() {
    String text = "### [ ] Task 4: Docs\nWrite them.\n";

    assertEquals("### [x] Task 4: Docs\nWrite them.\n", TasksFile.tick(text, TaskRef.number("4")));
  }

  @Test
  void refusesToTickATaskWithoutACheckbox() {
    AgentOsException error =
        assertThrows(
            AgentOsException.class,
            () -> TasksFile.tick("1. Parent\n   - [ ] 1.1 Sub\n", TaskRef.number("1")));

    assertEquals(ErrorCode.INVALID_REQUEST, error.code());
    assertTrue(error.getMessage().contains("tick its sub-tasks instead"), error.getMessage());
  }

  @Test
  void refusesAnUnknownRefAndListsTheKnownOnes() {
    AgentOsException error =
        assertThrows(AgentOsException.class, () -> TasksFile.tick(TEMPLATE, TaskRef.number("4")));

    assertEquals(ErrorCode.NOT_FOUND, error.code());
    assertTrue(error.getMessage().contains("its tasks are 1, 1.1, 1.2, 2, 2.1, 3"));
  }

  @Test
  void findsAnUnnumberedTaskByItsRefAfterOtherBoxesWereTicked() {
    String text = "- [ ] Cart\n  - [ ] Model\n  - [ ] Tests\n- [ ] Checkout\n";
    TaskRef tests = TasksFile.parse(text).tasks().get(0).subTasks().get(1).ref();
    String afterOtherEdits =
        TasksFile.tick(TasksFile.tick(text, TaskRef.parse("#1/#1")), TaskRef.parse("#2"));

    String ticked = TasksFile.tick(afterOtherEdits, tests);

    assertEquals(TaskRef.parse("#1/#2"), tests);
    assertEquals("- [ ] Cart\n  - [x] Model\n  - [x] Tests\n- [x] Checkout\n", ticked);
  }

  @Test
  void tickWithParentsTicksTheParentOnceItsLastSubTaskIsTicked() {
    String oneLeft = TEMPLATE.replace("- [ ] 1.1", "- [x] 1.1");

    String ticked = TasksFile.tickWithParents(oneLeft, TaskRef.number("1.2"));

    assertEquals(
        oneLeft.replace("- [ ] 1.2", "- [x] 1.2").replace("- [ ] 1. Add", "- [x] 1. Add"), ticked);
  }

  @Test
  void tickWithParentsLeavesTheParentWhileSubTasksRemain() {
    String ticked = TasksFile.tickWithParents(TEMPLATE, TaskRef.number("1.1"));

    assertEquals(TEMPLATE.replace("- [ ] 1.1", "- [x] 1.1"), ticked);
  }

  @Test
  void tickWithParentsClimbsEveryLevelAndPassesOverAParentWithoutABox() {
    String text =
        "- [ ] 1. Top\r\n  2. Middle without a box\r\n     - [ ] 1.2.1 Leaf\r\n  - [x] 1.3 Done";

    String ticked = TasksFile.tickWithParents(text, TaskRef.number("1.2.1"));

    assertEquals(
        "- [x] 1. Top\r\n  2. Middle without a box\r\n     - [x] 1.2.1 Leaf\r\n  - [x] 1.3 Done",
        ticked);
  }

  @Test
  void marksATaskBlockedRightBelowItsLineOneLevelDeeper() {
    String marked = TasksFile.markBlocked(TEMPLATE, TaskRef.number("1.2"), "needs the price API");

    assertEquals(
        TEMPLATE.replace(
            "  - [ ] 1.2 Implement Cart\n",
            "  - [ ] 1.2 Implement Cart\n    " + BLOCKED + "needs the price API\n"),
        marked);
  }

  @Test
  void marksAParentBlockedAtTheIndentOfItsSubTasks() {
    String text = "- [ ] 1. Cart\n    - [ ] 1.1 Model\n";

    assertEquals(
        "- [ ] 1. Cart\n    " + BLOCKED + "no design yet\n    - [ ] 1.1 Model\n",
        TasksFile.markBlocked(text, TaskRef.number("1"), "no design yet"));
  }

  @Test
  void marksBlockedWithTheFilesCrlf() {
    String text = "- [ ] 1. Cart\r\n- [ ] 2. Checkout\r\n";

    assertEquals(
        "- [ ] 1. Cart\r\n  " + BLOCKED + "waiting\r\n- [ ] 2. Checkout\r\n",
        TasksFile.markBlocked(text, TaskRef.number("1"), "waiting"));
  }

  @Test
  void marksTheLastLineBlockedAndKeepsTheFileWithoutFinalNewline() {
    String text = "- [ ] 1. Cart\r\n- [ ] 2. Checkout";

    assertEquals(
        "- [ ] 1. Cart\r\n- [ ] 2. Checkout\r\n  " + BLOCKED + "waiting",
        TasksFile.markBlocked(text, TaskRef.number("2"), "waiting"));
  }

  @Test
  void replacesTheReasonOfAnExistingBlockingMarker() {
    String once = TasksFile.markBlocked(TEMPLATE, TaskRef.number("3"), "first reason");

    String twice = TasksFile.markBlocked(once, TaskRef.number("3"), "second reason");

    assertEquals(TEMPLATE + "  " + BLOCKED + "second reason\n", twice);
  }

  @Test
  void replacesAHandWrittenMarkerWithoutTheVariationSelector() {
    String text = "- [ ] 1. Cart\n  \u26A0 Blocking issue: old  \n  - [ ] 1.1 Model\n";

    assertEquals(
        "- [ ] 1. Cart\n  \u26A0 Blocking issue: new\n  - [ ] 1.1 Model\n",
        TasksFile.markBlocked(text, TaskRef.number("1"), "new"));
  }

  @Test
  void readsTheBlockingMarkerBackAsANoteOfTheTask() {
    String marked = TasksFile.markBlocked(TEMPLATE, TaskRef.number("1"), "waiting for design");
    TasksFile file = TasksFile.parse(marked);

    assertEquals(List.of(BLOCKED + "waiting for design"), task(file, "1").notes());
    assertEquals(TasksFile.parse(TEMPLATE).unfinished().size(), file.unfinished().size());
    assertEquals(List.of("1.1", "1.2"), TasksFileTest.labels(task(file, "1").subTasks()));
    assertEquals(List.of(), file.issues());
  }

  @Test
  void marksATaskHeadingBlockedAtTheMargin() {
    String text = "### Task 2: Checkout\n- [ ] 2.1 Form\n";
    String marked = TasksFile.markBlocked(text, TaskRef.number("2"), "no API key");

    assertEquals("### Task 2: Checkout\n" + BLOCKED + "no API key\n- [ ] 2.1 Form\n", marked);
    assertEquals(List.of(BLOCKED + "no API key"), task(TasksFile.parse(marked), "2").notes());
  }

  @Test
  void keepsABlockingReasonOnOneLine() {
    String marked = TasksFile.markBlocked("- [ ] 1. A\n", TaskRef.number("1"), "first\r\nsecond\n");

    assertEquals("- [ ] 1. A\n  " + BLOCKED + "first second\n", marked);
  }

  @Test
  void refusesABlockingMarkerWithoutAReason() {
    AgentOsException error =
        assertThrows(
            AgentOsException.class,
            () -> TasksFile.markBlocked("- [ ] 1. A\n", TaskRef.number("1"), "  "));

    assertEquals(ErrorCode.INVALID_REQUEST, error.code());
  }
}

package dev.agentos.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TasksFileTest {

  static final String TEMPLATE =
      """
      # Spec Tasks

      ## Tasks

      - [ ] 1. Add the cart model
        - [ ] 1.1 Write tests for Cart
        - [ ] 1.2 Implement Cart
      - [x] 2. Set up CI
        - [x] 2.1 Add workflow
      - [ ] 3. Checkout page
      """;

  @Test
  void readsTheTemplateTasksInFileOrder() {
    TasksFile file = TasksFile.parse(TEMPLATE);

    assertEquals(List.of("1", "2", "3"), labels(file.tasks()));
    Task cart = file.tasks().get(0);
    assertEquals(TaskRef.number("1"), cart.ref());
    assertEquals("Add the cart model", cart.title());
    assertEquals(5, cart.line());
    assertEquals(Checkbox.UNTICKED, cart.checkbox());
    assertEquals(List.of("1.1", "1.2"), labels(cart.subTasks()));
    assertEquals("Write tests for Cart", cart.subTasks().get(0).title());
    assertEquals(6, cart.subTasks().get(0).line());
    assertEquals(Checkbox.TICKED, file.tasks().get(1).checkbox());
    assertEquals(List.of(), file.tasks().get(2).subTasks());
    assertEquals(List.of(), file.issues());
    assertEquals(List.of(), file.ignoredCriteria());
  }

  @Test
  void countsATaskDoneOnlyWhenAllItsSubTasksAreDone() {
    TasksFile file = TasksFile.parse(TEMPLATE);

    assertFalse(task(file, "1").done());
    assertTrue(task(file, "2").done());
    assertFalse(task(file, "3").done(), "no sub-tasks and an unticked box");
    assertEquals(List.of("1", "3"), labels(file.unfinished()));
    assertFalse(file.allDone());
  }

  @Test
  void givesAStepOnlyItsUntickedSubTasks() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Add the cart model
              - [x] 1.1 Write tests for Cart
              - [ ] 1.2 Implement Cart
              - [ ] 1.3 Wire it up
            - [x] 2. Set up CI
              - [x] 2.1 Add workflow
            - [ ] 3. Checkout page
            """);

    List<Task> unfinished = file.unfinished();

    assertEquals(List.of("1", "3"), labels(unfinished));
    assertEquals(List.of("1.2", "1.3"), labels(unfinished.get(0).subTasks()));
    assertEquals(List.of("1.1", "1.2", "1.3"), labels(task(file, "1").subTasks()));
  }

  @Test
  void followsNestingByRelativeIndentationWithTwoToFiveSpacesMixed() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Two spaces
              - [ ] 1.1 a
              - [ ] 1.2 b
            - [ ] 2. Three spaces
               - [ ] 2.1 c
            - [ ] 3. Four spaces
                - [ ] 3.1 d
                - [ ] 3.2 e
            - [ ] 4. Five spaces
                 - [ ] 4.1 f
            - [ ] 5. Shrinking within one parent
                - [ ] 5.1 four
               - [ ] 5.2 three
              - [ ] 5.3 two
            """);

    assertEquals(List.of("1", "2", "3", "4", "5"), labels(file.tasks()));
    assertEquals(List.of("1.1", "1.2"), labels(task(file, "1").subTasks()));
    assertEquals(List.of("2.1"), labels(task(file, "2").subTasks()));
    assertEquals(List.of("3.1", "3.2"), labels(task(file, "3").subTasks()));
    assertEquals(List.of("4.1"), labels(task(file, "4").subTasks()));
    assertEquals(List.of("5.1", "5.2", "5.3"), labels(task(file, "5").subTasks()));
    assertEquals(List.of(), file.issues());
  }

  @Test
  void readsTabIndentedSubTasks() {
    TasksFile file =
        TasksFile.parse("- [ ] 1. Tabs\n\t- [ ] 1.1 a\n\t\t- [x] 1.1.1 deep\n\t- [ ] 1.2 b\n");

    assertEquals(List.of("1.1", "1.2"), labels(task(file, "1").subTasks()));
    assertEquals(List.of("1.1.1"), labels(task(file, "1.1").subTasks()));
  }

  @Test
  void readsAThirdLevelOfSubTasks() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Cart
              - [ ] 1.1 Model
                - [x] 1.1.1 Tests
                - [ ] 1.1.2 Code
              - [x] 1.2 Docs
            """);

    assertEquals(List.of("1.1.1", "1.1.2"), labels(task(file, "1.1").subTasks()));
    Task step = file.unfinished().get(0);
    assertEquals(List.of("1.1"), labels(step.subTasks()));
    assertEquals(List.of("1.1.2"), labels(step.subTasks().get(0).subTasks()));
  }

  @Test
  void readsBoldAndUnnumberedTitlesAndRefersToThemByPosition() {
    TasksFile file =
        TasksFile.parse(
            """
            ## Tasks

            - [ ] **Build the cart**
              - [ ] Write the model
              - [x] **Add** tests
            - [ ] **2. Checkout**
            - [x] Polish the UI
            """);

    Task cart = file.tasks().get(0);
    assertEquals("Build the cart", cart.title());
    assertEquals("Build the cart", cart.label());
    assertEquals("", cart.number());
    assertEquals(TaskRef.parse("#1"), cart.ref());
    assertEquals(List.of("Write the model", "Add tests"), titles(cart.subTasks()));
    assertEquals(TaskRef.parse("#1/#2"), cart.subTasks().get(1).ref());
    assertEquals("Checkout", task(file, "2").title());
    assertEquals(TaskRef.parse("#3"), file.tasks().get(2).ref());
    assertTrue(file.tasks().get(2).done());
  }

  @Test
  void treatsTheItemsUnderATaskHeadingAsItsSubTasks() {
    TasksFile file =
        TasksFile.parse(
            """
            # Spec Tasks

            ## Tasks

            ### Task 1: Cart model
            - [x] 1.1 Write tests
            - [ ] 1.2 Implement

            ### Task 2: Checkout
            Needs the payment API.
            - [ ] Build the page
              - [ ] Add the form

            ### 3. Deploy
            - [x] 3.1 Ship it

            ### Polish
            - [ ] 4.1 Tidy CSS
            - [ ] 4.2 Fix typos

            ### Task: Docs
            - [ ] Write README
            """);

    assertEquals(List.of("1", "2", "3", "4", "Docs"), labels(file.tasks()));
    Task model = task(file, "1");
    assertEquals("Cart model", model.title());
    assertEquals(Checkbox.NONE, model.checkbox());
    assertEquals(5, model.line());
    assertEquals(List.of("1.1", "1.2"), labels(model.subTasks()));
    Task checkout = task(file, "2");
    assertEquals(List.of("Needs the payment API."), checkout.notes());
    assertEquals(List.of("Build the page"), titles(checkout.subTasks()));
    assertEquals(TaskRef.parse("2/#1/#1"), checkout.subTasks().get(0).subTasks().get(0).ref());
    assertTrue(task(file, "3").done());
    assertEquals("Polish", task(file, "4").title(), "numbered by its 4.x sub-tasks");
    assertEquals(TaskRef.parse("#5/#1"), file.tasks().get(4).subTasks().get(0).ref());
    assertEquals(List.of("1", "2", "4", "Docs"), labels(file.unfinished()));
    assertEquals(List.of(), file.issues());
  }

  @Test
  void readsNumberedParentsWithoutACheckbox() {
    TasksFile file =
        TasksFile.parse(
            """
            ## Tasks

            1. Add the cart model
               - [x] 1.1 Write tests
               - [ ] 1.2 Implement
            - 2. Set up CI
              - [x] 2.1 Add workflow
            3. Checkout page
               1. [ ] Build the form
               2. [ ] Validate it
            """);

    assertEquals(List.of("1", "2", "3"), labels(file.tasks()));
    assertEquals(Checkbox.NONE, task(file, "1").checkbox());
    assertEquals("Set up CI", task(file, "2").title());
    assertTrue(task(file, "2").done());
    assertEquals(List.of("3.1", "3.2"), labels(task(file, "3").subTasks()));
    assertEquals("Build the form", task(file, "3.1").title());
    assertEquals(List.of("1", "3"), labels(file.unfinished()));
    assertEquals(List.of(), file.issues());
  }

  @Test
  void setsCriteriaSectionsApartAndReportsThem() {
    TasksFile file =
        TasksFile.parse(
            """
            ## Tasks

            - [ ] 1. Cart
              - [ ] 1.1 Model
              - Acceptance criteria:
                - [ ] A cart holds items
              - [ ] 1.2 Tests
            - [ ] 2. Checkout

            ## Definition of Done

            - [ ] All tests pass
            - [x] Code reviewed

            ## Success Criteria
            - [ ] Users can pay

            ### Measured how
            - [ ] Conversion tracked

            ## Next
            - [ ] 3. After the criteria
            """);

    assertEquals(List.of("1", "2", "3"), labels(file.tasks()));
    assertEquals(List.of("1.1", "1.2"), labels(task(file, "1").subTasks()));
    List<Criterion> criteria = file.ignoredCriteria();
    assertEquals(
        List.of(
            "A cart holds items",
            "All tests pass",
            "Code reviewed",
            "Users can pay",
            "Conversion tracked"),
        criteria.stream().map(Criterion::text).toList());
    assertEquals("Definition of Done", criteria.get(1).section());
    assertEquals(Checkbox.TICKED, criteria.get(2).checkbox());
    assertEquals(13, criteria.get(2).line());
    assertEquals(
        List.of(
            "line 5: ignored 1 checkbox under \"Acceptance criteria:\" (line 6): criteria to verify,"
                + " not tasks",
            "line 10: ignored 2 checkboxes under \"Definition of Done\" (lines 12-13): criteria to"
                + " verify, not tasks",
            "line 15: ignored 2 checkboxes under \"Success Criteria\" (lines 16-19): criteria to"
                + " verify, not tasks"),
        file.issues());
  }

  @Test
  void setsCriteriaUnderABoldLabelApart() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Cart
              - [ ] 1.1 Model
              **Definition of done:**
              - [ ] Totals are right
            - [ ] 2. Checkout
            """);

    assertEquals(List.of("1", "2"), labels(file.tasks()));
    assertEquals(List.of("1.1"), labels(task(file, "1").subTasks()));
    assertEquals(
        List.of("Totals are right"), file.ignoredCriteria().stream().map(Criterion::text).toList());
  }

  @Test
  void readsASentenceAboutCriteriaAsANoteNotAsALabel() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Cart
              Criteria: totals must add up.
              - [ ] 1.1 Model
            """);

    assertEquals(List.of("1.1"), labels(task(file, "1").subTasks()));
    assertEquals(List.of("Criteria: totals must add up."), task(file, "1").notes());
    assertEquals(List.of(), file.ignoredCriteria());
  }

  @Test
  void ignoresCheckboxesInsideCodeBlocks() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Write the parser
              ```markdown
              - [ ] 9. Not a task
              ```
              - [ ] 1.1 Tests
            ~~~
            - [x] 8. Also not a task
            ~~~
            ````
            ```
            - [ ] 7. Inside a longer fence
            ```
            ````
            - [ ] 2. Ship
            """);

    assertEquals(List.of("1", "2"), labels(file.tasks()));
    assertEquals(List.of("1.1"), labels(task(file, "1").subTasks()));
    assertEquals(List.of(), file.issues());
  }

  @Test
  void reportsACodeBlockThatIsNeverClosed() {
    TasksFile file = TasksFile.parse("- [ ] 1. A\n```\n- [ ] 2. B\n- [ ] 3. C\n");

    assertEquals(List.of("1"), labels(file.tasks()));
    assertEquals(
        List.of(
            "line 2: code block opened here is never closed; lines 3-4 were ignored, including"
                + " any tasks there"),
        file.issues());
  }

  @Test
  void ignoresTasksInsideHtmlComments() {
    TasksFile file =
        TasksFile.parse(
            "<!-- - [ ] 9. Hidden -->\n<!--\n- [ ] 8. Hidden too\n-->\n- [ ] 1. Visible\n");

    assertEquals(List.of("1"), labels(file.tasks()));
    assertEquals(List.of(), file.issues());
  }

  @Test
  void readsAGermanTasksFile() {
    TasksFile file =
        TasksFile.parse(
            """
            # Spec-Aufgaben

            ## Aufgaben

            ### Aufgabe 1: Warenkorb-Modell
            - [x] 1.1 Tests schreiben
            - [ ] 1.2 Modell umsetzen ⚠️ Wartet auf die Preis-API

            ### Aufgabe 2: Kasse
            - [ ] 2.1 Formular bauen

            ## Akzeptanzkriterien
            - [ ] Der Warenkorb summiert korrekt
            """);

    assertEquals(List.of("Warenkorb-Modell", "Kasse"), titles(file.tasks()));
    Task model = task(file, "1.2");
    assertEquals("Modell umsetzen", model.title());
    assertEquals(List.of("⚠️ Wartet auf die Preis-API"), model.notes());
    assertEquals(List.of("1", "2"), labels(file.unfinished()));
    assertEquals(1, file.ignoredCriteria().size());
    assertEquals("Akzeptanzkriterien", file.ignoredCriteria().get(0).section());
  }

  @Test
  void reportsATickedParentOverUntickedSubTasks() {
    TasksFile file =
        TasksFile.parse(
            """
            - [x] 1. Cart
              - [x] 1.1 Model
              - [ ] 1.2 Tests
            """);

    assertFalse(task(file, "1").done());
    assertEquals(List.of("1.2"), labels(file.unfinished().get(0).subTasks()));
    assertEquals(
        List.of(
            "line 1: task 1 \"Cart\" is ticked but its sub-tasks 1.2 are not; it counts as"
                + " unfinished"),
        file.issues());
  }

  @Test
  void reportsAnUntickedParentWhoseSubTasksAreAllTicked() {
    TasksFile file = TasksFile.parse("- [ ] 1. Cart\n  - [x] 1.1 Model\n  - [X] 1.2 Tests\n");

    assertTrue(task(file, "1").done());
    assertEquals(List.of(), file.unfinished());
    assertTrue(file.allDone());
    assertEquals(
        List.of(
            "line 1: task 1 \"Cart\" is not ticked though all its sub-tasks are; it counts as"
                + " done"),
        file.issues());
  }

  @Test
  void attachesWarningNotesWrittenInlineOrOnTheirOwnLine() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Cart
              - [ ] 1.1 Model — ⚠️ Needs the pricing decision
              - [ ] 1.2 Tests
                ⚠️ Blocking issue: CI is down

            ⚠️ Blocking issue: waiting for design
            - [ ] 2. Checkout
            """);

    Task model = task(file, "1.1");
    assertEquals("Model", model.title());
    assertEquals(List.of("⚠️ Needs the pricing decision"), model.notes());
    assertEquals(
        List.of("⚠️ Blocking issue: CI is down", "⚠️ Blocking issue: waiting for design"),
        task(file, "1.2").notes());
    assertEquals(List.of(), task(file, "2").notes());
    assertEquals(List.of(), file.issues());
  }

  @Test
  void reportsAWarningThatIsUnderNoTask() {
    TasksFile file = TasksFile.parse("## Tasks\n⚠️ Everything is on hold\n- [ ] 1. A\n");

    assertEquals(List.of(), task(file, "1").notes());
    assertEquals(
        List.of(
            "line 2: note \"⚠️ Everything is on hold\" is not under any task, so no task carries it"),
        file.issues());
  }

  @Test
  void keepsPlainTextUnderATaskAsItsNotes() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Cart
              - uses the Money type
              - [ ] 1.1 Model
                Keep it immutable.
            """);

    assertEquals(List.of("uses the Money type"), task(file, "1").notes());
    assertEquals(List.of("1.1"), labels(task(file, "1").subTasks()));
    assertEquals(List.of("Keep it immutable."), task(file, "1.1").notes());
  }

  @Test
  void readsUpperCaseTicksAndStarAndPlusBullets() {
    TasksFile file =
        TasksFile.parse(
            """
            * [X] 1. Star bullet
              + [x] 1.1 Plus bullet
              + [ ] 1.2 Open
            + [ ] 2. Plus parent
            """);

    assertEquals(List.of("1", "2"), labels(file.tasks()));
    assertEquals(Checkbox.TICKED, task(file, "1").checkbox());
    assertEquals(Checkbox.TICKED, task(file, "1.1").checkbox());
    assertEquals(List.of("1.2"), labels(file.unfinished().get(0).subTasks()));
  }

  @Test
  void readsCrlfFilesLikeLfFiles() {
    TasksFile lf = TasksFile.parse(TEMPLATE);
    TasksFile crlf = TasksFile.parse(TEMPLATE.replace("\n", "\r\n"));

    assertEquals(lf.tasks(), crlf.tasks());
    assertEquals("Add the cart model", task(crlf, "1").title());
  }

  @Test
  void readsAFileWithoutFinalNewline() {
    TasksFile file = TasksFile.parse("- [ ] 1. Cart\n  - [x] 1.1 Model");

    assertEquals(Checkbox.TICKED, task(file, "1.1").checkbox());
    assertEquals("Model", task(file, "1.1").title());
  }

  @Test
  void readsAFileStartingWithAByteOrderMark() {
    TasksFile file = TasksFile.parse("\uFEFF- [ ] 1. Cart\n");

    assertEquals(List.of("1"), labels(file.tasks()));
  }

  @Test
  void reportsCheckboxLinesItCannotPlace() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Cart
            > - [ ] 2. Quoted task
            | [x] | table cell |
            - [~] 3. In progress
            Writing `- [ ]` in inline code is fine.
            """);

    assertEquals(List.of("1"), labels(file.tasks()));
    List<String> issues = file.issues();
    assertEquals(3, issues.size(), issues.toString());
    assertTrue(issues.get(0).startsWith("line 2: checkbox in \"> - [ ] 2. Quoted task\""));
    assertTrue(issues.get(1).startsWith("line 3: checkbox in \"| [x] | table cell |\""));
    assertEquals(
        "line 4: \"[~] 3. In progress\" has a box this reader does not know ([ ], [x] and [X]"
            + " are); it was not read as a task; write [ ] or [x] instead",
        issues.get(2));
  }

  @Test
  void readsAnItemWithAnUnknownBoxAsAParentWhenTasksSitBelowIt() {
    TasksFile file = TasksFile.parse("- [-] 1. Cart\n  - [ ] 1.1 Model\n");

    assertEquals("Cart", task(file, "1").title());
    assertEquals(Checkbox.NONE, task(file, "1").checkbox());
    assertEquals(
        List.of(
            "line 1: \"[-] 1. Cart\" has a box this reader does not know ([ ], [x] and [X] are);"
                + " it counts as having no box and is done when the tasks below it are"),
        file.issues());
  }

  @Test
  void reportsANumberedItemWithoutACheckbox() {
    TasksFile file = TasksFile.parse("- [ ] 1. Cart\n2. Forgot the box\n");

    assertEquals(List.of("1"), labels(file.tasks()));
    assertEquals(
        List.of(
            "line 2: numbered item \"Forgot the box\" has no checkbox and no checkbox sub-tasks,"
                + " so it was not read as a task; write \"- [ ] Forgot the box\" if it is one"),
        file.issues());
  }

  @Test
  void refersToTasksSharingANumberByPosition() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. Cart
              - [ ] 1.1 Model
            - [ ] 2. Checkout
              - [ ] 1.1 Form
            """);

    assertEquals(TaskRef.parse("1/#1"), file.tasks().get(0).subTasks().get(0).ref());
    assertEquals(TaskRef.parse("2/#1"), file.tasks().get(1).subTasks().get(0).ref());
    assertEquals(
        List.of(
            "line 2: tasks on lines 2, 4 share the number 1.1; they are referred to by position"
                + " instead"),
        file.issues());
  }

  @Test
  void reportsATaskThatCanNeverBeTicked() {
    // Among tasks with boxes; a file with no box anywhere keeps its progress in the state instead.
    TasksFile file =
        TasksFile.parse(
            "### Task 3: Docs\nWrite the README.\n\n### Task 4: Tests\n- [ ] 4.1 Write them\n");

    Task docs = task(file, "3");
    assertEquals(List.of("Write the README."), docs.notes());
    assertEquals(List.of("3", "4"), labels(file.unfinished()));
    assertEquals(
        List.of(
            "line 1: task 3 \"Docs\" has neither a checkbox nor sub-tasks, so it can never be"
                + " ticked; add \"- [ ] ...\" items under it"),
        file.issues());
  }

  @Test
  void readsAnEmptyFileAsNoTasks() {
    TasksFile file = TasksFile.parse("");

    assertEquals(List.of(), file.tasks());
    assertEquals(List.of(), file.issues());
    assertFalse(file.allDone());
  }

  static Task task(TasksFile file, String ref) {
    return file.find(TaskRef.parse(ref)).orElseThrow(() -> new AssertionError("no task " + ref));
  }

  static List<String> labels(List<Task> tasks) {
    return tasks.stream().map(Task::label).toList();
  }

  static List<String> titles(List<Task> tasks) {
    return tasks.stream().map(Task::title).toList();
  }
}

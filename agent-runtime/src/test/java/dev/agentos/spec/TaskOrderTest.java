package dev.agentos.spec;

import static dev.agentos.spec.TaskFormatsTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskOrderTest {

  private static List<String> deps(TaskOrder order, String ref) {
    return order.dependsOn().get(TaskRef.parse(ref)).stream().map(TaskRef::toString).toList();
  }

  @Test
  void v2GroupsWaitForTheGroupsTheirDependenciesName() {
    TaskOrder order = TaskOrder.of(TasksFile.parse(fixture("v2-tasks.md")));

    assertEquals(List.of(), deps(order, "1"));
    assertEquals(List.of("1"), deps(order, "2"));
    assertEquals(List.of("1", "2"), deps(order, "3"));
    assertEquals(List.of("1", "2", "3"), deps(order, "4"));
    assertEquals(List.of(), order.notes());
  }

  @Test
  void specKitStoriesWaitForTheFoundationAndPolishForEveryStory() {
    TaskOrder order = TaskOrder.of(TasksFile.parse(fixture("speckit-tasks.md")));

    assertEquals(List.of("T001", "T002", "T003"), deps(order, "T004"));
    assertEquals(List.of("T004"), deps(order, "#5"));
    assertEquals(List.of("T004"), deps(order, "#6"));
    assertEquals(List.of("T004", "#5", "#6"), deps(order, "T006"));
    assertEquals(List.of("T006"), deps(order, "T007"));
    assertEquals(List.of("T004", "#5", "#6"), deps(order, "T009"));
    assertEquals(List.of("T006", "T007", "T008", "T009"), deps(order, "T010"));
    assertEquals(List.of("T010"), deps(order, "T011"));
  }

  @Test
  void sortsATaskAfterTheOneItWaitsForEvenWhenTheFileListsItFirst() {
    TasksFile file =
        TasksFile.parse(
            """
            ### Task Group 1: Page
            **Dependencies:** Task Group 2 (the page calls the API)
            - [ ] 1.1 Build it

            ### Task Group 2: API
            **Dependencies:** None
            - [ ] 2.1 Build it

            ### Task Group 3: Docs
            **Dependencies:** Task Group 9
            - [ ] 3.1 Write them
            """);
    TaskOrder order = TaskOrder.of(file);
    List<String> notes = new ArrayList<>();

    List<Task> sorted = order.sort(file.unfinished(), notes);

    assertEquals(List.of("2", "1", "3"), sorted.stream().map(Task::number).toList());
    assertEquals(
        List.of(
            "line 9: task 3 depends on 9, which is not a task of this file; that dependency is not"
                + " followed"),
        order.notes());
    assertEquals(List.of(), notes);
  }

  @Test
  void breaksADependencyCycleAtFileOrderAndSaysSo() {
    TasksFile file =
        TasksFile.parse(
            """
            - [ ] 1. A (Depends on: Task 2)
            - [ ] 2. B (Depends on: Task 1)
            """);
    List<String> notes = new ArrayList<>();

    List<Task> sorted = TaskOrder.of(file).sort(file.unfinished(), notes);

    assertEquals(List.of("1", "2"), sorted.stream().map(Task::number).toList());
    assertEquals(
        List.of("line 1: task 1 is part of a dependency cycle; it runs in file order"), notes);
  }
}

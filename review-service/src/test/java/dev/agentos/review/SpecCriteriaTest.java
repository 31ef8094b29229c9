package dev.agentos.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.spec.CriteriaVerdicts;
import dev.agentos.spec.SpecFolder;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.Check;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecCriteriaTest {

  @TempDir Path workspace;

  // Mirrors a Spec Kit feature folder: tasks with a checkpoint, and a checklists/ file.
  @Test
  void reportsEachCriterionAsMetNotMetOrNeedingAPerson() throws IOException {
    String spec = "specs/003-albums";
    write(
        spec + "/tasks.md",
        """
        ## Phase 1: Setup

        - [x] T001 Create the structure

        **Checkpoint**: the project builds

        ### Task 2: Sharing
        - [ ] 2.1 Share links

        **Acceptance Criteria:**
        - A link opens the album

        ## Quality Gates
        - [x] No lint warnings
        """);
    write(
        spec + "/checklists/ux.md",
        "# UX Checklist\n\n- [ ] CHK001 Are empty states described?\n- [X] CHK002 Is the"
            + " tone consistent?\n");
    SpecFolder folder = SpecFolder.read(workspace, spec);

    Optional<Check> check =
        SpecCriteria.check(CriteriaVerdicts.byCheck(folder.criteria(), folder.tasks()));

    assertTrue(check.isPresent());
    assertFalse(check.get().passed(), "a criterion of an open task is not met");
    assertEquals(
        "2 met, 1 not met, 2 need a person: "
            + "needs a person: **Checkpoint**: the project builds [Phase 1: Setup]; "
            + "not met (task 2 is not done): A link opens the album [**Acceptance Criteria:**,"
            + " task 2]; "
            + "met: No lint warnings [Quality Gates]; "
            + "needs a person: CHK001 Are empty states described? [checklists/ux.md]; "
            + "met: CHK002 Is the tone consistent? [checklists/ux.md]",
        check.get().detail());
  }

  @Test
  void criteriaNoMachineCanJudgeDoNotFailTheCheckAndNoCriteriaMeansNoCheck() {
    TasksFile tasks = TasksFile.parse("- [x] 1. Done\n\n## Success Metrics\n- Fewer tickets\n");

    Check check =
        SpecCriteria.check(CriteriaVerdicts.byCheck(tasks.ignoredCriteria(), Optional.of(tasks)))
            .orElseThrow();

    assertTrue(check.passed());
    assertEquals(
        "0 met, 0 not met, 1 need a person: needs a person: Fewer tickets [Success Metrics]",
        check.detail());
    assertEquals(Optional.empty(), SpecCriteria.check(List.of()));
  }

  private void write(String relative, String text) throws IOException {
    Path file = workspace.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}

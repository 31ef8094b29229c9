package dev.agentos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.StepChanges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a step changed, measured with the real git (and, outside git, the files themselves). */
class WorkspaceSnapshotIT {
  private static final ProcessLauncher LAUNCHER = ProcessLauncher.standard();

  @TempDir Path repo;

  @Test
  void seesNothingWhenNothingChangedInAGitRepository() throws Exception {
    init();
    Files.writeString(repo.resolve("dirty.txt"), "already dirty before the step\n");
    WorkspaceSnapshot before = WorkspaceSnapshot.take(repo);

    StepChanges changes = before.changesSince();

    assertEquals(new StepChanges(0, List.of(), StepChanges.GIT), changes);
    assertEquals("no files changed", changes.describe());
  }

  @Test
  void seesNewModifiedDeletedAndAlreadyDirtyFilesWrittenAgain() throws Exception {
    init();
    Files.writeString(repo.resolve("dirty.txt"), "dirty\n");
    WorkspaceSnapshot before = WorkspaceSnapshot.take(repo);

    Files.writeString(repo.resolve("README.md"), "changed\n");
    Files.delete(repo.resolve("gone.txt"));
    Files.createDirectories(repo.resolve("src/deep"));
    Files.writeString(repo.resolve("src/deep/new file.py"), "print('hi')\n");
    Files.writeString(repo.resolve("dirty.txt"), "dirty again\n");

    StepChanges changes = before.changesSince();

    assertEquals(
        List.of("README.md", "dirty.txt", "gone.txt", "src/deep/new file.py"), changes.files());
    assertEquals(4, changes.count());
  }

  @Test
  void seesTheFilesOfCommitsTheStepMade() throws Exception {
    init();
    WorkspaceSnapshot before = WorkspaceSnapshot.take(repo);
    Files.writeString(repo.resolve("hello.txt"), "hello\n");
    git("add", "-A");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "hello");

    StepChanges changes = before.changesSince();

    assertEquals(List.of("hello.txt"), changes.files(), "committed, so git status is clean");
  }

  @Test
  void measuresAWorkspaceOutsideGitByItsFiles() throws Exception {
    Files.writeString(repo.resolve("kept.txt"), "same\n");
    Files.writeString(repo.resolve("touched.txt"), "v1\n");
    WorkspaceSnapshot before = WorkspaceSnapshot.take(repo);
    assertEquals(0, before.changesSince().count(), "nothing changed yet");

    Files.writeString(repo.resolve("touched.txt"), "v1\n");
    Files.setLastModifiedTime(
        repo.resolve("touched.txt"), FileTime.from(Instant.now().plusSeconds(5)));
    Files.writeString(repo.resolve("new.txt"), "new\n");

    StepChanges changes = before.changesSince();

    assertEquals(List.of("new.txt", "touched.txt"), changes.files());
    assertEquals(StepChanges.FILES, changes.measuredBy());
    assertTrue(changes.describe().startsWith("2 files changed: new.txt, touched.txt"));
  }

  private void init() throws Exception {
    git("init", "-q");
    Files.writeString(repo.resolve("README.md"), "readme\n");
    Files.writeString(repo.resolve("gone.txt"), "to be deleted\n");
    git("add", "-A");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "start");
  }

  private void git(String... args) {
    assertTrue(
        LAUNCHER.git(repo, Duration.ofSeconds(20), List.of(args)).succeeded(),
        "git " + String.join(" ", args));
  }
}

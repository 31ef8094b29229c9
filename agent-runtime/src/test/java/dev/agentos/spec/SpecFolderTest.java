package dev.agentos.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecFolderTest {

  private static final String SPEC = ".agent-os/specs/2026-11-20-cart";

  @TempDir Path workspace;

  @Test
  void readsNameSummaryTasksAndSubSpecs() throws IOException {
    Path folder = specFolder();
    write(folder.resolve("spec.md"), "# Cart\nThe long spec.");
    write(folder.resolve("spec-lite.md"), "Cart, briefly.");
    write(folder.resolve("tasks.md"), TasksFileTest.TEMPLATE);
    write(folder.resolve("sub-specs/technical-spec.md"), "tech");
    write(folder.resolve("sub-specs/api-spec.md"), "api");
    write(folder.resolve("sub-specs/diagram.png"), "not markdown");

    SpecFolder spec = SpecFolder.read(workspace, SPEC);

    assertEquals("2026-11-20-cart", spec.name());
    assertEquals(Optional.of("Cart, briefly."), spec.summary());
    assertEquals(Optional.of(TasksFileTest.TEMPLATE), spec.tasksText());
    assertEquals(3, spec.tasks().orElseThrow().tasks().size());
    assertEquals(Map.of("api-spec.md", "api", "technical-spec.md", "tech"), spec.subSpecs());
    assertEquals(
        List.of("api-spec.md", "technical-spec.md"), List.copyOf(spec.subSpecs().keySet()));
  }

  @Test
  void fallsBackToSpecMdWithoutSpecLite() throws IOException {
    write(specFolder().resolve("spec.md"), "# Cart");

    SpecFolder spec = SpecFolder.read(workspace, SPEC + "/");

    assertEquals(Optional.of("# Cart"), spec.summary());
    assertEquals("2026-11-20-cart", spec.name());
  }

  @Test
  void hasNoTasksOrSubSpecsWhenTheFilesAreMissing() throws IOException {
    specFolder();

    SpecFolder spec = SpecFolder.read(workspace, SPEC);

    assertEquals(Optional.empty(), spec.summary());
    assertEquals(Optional.empty(), spec.tasksText());
    assertEquals(Optional.empty(), spec.tasks());
    assertEquals(Map.of(), spec.subSpecs());
  }

  @Test
  void findsTheSubSpecsATaskNamesWithOrWithoutExtension() throws IOException {
    Path folder = specFolder();
    write(folder.resolve("sub-specs/technical-spec.md"), "tech");
    write(folder.resolve("sub-specs/api-spec.md"), "api");
    write(folder.resolve("sub-specs/database-schema.md"), "db");
    SpecFolder spec = SpecFolder.read(workspace, SPEC);

    assertEquals(
        Map.of("technical-spec.md", "tech"),
        spec.subSpecsNamedIn("1.2 Implement Cart per @sub-specs/technical-spec.md"));
    assertEquals(
        Map.of("api-spec.md", "api", "database-schema.md", "db"),
        spec.subSpecsNamedIn("Follow the API-Spec and the database-schema."));
    assertEquals(Map.of(), spec.subSpecsNamedIn("Write the api-specs overview"));
    assertEquals(Map.of(), spec.subSpecsNamedIn(null));
  }

  @Test
  void refusesASpecFolderThatDoesNotExist() {
    AgentOsException error =
        assertThrows(AgentOsException.class, () -> SpecFolder.read(workspace, SPEC));

    assertEquals(ErrorCode.NOT_FOUND, error.code());
    assertTrue(error.getMessage().contains("'" + SPEC + "' does not exist"), error.getMessage());
  }

  @Test
  void refusesASubSpecLinkedFromOutsideTheWorkspace(@TempDir Path elsewhere) throws IOException {
    Path secret = write(elsewhere.resolve("secret.md"), "do not read");
    Path subSpecs = Files.createDirectories(specFolder().resolve("sub-specs"));
    Files.createSymbolicLink(subSpecs.resolve("leak.md"), secret);

    AgentOsException error =
        assertThrows(AgentOsException.class, () -> SpecFolder.read(workspace, SPEC));

    assertEquals(ErrorCode.INVALID_REQUEST, error.code());
    assertTrue(error.getMessage().contains("leads outside the workspace"), error.getMessage());
  }

  private Path specFolder() throws IOException {
    return Files.createDirectories(workspace.resolve(SPEC));
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}

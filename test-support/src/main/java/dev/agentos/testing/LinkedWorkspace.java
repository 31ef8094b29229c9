package dev.agentos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A workspace and a folder beside it, for tests of links that lead out of the workspace: the folder
 * outside holds what must never be read or written through a link.
 */
public record LinkedWorkspace(Path workspace, Path outside) {

  /** {@code temp/ws} and {@code temp/outside}, both created. */
  public static LinkedWorkspace under(Path temp) {
    try {
      return new LinkedWorkspace(
          Files.createDirectories(temp.resolve("ws")),
          Files.createDirectories(temp.resolve("outside")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} to {@code name} in the folder outside. */
  public Path outsideFile(String name, String text) throws IOException {
    return Files.writeString(outside.resolve(name), text);
  }

  /** Links {@code relative} in the workspace to {@code target}, creating its folders. */
  public Path link(String relative, Path target) throws IOException {
    Path link = workspace.resolve(relative);
    Files.createDirectories(link.getParent());
    return Files.createSymbolicLink(link, target);
  }
}

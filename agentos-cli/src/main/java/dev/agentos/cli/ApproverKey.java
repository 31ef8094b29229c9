package dev.agentos.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * An approver's nkey seed, read from the file {@code --nkey} names: the first line starting {@code
 * SU} (an {@code nk -gen user} file, or a {@code .creds} file's seed block). A file that others may
 * read is refused, as ssh refuses such a key.
 */
final class ApproverKey {
  private ApproverKey() {}

  static char[] read(Path file) {
    try {
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.contains(PosixFilePermission.GROUP_READ)
            || mode.contains(PosixFilePermission.OTHERS_READ)) {
          throw CliException.setup(
              "the nkey seed "
                  + file
                  + " may be read by others; make it private: chmod 600 "
                  + file);
        }
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String trimmed = line.trim();
        if (trimmed.startsWith("SU")) {
          return trimmed.toCharArray();
        }
      }
    } catch (IOException e) {
      throw CliException.setup("cannot read the nkey seed " + file + ": " + e.getMessage());
    }
    throw CliException.setup(
        file + " holds no user nkey seed (a line starting SU; make one with `nk -gen user`)");
  }
}

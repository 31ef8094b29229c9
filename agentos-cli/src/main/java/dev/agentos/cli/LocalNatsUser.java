package dev.agentos.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The user and password of the nats-server {@code agentos up} starts, so that no other local user
 * can drive it: generated at first start, kept in the state dir with mode 0600 ({@code
 * nats-auth.conf}, which is also the server's included config), given to the services through their
 * environment (never their command line, which {@code ps} shows) and read by the CLI.
 */
record LocalNatsUser(String user, String password) {
  static final String USER = "agentos";
  static final String FILE = "nats-auth.conf";

  /** The state dir's user, made (0600) if there is none yet. */
  static LocalNatsUser ensure(Path stateDir) {
    Optional<LocalNatsUser> existing = read(stateDir);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    LocalNatsUser made = new LocalNatsUser(USER, "p" + HexFormat.of().formatHex(random));
    Path file = stateDir.resolve(FILE);
    try {
      Files.createDirectories(stateDir);
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          file,
          "# agentos up: the only user of this local nats-server (mode 0600)\n"
              + "authorization {\n  user: "
              + made.user()
              + "\n  password: \""
              + made.password()
              + "\"\n}\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException | UnsupportedOperationException e) {
      throw CliException.setup("cannot write " + file + ": " + e.getMessage());
    }
    return made;
  }

  /** The user of a local nats-server started by {@code agentos up} in {@code stateDir}, if any. */
  static Optional<LocalNatsUser> read(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String user = null;
      String password = null;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String t = line.strip();
        if (t.startsWith("user:")) {
          user = t.substring(5).strip();
        } else if (t.startsWith("password:")) {
          password = t.substring(9).strip().replace("\"", "");
        }
      }
      return user == null || password == null
          ? Optional.empty()
          : Optional.of(new LocalNatsUser(user, password));
    } catch (IOException e) {
      throw CliException.setup("cannot read " + file + ": " + e.getMessage());
    }
  }

  static Path file(Path stateDir) {
    return stateDir.resolve(FILE);
  }

  List<String> serviceEnvironment() {
    return List.of("AGENTOS_NATS_USER=" + user, "AGENTOS_NATS_PASSWORD=" + password);
  }
}

package dev.agentos.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real git remote for tests: {@code git daemon} with push enabled on 127.0.0.1 serving bare
 * repositories from a temp dir no service shares, so every service reaches it over the network
 * only, as it would a team's remote.
 */
public final class GitRemote implements AutoCloseable {
  private final Path base;
  private final int port;
  private final Process daemon;

  private GitRemote(Path base, int port, Process daemon) {
    this.base = base;
    this.port = port;
    this.daemon = daemon;
  }

  public static GitRemote start() throws IOException {
    Path base = Files.createTempDirectory("agentos-git-remote-");
    int port = FreePort.pick();
    Process daemon =
        new ProcessBuilder(
                "git",
                "daemon",
                "--enable=receive-pack",
                "--base-path=" + base,
                "--export-all",
                "--reuseaddr",
                "--listen=127.0.0.1",
                "--port=" + port,
                base.toString())
            .redirectErrorStream(true)
            .redirectOutput(base.resolveSibling(base.getFileName() + ".log").toFile())
            .start();
    GitRemote remote = new GitRemote(base, port, daemon);
    try {
      Await.until(Duration.ofSeconds(20), "git daemon to listen on " + port, remote::listening);
    } catch (RuntimeException | Error e) {
      remote.close();
      throw e;
    }
    return remote;
  }

  private boolean listening() {
    if (!daemon.isAlive()) {
      throw new IllegalStateException("git daemon exited with " + daemon.exitValue());
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A bare repository {@code name}.git whose {@code main} holds {@code files} (path to content) in
   * one commit; returns its URL.
   */
  public String create(String name, Map<String, String> files) throws IOException {
    Path seed = Files.createTempDirectory("agentos-git-seed-");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = seed.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    return createFrom(name, seed);
  }

  /** A bare repository {@code name}.git whose {@code main} holds the files of {@code seed}. */
  public String createFrom(String name, Path seed) {
    Path bare = base.resolve(name + ".git");
    run(base, "init", "-q", "--bare", "-b", "main", bare.toString());
    run(seed, "init", "-q", "-b", "main");
    run(seed, "add", "-A");
    commit(seed, "initial commit");
    run(seed, "push", "-q", bare.toString(), "main");
    return url(name);
  }

  /** The port {@code git daemon} listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  public String url(String name) {
    return "git://127.0.0.1:" + port + "/" + name + ".git";
  }

  /** Runs git in repository {@code name}'s bare directory and returns its output. */
  public String git(String name, String... args) {
    return run(base.resolve(name + ".git"), args);
  }

  /** A clone of {@code name} at {@code branch} in a new temp dir, to change and push from. */
  public Path cloneOf(String name, String branch) throws IOException {
    Path dir = Files.createTempDirectory("agentos-git-clone-");
    run(dir, "clone", "-q", "-b", branch, base.resolve(name + ".git").toString(), ".");
    return dir;
  }

  /** Commits everything in {@code clone} as a person would. */
  public static String commit(Path clone, String message) {
    run(clone, "add", "-A");
    run(
        clone,
        "-c",
        "user.name=A Person",
        "-c",
        "user.email=person@example.com",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        message);
    return run(clone, "rev-parse", "HEAD");
  }

  /** Runs git in {@code dir} with no outside configuration; fails the test when git fails. */
  public static String run(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
      builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
      builder.environment().put("GIT_TERMINAL_PROMPT", "0");
      Process p = builder.start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "git " + String.join(" ", args) + " failed in " + dir + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    daemon.descendants().forEach(ProcessHandle::destroyForcibly);
    daemon.destroyForcibly();
    try {
      daemon.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

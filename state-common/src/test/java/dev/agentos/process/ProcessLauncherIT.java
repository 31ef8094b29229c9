package dev.agentos.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.testing.Await;
import dev.agentos.testing.Interrupts;
import dev.agentos.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes through the launcher: environment, git safety, deadlines and cancels. */
class ProcessLauncherIT {
  private static final Duration GIT_DEADLINE = Duration.ofSeconds(2);

  /** The deadline plus the kill and drain grace, with room for a loaded two-core machine. */
  private static final Duration ENDS_WITHIN = Duration.ofSeconds(10);

  @TempDir Path dir;
  private ServerSocket silent;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void silentRemote() throws IOException {
    // Accepts every connection and never says a word: a git remote that hangs.
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!silent.isClosed()) {
                try {
                  held.add(silent.accept());
                } catch (IOException e) {
                  return;
                }
              }
            },
            "silent-remote");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void close() throws IOException {
    silent.close();
    for (Socket socket : held) {
      socket.close();
    }
  }

  private String remote(String scheme) {
    return scheme + "://127.0.0.1:" + silent.getLocalPort() + "/x";
  }

  @Test
  void childrenGetOnlyTheBaseTheAllowedAndTheCallersVariables() throws Exception {
    ProcessLauncher launcher =
        new ProcessLauncher(
                ProcessLimits.DEFAULT,
                Map.of(
                    "PATH", System.getenv("PATH"),
                    "HOME", dir.toString(),
                    "NATS_PASSWORD", "nats-secret-1",
                    "OPENAI_API_KEY", "sk-secret-2",
                    "PROFILE_KEY", "profile-value"))
            .allowedEnv(Set.of("PROFILE_KEY"));
    Finished run =
        launcher.run(
            Launch.of(List.of("sh", "-c", "env; test -d \"$TMPDIR\" && echo tmp-ok"), dir, secs(10))
                .withEnvironment(Map.of("AGENTOS_CYCLE_ID", "c-1")));
    String out = run.stdout().text();
    assertTrue(run.succeeded(), run + " " + out);
    assertTrue(out.contains("PROFILE_KEY=profile-value"), out);
    assertTrue(out.contains("AGENTOS_CYCLE_ID=c-1"), out);
    assertTrue(out.contains("tmp-ok"), out);
    assertFalse(out.contains("nats-secret-1") || out.contains("sk-secret-2"), out);
    String tmp = out.lines().filter(l -> l.startsWith("TMPDIR=")).findFirst().orElseThrow();
    assertFalse(Files.exists(Path.of(tmp.substring("TMPDIR=".length()))), "TMPDIR is removed");
  }

  @Test
  void gitRunsWithoutHooksPromptsOrGlobalConfiguration() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = From Global\n");
    ProcessLauncher launcher =
        new ProcessLauncher(
            ProcessLimits.DEFAULT, Map.of("PATH", System.getenv("PATH"), "HOME", home.toString()));
    Path repo = Files.createDirectories(dir.resolve("repo"));
    assertTrue(launcher.git(repo, secs(20), List.of("init", "-q")).succeeded());
    Path marker = dir.resolve("hook-ran");
    Path hooks = Files.createDirectories(repo.resolve(".hooks"));
    Path hook = hooks.resolve("pre-commit");
    Files.writeString(hook, "#!/bin/sh\ntouch " + marker + "\n");
    assertTrue(hook.toFile().setExecutable(true));
    assertTrue(
        launcher.git(repo, secs(20), List.of("config", "core.hooksPath", ".hooks")).succeeded());
    Files.writeString(repo.resolve("a.txt"), "a");
    launcher.git(repo, secs(20), List.of("add", "-A"));
    Finished commit =
        launcher.git(
            repo,
            secs(20),
            List.of("-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "-qm", "c"));
    assertTrue(commit.succeeded(), commit.stdout().text());
    assertFalse(Files.exists(marker), "the repository's pre-commit hook must not run");
    Finished name = launcher.git(repo, secs(20), List.of("config", "user.name"));
    assertEquals("", name.stdout().text().strip(), "the global ~/.gitconfig must not be read");
    Finished env = launcher.run(Launch.of(List.of("env"), repo, secs(10)));
    assertFalse(env.stdout().text().contains("GIT_TERMINAL_PROMPT"), "only git runs get git's");
  }

  @Test
  void gitAgainstARemoteThatNeverAnswersEndsAtItsDeadline() {
    for (String scheme : List.of("git", "http")) {
      long started = System.nanoTime();
      Finished run =
          ProcessLauncher.standard().git(dir, GIT_DEADLINE, List.of("ls-remote", remote(scheme)));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(run.timedOut(), scheme + ": " + run.stdout().text());
      assertTrue(took.compareTo(ENDS_WITHIN) < 0, scheme + " took " + took);
      assertTrue(took.compareTo(GIT_DEADLINE) >= 0, scheme + " ended early: " + took);
      Await.until(secs(5), "no git of " + scheme + " left", () -> gitsFor(scheme).isEmpty());
    }
  }

  @Test
  void cancellingGitAgainstASilentRemoteKillsItAtOnce() {
    int before = held.size();
    AgentOsException cancelled =
        cancelWhen(
            () -> held.size() > before,
            () ->
                ProcessLauncher.standard()
                    .git(dir, secs(600), List.of("ls-remote", remote("git"))));
    assertEquals(ErrorCode.CANCELLED, cancelled.code());
    Await.until(secs(5), "no git left", () -> gitsFor("git").isEmpty());
  }

  @Test
  void aCheckThatLeavesADaemonBehindReturnsAndTheDaemonIsKilled() {
    long started = System.nanoTime();
    Finished run =
        ProcessLauncher.standard()
            .run(
                Launch.of(
                        List.of("bash", "-c", "sleep 1000 & echo $! > bg.pid; echo checked"),
                        dir,
                        secs(60))
                    .mergingStderr());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(ENDS_WITHIN) < 0);
    assertEquals("checked", run.stdout().text().strip());
    assertEquals(0, run.exitCode());
    Processes.awaitGone(Processes.pidIn(dir.resolve("bg.pid"), secs(1)), secs(5));
  }

  @Test
  void aFailingChildsExitStatusAndOutputAreReportedAndItsBackgroundIsKilled() {
    Finished run =
        ProcessLauncher.standard()
            .run(
                Launch.of(
                        List.of(
                            "bash", "-c", "sleep 1000 & echo $! > bg.pid; echo failing; exit 7"),
                        dir,
                        secs(60))
                    .mergingStderr());

    assertEquals(7, run.exitCode());
    assertEquals("failing", run.stdout().text().strip());
    Processes.awaitGone(Processes.pidIn(dir.resolve("bg.pid"), secs(1)), secs(5));
  }

  @Test
  void aProgramThatIsNotOnThePathIsAClearError() {
    AgentOsException missing =
        org.junit.jupiter.api.Assertions.assertThrows(
            AgentOsException.class,
            () ->
                ProcessLauncher.standard()
                    .run(Launch.of(List.of("no-such-agent-cli"), dir, secs(5))));
    assertEquals(ErrorCode.AGENT_UNAVAILABLE, missing.code());
    assertTrue(missing.getMessage().contains("no-such-agent-cli"), missing.getMessage());
  }

  private List<ProcessHandle> gitsFor(String scheme) {
    String target = remote(scheme);
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().map(c -> c.contains(target)).orElse(false))
        .filter(h -> Processes.running(h.pid()))
        .toList();
  }

  /** Runs {@code call} on a thread, interrupts it once {@code started}, returns what it threw. */
  static AgentOsException cancelWhen(Supplier<Boolean> started, Runnable call) {
    Interrupts.Cancelled cancelled =
        Interrupts.interruptOnceStarted(
            () -> Await.until(secs(20), "the child to start", started::get), call, ENDS_WITHIN);
    assertTrue(cancelled.took().compareTo(Duration.ofSeconds(6)) < 0, "took " + cancelled.took());
    assertTrue(cancelled.flagStillSet(), "the interrupt flag stays set for the caller's caller");
    return assertInstanceOf(AgentOsException.class, cancelled.thrown());
  }

  private static Duration secs(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}

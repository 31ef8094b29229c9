package dev.agentos.bench;

import dev.agentos.git.GitCheckouts;
import dev.agentos.git.GitCredentials;
import dev.agentos.git.GitSettings;
import dev.agentos.process.ProcessLauncher;
import dev.agentos.state.CycleState;
import dev.agentos.state.GitRef;
import dev.agentos.state.Workspace;
import dev.agentos.testing.GitRemote;
import dev.agentos.worker.PhaseWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * {@code bin/bench --git}: what a git workspace costs. A repository of {@code --size-mb} MB of
 * incompressible files is served by {@code git daemon} on 127.0.0.1; a cache dir plays one role
 * process. Measured: the first checkout (a full fetch), making the cached repository ready for a
 * phase (fetch of the cycle branch + checkout at the recorded head), and a step's commit and push;
 * beside them, in the same run, what every step already costs in a local path on the same tree: the
 * {@code git status} before and after it that measures what the step changed.
 */
public final class GitWorkspaceBench {
  private GitWorkspaceBench() {}

  public static void main(String[] args) throws Exception {
    int sizeMb = 100;
    int rounds = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--git" -> {}
        case "--size-mb" -> sizeMb = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: bin/bench --git [--size-mb N] [--rounds N]");
          System.exit(2);
        }
      }
    }
    try (GitRemote remote = GitRemote.start()) {
      long made = System.nanoTime();
      String url = remote.createFrom("big", seed(sizeMb));
      Duration seeding = Duration.ofNanos(System.nanoTime() - made);
      // As hosted remotes do: the cache's first clone is then a partial one (blob:none).
      remote.git("big", "config", "uploadpack.allowFilter", "true");
      Path cache = Files.createTempDirectory("agentos-bench-git-");
      GitCheckouts checkouts =
          new GitCheckouts(
              new GitSettings(
                  cache, Duration.ofMinutes(5), Duration.ofMinutes(5), GitCredentials.none()),
              ProcessLauncher.standard());

      long first = System.nanoTime();
      String head;
      Path tree;
      try (PhaseWorkspace ws = checkouts.open(cycle(url, null))) {
        head = ws.createdHead().orElseThrow();
        tree = ws.directory();
      }
      Duration clone = Duration.ofNanos(System.nanoTime() - first);

      List<Duration> ready = new ArrayList<>();
      List<Duration> step = new ArrayList<>();
      List<Duration> measured = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        long t0 = System.nanoTime();
        PhaseWorkspace ws = checkouts.open(cycle(url, head));
        ready.add(Duration.ofNanos(System.nanoTime() - t0));

        long t1 = System.nanoTime();
        status(ws.directory());
        Files.writeString(ws.directory().resolve("step-" + round + ".txt"), "round " + round);
        status(ws.directory());
        measured.add(Duration.ofNanos(System.nanoTime() - t1));

        long t2 = System.nanoTime();
        head = ws.commit("agentos: bench step " + round).orElseThrow();
        step.add(Duration.ofNanos(System.nanoTime() - t2));
      }
      System.out.printf(
          "| git workspace, %d MB repository (%s), %d rounds | p50 | p90 |%n|---|---|---|%n",
          sizeMb, tree.getFileName(), rounds);
      System.out.printf("| seeding the remote (not Agent OS) | %s | |%n", ms(seeding));
      System.out.printf(
          "| first checkout into an empty cache (partial clone + checkout) | %s | |%n", ms(clone));
      row("cached repository ready for a phase (fetch + checkout)", ready);
      row("a step's commit + push (what git adds per step)", step);
      row("a step's change measurement, paid by local paths too", measured);
    }
  }

  private static void status(Path dir) {
    ProcessLauncher.standard()
        .git(dir, Duration.ofMinutes(1), List.of("status", "--porcelain=v1", "-z", "-uall"));
  }

  private static void row(String what, List<Duration> values) {
    List<Duration> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    System.out.printf(
        "| %s | %s | %s |%n",
        what,
        ms(sorted.get(sorted.size() / 2)),
        ms(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1))));
  }

  private static String ms(Duration d) {
    return d.toMillis() + " ms";
  }

  /** {@code sizeMb} MB of random text in 1 MB files under 10 folders. */
  private static Path seed(int sizeMb) throws IOException {
    Path seed = Files.createTempDirectory("agentos-bench-seed-");
    Random random = new Random(42);
    byte[] bytes = new byte[768 * 1024]; // 1 MiB once base64-encoded
    for (int i = 0; i < sizeMb; i++) {
      random.nextBytes(bytes);
      Path file = seed.resolve("data-" + (i % 10)).resolve("blob-" + i + ".txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, Base64.getEncoder().encodeToString(bytes));
    }
    return seed;
  }

  private static CycleState cycle(String url, String head) {
    Instant now = Instant.now();
    return new CycleState.Builder()
        .cycleId("bench-git")
        .project("bench")
        .goal("bench")
        .workspace(
            new Workspace(null, new GitRef(url, "main", null, "agentos/bench-git", head), null))
        .createdAt(now)
        .updatedAt(now)
        .build();
  }
}

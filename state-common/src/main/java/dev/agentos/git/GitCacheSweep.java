package dev.agentos.git;

import dev.agentos.concurrent.Periodic;
import dev.agentos.state.CycleState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Keeps this process's git cache bounded. The process that ends a cycle removes the cycle's
 * worktree at once ({@link #cycleEnded}); a periodic sweep removes the worktrees of cycles other
 * processes ended (or that are gone), anything unused for {@code maxAge}, and, while the cache is
 * larger than {@code maxBytes}, the least recently used idle worktrees and then repositories. A
 * worktree a phase works in is never removed; the cache is only a cache: a later phase clones or
 * checks out again.
 */
public final class GitCacheSweep implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GitCacheSweep.class);

  /**
   * @param maxAge a worktree or repository unused this long is removed
   * @param maxBytes the cache's size above which the least recently used is removed
   * @param interval how often the sweep runs
   * @param maxLookups at most this many cycles are looked up per sweep (the rest wait a sweep)
   */
  public record Limits(Duration maxAge, long maxBytes, Duration interval, int maxLookups) {
    public static Limits defaults() {
      return new Limits(Duration.ofDays(7), 20L << 30, Duration.ofMinutes(10), 500);
    }
  }

  /** What one sweep removed, and the cache's size after it. */
  public record Report(int worktrees, int repositories, long bytes) {}

  private final GitCheckouts checkouts;
  private final Predicate<String> ended;
  private final Limits limits;
  private final Clock clock;
  private volatile Periodic timer;

  /**
   * @param ended whether a cycle has ended or is gone (looked up in the cycle store)
   */
  public GitCacheSweep(
      GitCheckouts checkouts, Predicate<String> ended, Limits limits, Clock clock) {
    this.checkouts = checkouts;
    this.ended = ended;
    this.limits = limits;
    this.clock = clock;
  }

  /** The ended cycle's worktree goes now (or when the phase in it lets go). */
  public void cycleEnded(CycleState state) {
    if (state.status().isFinal() && state.workspace() != null && state.workspace().git() != null) {
      checkouts.discard(state.workspace().git().url(), state.cycleId());
    }
  }

  public void start() {
    timer =
        Periodic.start(
            "agentos-git-cache-sweep",
            limits.interval(),
            this::sweepAndLog,
            e ->
                LOG.warnf(
                    "git cache sweep failed, next one in %s: %s",
                    limits.interval(), e.getMessage()));
  }

  @Override
  public void close() {
    Periodic running = timer;
    if (running != null) {
      running.close();
    }
  }

  private void sweepAndLog() {
    Report report = sweep();
    if (report.worktrees() + report.repositories() > 0) {
      LOG.infof(
          "git cache: removed %d worktree(s) and %d repositories; %d bytes left",
          report.worktrees(), report.repositories(), report.bytes());
    }
  }

  /** One sweep. */
  public Report sweep() {
    Path work = checkouts.settings().cacheDir().resolve("work");
    Path repos = checkouts.settings().cacheDir().resolve("repos");
    Instant stale = clock.instant().minus(limits.maxAge());
    int worktrees = 0;
    int repositories = 0;
    int lookups = 0;
    for (Path worktree : children(work, true)) {
      String key = worktree.getParent().getFileName().toString();
      if (checkouts.inUse(worktree)) {
        continue;
      }
      boolean old = usedBefore(worktree, stale);
      if (!old && lookups++ >= limits.maxLookups()) {
        continue;
      }
      if ((old || endedOrGone(StepCheckout.cycleOf(worktree.getFileName().toString())))
          && checkouts.removeIfIdle(key, worktree)) {
        worktrees++;
      }
    }
    for (Path repo : children(repos, false)) {
      String key = repo.getFileName().toString().replaceFirst("\\.git$", "");
      if (usedBefore(repo, stale)
          && children(work.resolve(key), false).isEmpty()
          && checkouts.removeRepositoryIfIdle(key)) {
        repositories++;
      }
    }
    long bytes = CacheFiles.size(checkouts.settings().cacheDir());
    if (bytes > limits.maxBytes()) {
      List<Path> idle = new ArrayList<>(children(work, true));
      idle.removeIf(checkouts::inUse);
      idle.sort(Comparator.comparing(GitCacheSweep::lastUsed));
      for (Path worktree : idle) {
        if (bytes <= limits.maxBytes()) {
          break;
        }
        long size = CacheFiles.size(worktree);
        if (checkouts.removeIfIdle(worktree.getParent().getFileName().toString(), worktree)) {
          worktrees++;
          bytes -= size;
        }
      }
      List<Path> byAge = new ArrayList<>(children(repos, false));
      byAge.sort(Comparator.comparing(GitCacheSweep::lastUsed));
      for (Path repo : byAge) {
        if (bytes <= limits.maxBytes()) {
          break;
        }
        String key = repo.getFileName().toString().replaceFirst("\\.git$", "");
        long size = CacheFiles.size(repo) + CacheFiles.size(work.resolve(key));
        if (checkouts.removeRepositoryIfIdle(key)) {
          repositories++;
          bytes -= size;
        }
      }
    }
    return new Report(worktrees, repositories, bytes);
  }

  private boolean endedOrGone(String cycleId) {
    try {
      return ended.test(cycleId);
    } catch (RuntimeException e) {
      return false; // the store cannot say now: keep it for the next sweep
    }
  }

  private static boolean usedBefore(Path path, Instant stale) {
    return lastUsed(path).isBefore(stale);
  }

  private static Instant lastUsed(Path path) {
    try {
      return Files.getLastModifiedTime(path).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  /** The folders in {@code dir}, or (nested) the folders in each of its folders. */
  private static List<Path> children(Path dir, boolean nested) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    try (Stream<Path> level = Files.list(dir)) {
      for (Path child : level.filter(Files::isDirectory).toList()) {
        if (nested) {
          found.addAll(children(child, false));
        } else {
          found.add(child);
        }
      }
    } catch (IOException e) {
      LOG.debugf("could not list %s: %s", dir, e.getMessage());
    }
    return found;
  }
}

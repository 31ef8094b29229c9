package dev.agentos.process;

import dev.agentos.concurrent.DaemonThreads;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The one way Agent OS starts a child process — agents, Review's checks and git alike.
 *
 * <ul>
 *   <li>The child gets a {@linkplain ChildEnvironment minimal environment}, never the service's
 *       secrets, and a fresh TMPDIR that is deleted after the run.
 *   <li>It runs in a session and process group of its own ({@code setsid}), behind a plain {@code
 *       sh} whose environment is as clean as its own: the process an agent sees as its parent holds
 *       no secret either.
 *   <li>Standard input is fed from a thread of its own, so a child that never reads it cannot block
 *       the caller; output is read as it comes and kept as a bounded head and tail.
 *   <li>Every wait has a deadline. At the timeout, on an interrupt of the calling thread, and after
 *       a normal exit (for what it left running in the background) the whole process group is
 *       killed with SIGKILL.
 *   <li>When the service stops, a shutdown hook kills the group of every child still running, one
 *       being started included; a start after that is refused.
 * </ul>
 *
 * <p>The contract callers rely on: interrupting the thread inside {@link #run} kills the child's
 * whole process tree at once and {@code run} throws {@code CANCELLED} with the interrupt flag set.
 */
public final class ProcessLauncher {
  /** How long readers may take to reach the end of output once the process group is dead. */
  static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final String WRAPPER = "\"$@\"; exit $?";

  /**
   * In a group of its own, the wrapper ends the run itself: it writes the child's exit status to
   * the file given as its first argument, then SIGKILLs its whole process group (itself and what
   * the child left running) with the shell's own {@code kill}. The caller then needs neither a
   * {@code kill} process nor a walk of /proc per run — the cost of every agent step and git call.
   */
  private static final String SELF_KILLING_WRAPPER =
      "f=$1; shift; \"$@\"; echo $? > \"$f\"; kill -9 0";

  private static final int PUMP_CHUNK_BYTES = 16 * 1024;

  private static final Optional<Path> SETSID = onPath("setsid", System.getenv("PATH"));
  private static final Optional<Path> KILL = onPath("kill", System.getenv("PATH"));

  // Each run needs up to three threads at once (stdin, stdout, stderr); the common pool has one
  // thread on two cores, and a blocked pipe must not starve anybody else.
  private static final ExecutorService IO =
      Executors.newCachedThreadPool(DaemonThreads.named("agentos-child-io"));

  /** What {@link #standard()} launchers keep; the service sets it once from its config. */
  private static volatile ProcessLimits serviceLimits = ProcessLimits.DEFAULT;

  /** Null: the {@linkplain #useLimits service's limits} at the time of each run. */
  private final ProcessLimits limits;

  private final ChildEnvironment environment;

  /**
   * Children running now. Their own session keeps them out of the service's process group, so a
   * service that stops would leave them running: a shutdown hook kills their groups.
   */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  /**
   * A child runs, and may fork, before {@code ProcessBuilder.start} returns; on a loaded machine
   * that return can come tens of milliseconds later. Starts hold the read side from before the
   * start until the child is in {@link #RUNNING}, and the shutdown hook takes the write side, so it
   * never copies the set while a started child is still missing from it.
   */
  private static final ReentrantReadWriteLock STARTS = new ReentrantReadWriteLock();

  /** Set by the shutdown hook; a child started after it would outlive the service. */
  private static boolean stopping; // guarded by STARTS

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ProcessLauncher::killAllOnShutdown, "agentos-child-reaper"));
  }

  public ProcessLauncher(ProcessLimits limits, Map<String, String> serviceEnvironment) {
    this(limits, new ChildEnvironment(serviceEnvironment, Set.of()));
  }

  private ProcessLauncher(ProcessLimits limits, ChildEnvironment environment) {
    this.limits = limits;
    this.environment = environment;
  }

  /** The service's limits, the service's own environment as the source of allowed variables. */
  public static ProcessLauncher standard() {
    return new ProcessLauncher(null, new ChildEnvironment(System.getenv(), Set.of()));
  }

  /**
   * Sets the limits of every {@link #standard()} launcher, from {@code agentos.process.*}; a role
   * service calls it once as it starts.
   */
  public static void useLimits(ProcessLimits limits) {
    serviceLimits = limits;
  }

  /**
   * A launcher that also passes these variables of the service's environment (an agent profile's
   * API key, say) to its children. Only names are given: the values stay where the operator put
   * them.
   */
  public ProcessLauncher allowedEnv(Set<String> names) {
    return new ProcessLauncher(limits, environment.allowing(names));
  }

  public ProcessLauncher withLimits(ProcessLimits newLimits) {
    return new ProcessLauncher(newLimits, environment);
  }

  public ProcessLimits limits() {
    return limits != null ? limits : serviceLimits;
  }

  /**
   * Runs git with prompts, hooks, system and global configuration off: a repository's or the
   * machine's configuration cannot run code in the service, and a remote that asks for a password
   * fails instead of waiting for one. Standard error is merged into the output.
   */
  public Finished git(Path directory, Duration timeout, List<String> args) {
    return git(directory, timeout, args, Map.of());
  }

  /**
   * As {@link #git(Path, Duration, List)}, with variables of the caller's own on top of the safe
   * ones: how a git workspace hands git its credentials (an auth header through {@code
   * GIT_CONFIG_*}, an ssh command naming the key), so they never appear on a command line.
   */
  public Finished git(
      Path directory, Duration timeout, List<String> args, Map<String, String> variables) {
    List<String> command = new ArrayList<>(GitSafety.PREFIX);
    command.addAll(args);
    Map<String, String> env = new java.util.HashMap<>(GitSafety.environment(environment.allowed()));
    env.putAll(variables);
    return run(Launch.of(command, directory, timeout).withEnvironment(env).mergingStderr());
  }

  /**
   * Runs the child to its end, its timeout or a cancel.
   *
   * @throws AgentOsException AGENT_UNAVAILABLE when the program cannot be found or started;
   *     CANCELLED when the calling thread is interrupted (its process group is killed first)
   */
  public Finished run(Launch launch) {
    return run(launch, null);
  }

  /**
   * The same, handing each line of standard output to {@code stdoutLines} as it comes (on a reader
   * thread), besides capturing it as {@link #run(Launch)} does; null: no listener.
   */
  public Finished run(Launch launch, Consumer<String> stdoutLines) {
    Map<String, String> env;
    Path tmp;
    try {
      tmp = Files.createTempDirectory("agentos-child-");
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          "cannot create a temporary directory for '" + launch.program() + "': " + e.getMessage(),
          e);
    }
    try {
      env = environment.build(tmp, launch.environment());
      requireProgram(launch, env.get("PATH"));
      Path exitFile = SETSID.isPresent() ? tmp.resolveSibling(tmp.getFileName() + ".exit") : null;
      ProcessBuilder builder =
          new ProcessBuilder(wrapped(launch.command(), exitFile))
              .directory(launch.directory() == null ? null : launch.directory().toFile())
              .redirectErrorStream(launch.mergeStderr());
      builder.environment().clear();
      builder.environment().putAll(env);
      long started = System.nanoTime();
      Process process = startRegistered(builder, launch);
      try {
        return supervise(process, launch, started, stdoutLines, exitFile);
      } finally {
        RUNNING.remove(process);
        if (exitFile != null) {
          ScratchFiles.deleteQuietly(exitFile);
        }
      }
    } finally {
      ScratchFiles.deleteQuietly(tmp);
    }
  }

  /**
   * Starts the child and puts it in {@link #RUNNING} as one step the shutdown hook cannot come
   * between.
   *
   * @throws AgentOsException UNAVAILABLE when the service is stopping: nothing is started
   */
  private static Process startRegistered(ProcessBuilder builder, Launch launch) {
    STARTS.readLock().lock();
    try {
      if (stopping) {
        throw new AgentOsException(
            ErrorCode.UNAVAILABLE,
            "'" + launch.program() + "' was not started: the service is stopping");
      }
      Process process = builder.start();
      RUNNING.add(process);
      return process;
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.AGENT_UNAVAILABLE,
          "cannot start '" + launch.program() + "': " + e.getMessage(),
          e);
    } finally {
      STARTS.readLock().unlock();
    }
  }

  /**
   * The shutdown hook: waits for starts under way to register their child, refuses any later start,
   * and kills the process group of every child running.
   */
  private static void killAllOnShutdown() {
    List<Process> running;
    STARTS.writeLock().lock();
    try {
      stopping = true;
      running = List.copyOf(RUNNING);
    } finally {
      STARTS.writeLock().unlock();
    }
    running.forEach(ProcessLauncher::killGroup);
  }

  private Finished supervise(
      Process process, Launch launch, long started, Consumer<String> stdoutLines, Path exitFile) {
    BoundedOutput out = new BoundedOutput(limits());
    BoundedOutput err = new BoundedOutput(limits());
    OutputLines lines = stdoutLines == null ? null : new OutputLines(stdoutLines);
    Future<?> outReader = IO.submit(() -> pump(process.getInputStream(), out, lines));
    Future<?> errReader =
        launch.mergeStderr()
            ? CompletableFuture.completedFuture(null)
            : IO.submit(() -> pump(process.getErrorStream(), err, null));
    IO.submit(() -> feed(process.getOutputStream(), launch.stdin()));
    boolean timedOut;
    OptionalInt reported = OptionalInt.empty();
    try {
      timedOut = !process.waitFor(launch.timeout().toNanos(), TimeUnit.NANOSECONDS);
      reported = timedOut ? OptionalInt.empty() : reportedStatus(exitFile);
      if (reported.isEmpty()) {
        // At a timeout this stops the child; after an exit the wrapper did not end itself (no
        // setsid), whatever the child left in the background.
        killGroup(process);
      }
      // Once the group is dead nobody holds the pipes; a process that left the group (its own
      // setsid) might, and gets a short grace before the call returns without it.
      awaitQuietly(outReader);
      awaitQuietly(errReader);
    } catch (InterruptedException e) {
      killGroup(process);
      Thread.currentThread().interrupt();
      throw new AgentOsException(
          ErrorCode.CANCELLED,
          "'" + launch.program() + "' was cancelled; its processes were killed",
          e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    int status =
        reported.isPresent()
            ? reported.getAsInt()
            : timedOut || process.isAlive() ? -1 : process.exitValue();
    return new Finished(status, out.snapshot(), err.snapshot(), elapsed, timedOut);
  }

  /**
   * Kills the child's process group, then every descendant still known, and waits for the child.
   */
  static void killGroup(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    boolean interrupted = Thread.interrupted();
    try {
      if (SETSID.isPresent() && KILL.isPresent()) {
        signalGroup(process.pid());
      }
      descendants.forEach(ProcessHandle::destroyForcibly);
      // Through the handle: Process.destroyForcibly also closes the pipes, and output the
      // readers have not taken yet would be lost.
      process.toHandle().destroyForcibly();
      process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void signalGroup(long pgid) throws InterruptedException {
    try {
      Process kill =
          new ProcessBuilder(KILL.get().toString(), "-KILL", "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      // kill could not start; the descendants walk that follows still stops the known processes
    }
  }

  private static List<String> wrapped(List<String> command, Path exitFile) {
    List<String> argv = new ArrayList<>();
    if (exitFile != null) {
      argv.addAll(
          List.of(
              SETSID.orElseThrow().toString(),
              "/bin/sh",
              "-c",
              SELF_KILLING_WRAPPER,
              "agentos-child",
              exitFile.toString()));
    } else {
      SETSID.ifPresent(setsid -> argv.add(setsid.toString()));
      argv.addAll(List.of("/bin/sh", "-c", WRAPPER, "agentos-child"));
    }
    argv.addAll(command);
    return argv;
  }

  /**
   * The exit status the self-killing wrapper wrote before it killed its group: present only when
   * the child ran to its end and the group is gone.
   */
  private static OptionalInt reportedStatus(Path exitFile) {
    if (exitFile == null) {
      return OptionalInt.empty();
    }
    try {
      String text = Files.readString(exitFile).strip();
      return text.matches("[0-9]{1,3}")
          ? OptionalInt.of(Integer.parseInt(text))
          : OptionalInt.empty();
    } catch (IOException e) {
      return OptionalInt.empty(); // killed before it could write: the caller kills the group
    }
  }

  private static void requireProgram(Launch launch, String path) {
    String program = launch.program();
    boolean found;
    if (program.contains("/")) {
      Path given = Path.of(program);
      Path resolved =
          given.isAbsolute() || launch.directory() == null
              ? given
              : launch.directory().resolve(given);
      found = Files.isRegularFile(resolved) && Files.isExecutable(resolved);
    } else {
      found = onPath(program, path).isPresent();
    }
    if (!found) {
      throw new AgentOsException(
          ErrorCode.AGENT_UNAVAILABLE,
          "cannot start '"
              + program
              + "': no such executable on the PATH child processes get ("
              + path
              + "); install it there or give its absolute path");
    }
  }

  static Optional<Path> onPath(String program, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static void awaitQuietly(Future<?> reader) throws InterruptedException {
    try {
      reader.get(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // A process outside the group still holds the pipe: return what was read so far.
    } catch (ExecutionException e) {
      // pump() handles its own I/O errors; nothing else can fail in it.
    }
  }

  private static void pump(InputStream in, BoundedOutput into, OutputLines lines) {
    // Held for the whole run by each of a child's two readers, so a service holding thousands of
    // agents at once holds thousands of these: small, as a pipe read rarely brings more.
    byte[] chunk = new byte[PUMP_CHUNK_BYTES];
    try (in) {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        into.write(chunk, 0, n);
        if (lines != null) {
          lines.write(chunk, 0, n);
        }
      }
    } catch (IOException e) {
      // The stream was closed under the reader when the process was killed: the capture is done.
    }
    if (lines != null) {
      lines.end();
    }
  }

  private static void feed(OutputStream stdin, byte[] bytes) {
    try (stdin) {
      stdin.write(bytes);
    } catch (IOException e) {
      // The child closed its input or was killed before reading it all; its exit status tells.
    }
  }
}

package dev.agentos.agent;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs a CLI agent ({@code claude -p}, {@code codex exec}, {@code aider --message}, a script) in
 * the workspace. The prompt goes to its standard input, or as its last argument; its standard
 * output is the answer. A non-zero exit is a failed call carrying the tail of standard error.
 */
public final class CommandBackend implements AgentBackend {
  /** How the prompt reaches the command. */
  public enum PromptMode {
    STDIN,
    ARGUMENT
  }

  static final int STDERR_TAIL_CHARS = 2000;

  // Each call needs two readers at once; the common pool has a single thread on two cores.
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "agentos-command-output");
            t.setDaemon(true);
            return t;
          });

  private final List<String> command;
  private final PromptMode promptMode;
  private final Map<String, String> baseEnvironment;

  public CommandBackend(
      List<String> command, PromptMode promptMode, Map<String, String> baseEnvironment) {
    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
      throw new AgentOsException(
          ErrorCode.INVALID_REQUEST,
          "the command agent has no command; set agentos.agents.<role>.command");
    }
    this.command = List.copyOf(command);
    this.promptMode = promptMode;
    this.baseEnvironment = Map.copyOf(baseEnvironment);
  }

  @Override
  public AgentResult call(AgentRequest request) {
    List<String> argv = new ArrayList<>(command);
    if (promptMode == PromptMode.ARGUMENT) {
      argv.add(request.prompt());
    }
    ProcessBuilder builder = new ProcessBuilder(argv).directory(request.workspace().toFile());
    builder.environment().putAll(baseEnvironment);
    builder.environment().putAll(request.environment());
    long started = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.AGENT_UNAVAILABLE,
          "cannot start the agent command '"
              + command.get(0)
              + "': "
              + e.getMessage()
              + "; check that it is installed and on the PATH of the service",
          e);
    }
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    feed(process, request);
    boolean exited = waitFor(process, request.timeout());
    if (!exited) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AgentOsException(
          ErrorCode.AGENT_TIMEOUT,
          "the agent command '"
              + command.get(0)
              + "' ran longer than "
              + request.timeout()
              + " and was stopped");
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String out = stdout.join();
    int status = process.exitValue();
    if (status != 0) {
      throw new AgentOsException(
          ErrorCode.AGENT_FAILED,
          "the agent command '"
              + command.get(0)
              + "' exited with "
              + status
              + ": "
              + tail(stderr.join(), STDERR_TAIL_CHARS));
    }
    return new AgentResult(out, status, new Usage(0, 0, 0, seconds), command.get(0));
  }

  @Override
  public String describe() {
    return "command " + command.get(0) + " (prompt on " + promptMode.name().toLowerCase() + ")";
  }

  private void feed(Process process, AgentRequest request) {
    try (OutputStream in = process.getOutputStream()) {
      if (promptMode == PromptMode.STDIN) {
        in.write(request.prompt().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The command closed its input early (it may not read a prompt); its exit status tells.
    }
  }

  private static boolean waitFor(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.CANCELLED, "the agent call was interrupted", e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            stream.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        READERS);
  }

  static String tail(String text, int chars) {
    String trimmed = text.strip();
    return trimmed.length() <= chars ? trimmed : "…" + trimmed.substring(trimmed.length() - chars);
  }
}

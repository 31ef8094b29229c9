package dev.agentos.process;

import dev.agentos.error.AgentOsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One child process to run.
 *
 * @param command the program and its arguments
 * @param directory its working directory
 * @param stdin what it reads on standard input (fed from a thread of its own); empty closes it
 * @param timeout how long it may run before its whole process group is killed
 * @param environment values of the caller's own, e.g. {@code AGENTOS_CYCLE_ID}
 * @param mergeStderr whether standard error goes into the same capture as standard output
 */
public record Launch(
    List<String> command,
    Path directory,
    byte[] stdin,
    Duration timeout,
    Map<String, String> environment,
    boolean mergeStderr) {

  public Launch {
    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
      throw AgentOsException.invalid("a child process needs a command; none was given");
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw AgentOsException.invalid(
          "the command '" + command.get(0) + "' needs a positive timeout, not " + timeout);
    }
    command = List.copyOf(command);
    stdin = stdin == null ? new byte[0] : stdin;
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }

  public static Launch of(List<String> command, Path directory, Duration timeout) {
    return new Launch(command, directory, null, timeout, Map.of(), false);
  }

  public Launch withStdin(byte[] input) {
    return new Launch(command, directory, input, timeout, environment, mergeStderr);
  }

  public Launch withEnvironment(Map<String, String> values) {
    return new Launch(command, directory, stdin, timeout, values, mergeStderr);
  }

  public Launch mergingStderr() {
    return new Launch(command, directory, stdin, timeout, environment, true);
  }

  /** The program's name, for messages. */
  public String program() {
    return command.get(0);
  }
}

package dev.agentos.agent;

import dev.agentos.agent.CommandBackend.PromptMode;
import dev.agentos.process.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for a role service, started as a JVM of its own by {@link CommandBackendLimitsIT} with
 * secrets in its environment (as a pod gets them) and a small heap: it runs one command agent the
 * way a role does and prints what came back.
 *
 * <ul>
 *   <li>{@code env <workspace>}: the agent prints its environment and its parent's; the probe then
 *       waits for its standard input to close, so the test can look at the probe's own environ.
 *   <li>{@code flood <workspace>}: the agent prints 1 GiB; the probe prints the answer's size and
 *       the heap it used.
 *   <li>{@code hang <workspace>}: the agent and a child of its own run until the probe is stopped.
 * </ul>
 */
public final class AgentServiceProbe {
  static final String PROFILE_KEY = "PROFILE_API_KEY";
  static final String END = "---probe-end---";

  private AgentServiceProbe() {}

  public static void main(String[] args) throws Exception {
    Path workspace = Path.of(args[1]);
    if (args[0].equals("env")) {
      CommandBackend agent =
          new CommandBackend(
              List.of("sh", "-c", "env; echo ---parent---; tr '\\0' '\\n' < /proc/$PPID/environ"),
              PromptMode.STDIN,
              Map.of(),
              ProcessLauncher.standard().allowedEnv(Set.of(PROFILE_KEY)));
      System.out.println(agent.call(request(workspace, Duration.ofSeconds(30))).text());
      System.out.println(END);
      System.out.flush();
      System.in.read();
    } else if (args[0].equals("hang")) {
      CommandBackend agent =
          new CommandBackend(
              List.of("sh", "-c", "echo $$ > agent.pid; sleep 1000 & echo $! > bg.pid; wait"),
              PromptMode.STDIN,
              Map.of(),
              ProcessLauncher.standard());
      agent.call(request(workspace, Duration.ofSeconds(600)));
    } else {
      CommandBackend agent =
          new CommandBackend(
              List.of("head", "-c", Long.toString(1L << 30), "/dev/zero"),
              PromptMode.STDIN,
              Map.of(),
              ProcessLauncher.standard());
      AgentResult result = agent.call(request(workspace, Duration.ofSeconds(120)));
      Runtime runtime = Runtime.getRuntime();
      System.gc();
      System.out.println(
          "chars="
              + result.text().length()
              + " middle-dropped="
              + result.text().contains("[" + ((1L << 30) - (2L << 20)) + " bytes left out]")
              + " used="
              + (runtime.totalMemory() - runtime.freeMemory())
              + " max="
              + runtime.maxMemory());
      System.out.println(END);
    }
  }

  private static AgentRequest request(Path workspace, Duration timeout) {
    return new AgentRequest("executor", "the prompt", workspace, timeout, Map.of());
  }
}

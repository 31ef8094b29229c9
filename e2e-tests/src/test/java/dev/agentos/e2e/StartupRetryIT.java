package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.testing.ServiceProcess;
import dev.agentos.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service whose start fails part-way tries again from nothing: each start-up part is made to fail
 * once (a test hook), and after the retries the process runs every part exactly once — one
 * registration of each micro service (counted by {@code $SRV.PING} answers), one intake loop, one
 * reconciler, one fetcher for the worker and no more phase runners than its slots (counted in a
 * thread dump of the process).
 */
class StartupRetryIT {
  private static final String PARTS = "api,intake,reconciler,enqueue,worker,role-api,store";

  @Test
  void everyStartPartThatFailsOnceIsCleanedUpAndStartedExactlyOnceAfterTheRetry() throws Exception {
    try (TestNats nats = TestNats.start();
        Connection nc = nats.connect()) {
      Path logs = Files.createTempDirectory("agentos-startup-retry-");
      ServiceProcess executor =
          ServiceProcess.start(
              "executor",
              Cluster.repoRoot().resolve("executor-service/target/quarkus-app/quarkus-run.jar"),
              Map.of(
                  "agentos.nats.servers",
                  nats.url(),
                  "agentos.start-retry",
                  "100ms",
                  "agentos.worker.concurrency",
                  "2",
                  "agentos-fault.fail-start",
                  PARTS),
              logs);
      try {
        executor.awaitReady(Cluster.READY);
        String log = Files.readString(executor.log());
        for (String part : PARTS.split(",")) {
          assertTrue(
              log.contains("test hook: starting " + part + " fails once"),
              "the start of " + part + " failed once; log: " + executor.log());
        }

        assertEquals(1, pingAnswers(nc, "agentos-api"), "one registration of the control API");
        assertEquals(1, pingAnswers(nc, "agentos-executor"), "one registration of the role's API");
        String threads = threadDump(executor.pid());
        assertEquals(1, threadsNamed(threads, "agentos-task-intake"), "one intake loop");
        assertEquals(1, threadsNamed(threads, "agentos-reconciler"), "one reconciler");
        assertEquals(1, threadsNamed(threads, "agentos-executor-worker-fetch"), "one fetcher");
        // Runners start with the first messages, one per slot at most: none beyond the two slots.
        assertEquals(0, threadsNamed(threads, "agentos-executor-worker-3"), "no third runner");
      } finally {
        executor.close();
      }
    }
  }

  /**
   * How many instances of micro service {@code name} answer a ping. Every instance answers at once;
   * the half second only bounds the wait for one that does not exist.
   */
  private static int pingAnswers(Connection nc, String name) throws Exception {
    String inbox = nc.createInbox();
    Subscription replies = nc.subscribe(inbox);
    try {
      nc.publish("$SRV.PING." + name, inbox, new byte[0]);
      nc.flush(Duration.ofSeconds(5));
      int answers = 0;
      Message reply = replies.nextMessage(Duration.ofSeconds(5));
      while (reply != null) {
        answers++;
        reply = replies.nextMessage(Duration.ofMillis(500));
      }
      return answers;
    } finally {
      replies.unsubscribe();
    }
  }

  private static String threadDump(long pid) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                "Thread.print")
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    jcmd.getInputStream().transferTo(out);
    assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS), "jcmd answered");
    String dump = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, jcmd.exitValue(), dump);
    return dump;
  }

  /** Threads whose name is exactly {@code name}: a thread dump line starts with it in quotes. */
  private static long threadsNamed(String dump, String name) {
    return Arrays.stream(dump.split("\n")).filter(l -> l.startsWith("\"" + name + "\"")).count();
  }
}

package dev.agentos.concurrent;

import java.util.concurrent.ThreadFactory;

/** The one way Agent OS makes background threads: named (for thread dumps) and daemon. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Threads called {@code name} that never keep the JVM alive on their own. */
  public static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}

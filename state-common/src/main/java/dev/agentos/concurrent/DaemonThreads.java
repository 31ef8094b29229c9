package dev.agentos.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way Agent OS makes its background threads: daemons (a stopping service never waits for
 * one), named after what they do so that a thread dump and a log line say whose they are.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Threads all named {@code name}: for an executor that makes one thread. */
  public static ThreadFactory named(String name) {
    return runnable -> daemon(runnable, name);
  }

  /** Threads named {@code name-1}, {@code name-2}, …: for a pool. */
  public static ThreadFactory numbered(String name) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> daemon(runnable, name + "-" + next.incrementAndGet());
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}

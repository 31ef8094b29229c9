package dev.agentos.service;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Starts a service's running parts in order, after everything they need was built: a part that
 * fails to start stops those already started, in reverse order, so a start that is tried again
 * begins from nothing and never registers an endpoint or a consumer loop twice.
 */
final class Startup implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Startup.class);

  /** Starts one part and returns how to stop it. */
  @FunctionalInterface
  interface Part {
    AutoCloseable start() throws Exception;
  }

  private record Named(String name, Part part) {}

  private final List<Named> parts = new ArrayList<>();
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Consumer<String> beforeEach;

  /** {@code beforeEach} is told the name of each part before it starts (a test's fault hook). */
  Startup(Consumer<String> beforeEach) {
    this.beforeEach = beforeEach;
  }

  Startup add(String name, Part part) {
    parts.add(new Named(name, part));
    return this;
  }

  /** Starts every part in order; on a failure stops what started and throws. */
  synchronized void start() throws Exception {
    for (Named named : parts) {
      try {
        beforeEach.accept(named.name());
        started.add(named.part().start());
      } catch (Exception | Error e) {
        LOG.warnf(
            "starting %s failed (%s); stopping the %d part(s) already started",
            named.name(), e.getMessage(), started.size());
        close();
        throw e;
      }
    }
  }

  /** Stops the started parts in reverse order; a part that fails to stop does not stop the rest. */
  @Override
  public synchronized void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warnf("stopping %s: %s", started.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
    started.clear();
  }
}

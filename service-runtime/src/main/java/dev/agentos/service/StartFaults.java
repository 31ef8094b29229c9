package dev.agentos.service;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A test hook that makes named start-up parts fail once each, so that a test can prove a failed
 * start is cleaned up and retried: {@code -Dagentos-fault.fail-start=api,intake,reconciler}. Off
 * unless the system property is set; production never sets it.
 */
final class StartFaults implements Consumer<String> {
  static final String FAIL_START = "agentos-fault.fail-start";
  private static final Logger LOG = Logger.getLogger(StartFaults.class);

  private final Set<String> pending = ConcurrentHashMap.newKeySet();

  StartFaults(String list) {
    if (list != null && !list.isBlank()) {
      Arrays.stream(list.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(pending::add);
      LOG.warnf("test fault hook is active: starting %s fails once each", pending);
    }
  }

  static StartFaults fromSystemProperties() {
    return new StartFaults(System.getProperty(FAIL_START));
  }

  @Override
  public void accept(String part) {
    if (pending.remove(part)) {
      throw new IllegalStateException("test hook: starting " + part + " fails once");
    }
  }
}

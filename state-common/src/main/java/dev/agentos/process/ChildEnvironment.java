package dev.agentos.process;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The environment a child process starts with: a few harmless variables of the service (PATH, HOME,
 * LANG, TERM), a fresh TMPDIR of its own, the service variables the operator allowed by name (an
 * agent profile's API key), and the caller's own values ({@code AGENTOS_CYCLE_ID}). Nothing else of
 * the service's environment — its NATS password, other profiles' keys — ever reaches it.
 */
public final class ChildEnvironment {
  /** Passed from the service when set; everything else needs an explicit allowance. */
  static final Set<String> BASE = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TERM", "TZ");

  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  private final Map<String, String> service;
  private final Set<String> allowed;

  ChildEnvironment(Map<String, String> service, Set<String> allowed) {
    this.service = Map.copyOf(service);
    this.allowed = Set.copyOf(allowed);
  }

  ChildEnvironment allowing(Set<String> names) {
    Set<String> all = new TreeSet<>(allowed);
    all.addAll(names);
    return new ChildEnvironment(service, all);
  }

  Set<String> allowed() {
    return allowed;
  }

  /** The variables for one run; {@code extra} wins over everything taken from the service. */
  Map<String, String> build(Path tmpDir, Map<String, String> extra) {
    Map<String, String> env = new TreeMap<>();
    for (String name : BASE) {
      String value = service.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putIfAbsent("PATH", DEFAULT_PATH);
    env.putIfAbsent("LANG", "C.UTF-8");
    for (String name : allowed) {
      String value = service.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putAll(extra);
    env.put("TMPDIR", tmpDir.toString());
    return env;
  }
}

package dev.agentos.worker;

import dev.agentos.state.Phase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Test hooks that let fault tests put a crash or a slow phase exactly where they want it, in a real
 * service process. Every hook is off unless its system property is set; production never sets them.
 *
 * <ul>
 *   <li>{@code agentos-fault.halt-after-commit=<phase>} (e.g. {@code execute}): the process halts
 *       with status 137, like a SIGKILL, right after the phase's commit compare-and-set and before
 *       its hand-off is published: the crash the exactly-once hand-off must survive.
 *   <li>{@code agentos-fault.phase-delay=<phase>:<duration>[,…]} (e.g. {@code express:2s}): the
 *       worker holds the claimed phase that long (heartbeats running) before it runs the logic, so
 *       a test can SIGKILL a role in the middle of a phase that is otherwise over in milliseconds.
 * </ul>
 */
public record FaultPoints(Set<Phase> haltAfterCommit, Map<Phase, Duration> delays) {
  public static final String HALT_AFTER_COMMIT = "agentos-fault.halt-after-commit";
  public static final String PHASE_DELAY = "agentos-fault.phase-delay";

  /** The exit status of a halted process: what a shell reports for a SIGKILLed one. */
  public static final int HALT_STATUS = 137;

  public static final FaultPoints NONE = new FaultPoints(Set.of(), Map.of());

  private static final Logger LOG = Logger.getLogger(FaultPoints.class);

  /** The hooks the system properties of this process ask for. */
  public static FaultPoints fromSystemProperties() {
    return parse(System.getProperty(HALT_AFTER_COMMIT), System.getProperty(PHASE_DELAY));
  }

  static FaultPoints parse(String haltAfterCommit, String phaseDelay) {
    Set<Phase> halts = EnumSet.noneOf(Phase.class);
    for (String item : items(haltAfterCommit)) {
      halts.add(phase(item));
    }
    Map<Phase, Duration> delays = new EnumMap<>(Phase.class);
    for (String item : items(phaseDelay)) {
      String[] parts = item.split(":", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            PHASE_DELAY + " holds <phase>:<duration> items, e.g. express:2s, not '" + item + "'");
      }
      delays.put(phase(parts[0]), duration(parts[1]));
    }
    FaultPoints points = new FaultPoints(Set.copyOf(halts), Map.copyOf(delays));
    if (!halts.isEmpty() || !delays.isEmpty()) {
      LOG.warnf("test fault hooks are active: %s", points);
    }
    return points;
  }

  /**
   * Halts the process if asked to for {@code phase}; call it between the commit and the hand-off.
   */
  void afterCommit(Phase phase, String cycleId) {
    if (haltAfterCommit.contains(phase)) {
      LOG.warnf("cycle=%s phase=%s test hook: halting after the commit", cycleId, phase);
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }

  /** Holds a claimed phase for the configured delay, if asked to for {@code phase}. */
  void beforeLogic(Phase phase) throws InterruptedException {
    Duration delay = delays.get(phase);
    if (delay != null) {
      Thread.sleep(delay.toMillis());
    }
  }

  private static String[] items(String list) {
    return list == null || list.isBlank() ? new String[0] : list.trim().split("\\s*,\\s*");
  }

  private static Phase phase(String text) {
    String token = text.trim().toLowerCase(Locale.ROOT);
    for (Phase phase : Phase.values()) {
      if (phase.token().equals(token) || phase.role().equals(token)) {
        return phase;
      }
    }
    throw new IllegalArgumentException("unknown phase '" + text + "' in a fault hook");
  }

  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt")) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
    }
    return Duration.parse(text.trim());
  }
}

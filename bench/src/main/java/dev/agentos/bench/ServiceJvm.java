package dev.agentos.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the bench starts the services' JVMs.
 *
 * @param options JVM options before {@code -jar}
 * @param jfrRole a role whose service records a Java Flight Recording, if any
 */
record ServiceJvm(List<String> options, Optional<String> jfrRole) {
  /**
   * What {@code agentos up} and the Kubernetes manifests run the services with: C1 only. C2 kept
   * compiling for minutes under load and took 45–57 % of a service's CPU a minute after start;
   * without it the overhead and the throughput were both better on 2 cores (docs/BENCHMARKS.md).
   */
  static final List<String> DEPLOYED = List.of("-XX:TieredStopAtLevel=1");

  ServiceJvm {
    options = List.copyOf(options);
  }

  /** Where {@code role}'s launches write their recordings, or null when it records none. */
  Path recordingDir(String role, Path logDir) {
    return jfrRole.filter(role::equals).map(r -> logDir).orElse(null);
  }
}

package dev.agentos.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** What the numbers were measured on. */
record Machine(LocalDate date, int cores, String cpu, String java, String natsServer, String os) {

  static Machine describe(String natsServerVersion) {
    return new Machine(
        LocalDate.now(ZoneOffset.UTC),
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        natsServerVersion,
        System.getProperty("os.name") + " " + System.getProperty("os.version"));
  }

  String line() {
    return date
        + " · "
        + cores
        + " cores ("
        + cpu
        + ") · "
        + java
        + " · nats-server "
        + natsServer
        + " · "
        + os;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}

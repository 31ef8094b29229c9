package dev.agentos.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away CA with a server certificate for {@code localhost}/{@code 127.0.0.1} and a client
 * certificate, made with the {@code openssl} command (Debian package openssl), valid for a day.
 * Keys are PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as nats-server and the services read
 * them.
 */
public record TestCertificates(
    Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  public static TestCertificates generate(Path dir) {
    if (!onPath("openssl")) {
      Assumptions.abort("this test needs openssl (apt-get install -y openssl) to make its CA");
    }
    try {
      Files.createDirectories(dir);
      run(
          dir,
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          "ca.key",
          "-out",
          "ca.pem",
          "-days",
          "1",
          "-subj",
          "/CN=agentos-test-ca");
      sign(
          dir,
          "server",
          "/CN=localhost",
          "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
      sign(dir, "client", "/CN=agentos-test-client", "extendedKeyUsage=clientAuth\n");
      return new TestCertificates(
          dir.resolve("ca.pem"),
          dir.resolve("server.pem"),
          dir.resolve("server.key"),
          dir.resolve("client.pem"),
          dir.resolve("client.key"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write test certificates in " + dir, e);
    }
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!d.isBlank() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  private static void sign(Path dir, String name, String subject, String extensions)
      throws IOException {
    Files.writeString(dir.resolve(name + ".ext"), extensions);
    run(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        subject);
    run(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "1",
        "-extfile",
        name + ".ext");
  }

  private static void run(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("openssl.log").toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "openssl " + String.join(" ", args) + " failed; see " + dir.resolve("openssl.log"));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run openssl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running openssl", e);
    }
  }
}

package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.e2e.cli.CliRunner;
import dev.agentos.nats.NatsTls;
import dev.agentos.testing.ServiceProcess;
import dev.agentos.testing.TestCertificates;
import dev.agentos.testing.TestNats;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Services and the CLI reach a TLS-only nats-server that verifies client certificates, with a CA
 * made for the test by openssl: the four services start with {@code agentos.nats.tls-ca|cert|key},
 * the CLI with {@code NATS_CA|CERT|KEY}, a cycle runs to COMPLETED, and a client without a
 * certificate gets nowhere. The servers' URL carries a password, which no service log shows.
 */
class TlsIT {
  private static final String URL_SECRET = "urlsecret" + System.nanoTime();

  @Test
  void servicesAndTheCliConnectToATlsOnlyServerWithATestCa() throws Exception {
    Path dir = Files.createTempDirectory("agentos-tls-");
    TestCertificates certs = TestCertificates.generate(dir.resolve("certs"));
    Path config = dir.resolve("tls.conf");
    Files.writeString(
        config,
        "tls {\n"
            + "  cert_file: \""
            + certs.serverCert()
            + "\"\n  key_file: \""
            + certs.serverKey()
            + "\"\n  ca_file: \""
            + certs.ca()
            + "\"\n  verify: true\n}\n");
    TestNats nats =
        TestNats.startWithConfig(
            config,
            Map.of(),
            o -> o.sslContext(NatsTls.context(certs.ca(), certs.clientCert(), certs.clientKey())));
    String url = nats.url().replace("nats://", "nats://agentos:" + URL_SECRET + "@");
    try (Cluster cluster =
        Cluster.start(
            nats,
            Map.of(
                "agentos.nats.servers", url,
                "agentos.nats.tls-ca", certs.ca().toString(),
                "agentos.nats.tls-cert", certs.clientCert().toString(),
                "agentos.nats.tls-key", certs.clientKey().toString()),
            Map.of())) {
      Path workspace = Workspaces.withSpec(1);
      Path state = Files.createTempDirectory("agentos-cli-state-");
      CliRunner cli =
          new CliRunner(
              Cluster.repoRoot(),
              Map.of(
                  "AGENTOS_STATE_DIR", state.toString(),
                  "NATS_URL", nats.url(),
                  "NATS_CA", certs.ca().toString(),
                  "NATS_CERT", certs.clientCert().toString(),
                  "NATS_KEY", certs.clientKey().toString()));
      CliRunner.Result submit =
          cli.run("submit", "--spec", workspace.resolve(Workspaces.SPEC).toString());
      assertEquals(0, submit.code(), submit.toString());
      String id = submit.out().strip();
      CliRunner.Result watch = cli.run("watch", id, "--timeout", "90s");
      assertEquals(0, watch.code(), watch.toString());

      CliRunner.Result noCertificate =
          new CliRunner(
                  Cluster.repoRoot(),
                  Map.of("AGENTOS_STATE_DIR", state.toString(), "NATS_URL", nats.url()))
              .run("status", id);
      assertEquals(6, noCertificate.code(), "unreachable without TLS: " + noCertificate);
      assertThrows(
          Exception.class,
          () ->
              Nats.connect(
                      Options.builder()
                          .server(nats.url())
                          .connectionTimeout(Duration.ofSeconds(3))
                          .maxReconnects(0)
                          .build())
                  .close(),
          "a plain connection is refused");

      for (ServiceProcess service : cluster.services().values()) {
        String log = Files.readString(service.log());
        assertTrue(log.contains("connecting to NATS at nats://***@127.0.0.1"), service.name());
        assertFalse(log.contains(URL_SECRET), service.name() + " logged the URL's password");
      }
    }
  }
}

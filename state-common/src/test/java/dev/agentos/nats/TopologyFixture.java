package dev.agentos.nats;

import dev.agentos.testing.TestNats;
import io.nats.client.Connection;

/** A private nats-server with every Agent OS stream, bucket and store, and a connection to it. */
public record TopologyFixture(TestNats nats, Connection nc) implements AutoCloseable {
  public static TopologyFixture start() throws Exception {
    TestNats nats = TestNats.start();
    try {
      Connection nc = nats.connect();
      Topology.ensure(nc, TopologySettings.defaults());
      return new TopologyFixture(nats, nc);
    } catch (Exception | Error e) {
      nats.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    nc.close();
    nats.close();
  }
}

package dev.agentos.cli.mcp;

import dev.agentos.cli.AgentOsClient;
import dev.agentos.cli.NatsTarget;
import io.nats.client.Connection;

/**
 * The MCP server's one connection to Agent OS, made on the first tool call rather than at start: an
 * editor starts the server with the project, and a NATS that is not up yet must not keep the tools
 * from listing. A failed or closed connection is made again on the next call.
 */
final class NatsSession implements AutoCloseable {
  private final NatsTarget target;
  private AgentOsClient client;

  NatsSession(NatsTarget target) {
    this.target = target;
  }

  /** The connected client; a CliException that names the URL when NATS cannot be reached. */
  synchronized AgentOsClient client() {
    if (client == null || client.connection().getStatus() == Connection.Status.CLOSED) {
      client = AgentOsClient.connect(target);
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}

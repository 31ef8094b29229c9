package dev.agentos.cli.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Serves tools (and resource templates) over MCP's stdio transport until the client closes standard
 * input. Standard output carries the protocol and nothing else: {@code System.out} is pointed at
 * standard error for the server's lifetime, so a stray print (ours or a library's) goes to the log,
 * never into the JSON-RPC stream.
 */
public final class McpStdio {
  private McpStdio() {}

  /** Blocks until the client hangs up; then closes the server. */
  public static void serve(
      String name,
      String version,
      String instructions,
      List<SyncToolSpecification> tools,
      List<SyncResourceTemplateSpecification> templates)
      throws InterruptedException {
    PrintStream protocol = System.out;
    System.setOut(System.err);
    CountDownLatch hungUp = new CountDownLatch(1);
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(
            McpJsonDefaults.getMapper(), new EndOfInput(System.in, hungUp), protocol);
    McpSyncServer server =
        McpServer.sync(transport)
            .serverInfo(name, version)
            .instructions(instructions)
            .capabilities(ServerCapabilities.builder().tools(false).resources(false, false).build())
            .tools(tools)
            .resourceTemplates(templates)
            .build();
    try {
      hungUp.await();
    } finally {
      server.closeGracefully();
    }
  }

  /** Standard input that says when it ends (the client closed it or went away). */
  private static final class EndOfInput extends FilterInputStream {
    private final CountDownLatch ended;

    EndOfInput(InputStream in, CountDownLatch ended) {
      super(in);
      this.ended = ended;
    }

    @Override
    public int read() throws IOException {
      return seen(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return seen(super.read(b, off, len));
    }

    private int seen(int n) {
      if (n < 0) {
        ended.countDown();
      }
      return n;
    }
  }
}

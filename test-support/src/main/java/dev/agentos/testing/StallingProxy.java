package dev.agentos.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a server (a {@code git daemon}, say) that can be told to
 * stop answering: while stalled it accepts connections and holds them without a byte, as a remote
 * that hangs does; once it answers again, the held connections are closed and new ones are passed
 * through.
 */
public final class StallingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean stalled;
  private volatile int stalledConnections;

  public StallingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "stalling-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** From now on, connections are accepted and never answered. */
  public void stall() {
    stalled = true;
  }

  /** Answers again: held connections are closed, new ones reach the server. */
  public void answer() {
    stalled = false;
    for (Socket socket : held) {
      closeQuietly(socket);
    }
    held.clear();
  }

  /** How many connections were held unanswered so far. */
  public int stalledConnections() {
    return stalledConnections;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (stalled) {
          held.add(client);
          stalledConnections++;
        } else {
          forward(client);
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private void forward(Socket client) {
    Socket upstream;
    try {
      upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    open.add(client);
    open.add(upstream);
    AtomicInteger directions = new AtomicInteger(2);
    Runnable ended =
        () -> {
          if (directions.decrementAndGet() == 0) {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
          }
        };
    pump(client, upstream, ended);
    pump(upstream, client, ended);
  }

  /** Copies one direction; its end is passed on as a half-close, as the peer sent it. */
  private void pump(Socket from, Socket to, Runnable ended) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
                to.shutdownOutput();
              } catch (IOException e) {
                closeQuietly(from); // one side went away: so does the other
                closeQuietly(to);
              } finally {
                ended.run();
              }
            },
            "stalling-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing left to do with it
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    answer();
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }
}

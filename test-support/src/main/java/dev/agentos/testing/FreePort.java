package dev.agentos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP port that was free a moment ago and that this JVM has not handed out before. */
public final class FreePort {
  // Once its probe socket is closed, the kernel may hand the same port out again: two services of
  // one test cluster once got the same HTTP port, and the one that lost the bind died.
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePort() {}

  public static int pick() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = unbound();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free TCP port this JVM has not handed out already");
  }

  private static int unbound() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port", e);
    }
  }
}

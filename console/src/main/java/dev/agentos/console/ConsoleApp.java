package dev.agentos.console;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The console's NATS client and live list, made once and closed at shutdown. */
@ApplicationScoped
public class ConsoleApp {
  @Produces
  @Singleton
  ConsoleNats nats(ConsoleConfig config) throws Exception {
    return ConsoleNats.connect(config);
  }

  @Produces
  @Singleton
  CycleBoard board(ConsoleNats nats, ConsoleConfig config) {
    return new CycleBoard(nats, config.console().listLimit()).start(config.console().resync());
  }

  /** Starts the board with the server, not with the first page that asks for it. */
  void start(@Observes StartupEvent event, CycleBoard board) {}

  void stop(@Observes ShutdownEvent event, CycleBoard board, ConsoleNats nats) throws Exception {
    board.close();
    nats.close();
  }
}

package dev.agentos.service;

import dev.agentos.instruction.Instruction;
import dev.agentos.instruction.InstructionCatalog;
import dev.agentos.knowledge.InstructionStore;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The instruction catalog of this service: built-ins, the team's bucket, the workspace. */
@ApplicationScoped
public class Instructions {
  @Inject Connection nc;

  private volatile InstructionCatalog mirroredCatalog;
  private volatile InstructionStore mirrored;
  private volatile InstructionStore server;

  /**
   * The catalog as the server has it this moment: for the API and for submits, so a person who just
   * stored an instruction can use it at once. Finding one instruction is one KV get.
   */
  public InstructionCatalog catalog() {
    return new InstructionCatalog(store());
  }

  /**
   * The catalog read from a watched in-memory copy of the team's bucket: for the phases, which read
   * the instruction of every cycle several times and must not ask the server each time.
   */
  public synchronized InstructionCatalog mirroredCatalog() {
    if (mirroredCatalog == null) {
      mirroredCatalog = new InstructionCatalog(mirrored());
    }
    return mirroredCatalog;
  }

  private synchronized InstructionStore mirrored() {
    if (mirrored == null) {
      mirrored = opened(InstructionStore::mirrored);
    }
    return mirrored;
  }

  /** The store for writes ({@code agentos.api.instructions.put}), reading from the server. */
  public synchronized InstructionStore store() {
    // Opened once: opening a bucket costs a stream-info round trip.
    if (server == null) {
      server = opened(InstructionStore::open);
    }
    return server;
  }

  private interface Opener {
    InstructionStore open(Connection nc) throws IOException;
  }

  private InstructionStore opened(Opener opener) {
    try {
      return opener.open(nc);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the instructions bucket", e);
    }
  }

  /** The instruction a cycle runs, as its workspace sees it. */
  public Instruction of(String name, Path workspace) {
    return mirroredCatalog().require(name, workspace);
  }
}

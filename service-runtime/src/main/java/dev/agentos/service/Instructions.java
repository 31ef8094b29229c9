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

  private volatile InstructionCatalog catalog;

  public InstructionCatalog catalog() {
    if (catalog == null) {
      catalog = new InstructionCatalog(() -> store().all());
    }
    return catalog;
  }

  public InstructionStore store() {
    try {
      return InstructionStore.open(nc);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the instructions bucket", e);
    }
  }

  /** The instruction a cycle runs, as its workspace sees it. */
  public Instruction of(String name, Path workspace) {
    return catalog().require(name, workspace);
  }
}

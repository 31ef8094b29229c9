package dev.agentos.express;

import dev.agentos.worker.PhaseLogic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the EXPRESS phase into the shared service runtime. */
@ApplicationScoped
public class ExpressService {
  @Produces
  @ApplicationScoped
  PhaseLogic expressPhase() {
    return new ExpressPhase();
  }
}

package dev.agentos.review;

import dev.agentos.worker.PhaseLogic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the REVIEW phase into the shared service runtime. */
@ApplicationScoped
public class ReviewService {
  @Produces
  @ApplicationScoped
  PhaseLogic reviewPhase(ReviewConfig config) {
    return new ReviewPhase(config.verifyTimeout());
  }
}

package dev.agentos.state;

public enum StepStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  SKIPPED;

  public boolean isDone() {
    return this == COMPLETED || this == FAILED || this == SKIPPED;
  }
}

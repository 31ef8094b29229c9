package dev.agentos.worker;

/** Why a worker stopped the phase it was running, interrupting its logic and agent. */
public enum StopReason {
  /** The worker did not stop the phase; whatever failed, failed in the work. */
  NONE,
  /** The cycle was cancelled while the phase ran. */
  CANCELLED,
  /** A lease renewal found the phase owned by another worker, or moved on. */
  LEASE_LOST,
  /** The phase ran longer than the worker's maximum phase time. */
  PHASE_TIME_EXCEEDED
}

package dev.agentos.project;

import dev.agentos.error.AgentOsException;

/**
 * A project's caps. Null fields take the defaults below, so an old record or a partial one is still
 * capped.
 *
 * @param cyclesInFlight cycles of the project not yet ended (QUEUED to AWAITING_APPROVAL)
 * @param standards standards in the project's scope
 * @param standardBytes the size of one standard
 * @param instructions instructions in the project's scope (kept for when instructions get one: the
 *     team catalog is one for the deployment and is capped by the defaults, {@link
 *     dev.agentos.api.DocumentQuotas})
 * @param instructionBytes the size of one instruction (likewise)
 */
public record ProjectQuotas(
    Integer cyclesInFlight,
    Integer standards,
    Integer standardBytes,
    Integer instructions,
    Integer instructionBytes) {
  public static final int DEFAULT_CYCLES_IN_FLIGHT = 20;
  public static final int DEFAULT_STANDARDS = 100;
  public static final int DEFAULT_STANDARD_BYTES = 64 * 1024;
  public static final int DEFAULT_INSTRUCTIONS = 50;
  public static final int DEFAULT_INSTRUCTION_BYTES = 64 * 1024;

  public static ProjectQuotas defaults() {
    return new ProjectQuotas(null, null, null, null, null);
  }

  public int cyclesInFlightOrDefault() {
    return cyclesInFlight == null ? DEFAULT_CYCLES_IN_FLIGHT : cyclesInFlight;
  }

  public int standardsOrDefault() {
    return standards == null ? DEFAULT_STANDARDS : standards;
  }

  public int standardBytesOrDefault() {
    return standardBytes == null ? DEFAULT_STANDARD_BYTES : standardBytes;
  }

  public int instructionsOrDefault() {
    return instructions == null ? DEFAULT_INSTRUCTIONS : instructions;
  }

  public int instructionBytesOrDefault() {
    return instructionBytes == null ? DEFAULT_INSTRUCTION_BYTES : instructionBytes;
  }

  void validate() {
    positive(cyclesInFlight, "quotas.cycles_in_flight");
    positive(standards, "quotas.standards");
    positive(standardBytes, "quotas.standard_bytes");
    positive(instructions, "quotas.instructions");
    positive(instructionBytes, "quotas.instruction_bytes");
  }

  private static void positive(Integer value, String field) {
    if (value != null && value < 1) {
      throw AgentOsException.invalid(field + " must be at least 1, not " + value);
    }
  }
}

package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.state.CycleState;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What an instruction asks of a submit, as the control API needs to know it to refuse a bad request
 * before anything is written. The instruction documents themselves are read elsewhere.
 */
public interface InstructionRules {

  /**
   * @param spec the spec folder the cycle works on (given, or a new dated one), or null
   * @param specMayBeMissing whether the cycle creates that folder itself
   */
  record Resolved(String spec, boolean specMayBeMissing) {}

  /** Throws INVALID_REQUEST naming the known instructions when {@code name} is not one. */
  void requireKnown(String name, Path workspace);

  /** Checks the request gives what {@code instruction} needs and returns its spec folder. */
  Resolved resolve(String instruction, Path workspace, String goal, String spec, Instant now);

  /** Only the default instruction, for tools and tests without a catalog. */
  InstructionRules EXECUTE_TASKS_ONLY =
      new InstructionRules() {
        @Override
        public void requireKnown(String name, Path workspace) {
          if (!CycleState.DEFAULT_INSTRUCTION.equals(name)) {
            throw AgentOsException.invalid(
                "unknown instruction '" + name + "'; known instructions: execute-tasks");
          }
        }

        @Override
        public Resolved resolve(
            String instruction, Path workspace, String goal, String spec, Instant now) {
          requireKnown(instruction, workspace);
          return new Resolved(spec, false);
        }
      };
}

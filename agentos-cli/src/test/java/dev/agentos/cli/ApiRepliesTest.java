package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiRepliesTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSuccessfulReplyIsItsJson() {
    assertEquals(
        "QUEUED",
        ApiReplies.read("agentos.api.submit", bytes("{\"status\":\"QUEUED\"}"), null)
            .path("status")
            .asText());
  }

  @Test
  void anUnknownCycleShowsTheServersMessageAndExits4() {
    CliException e =
        assertThrows(
            CliException.class,
            () ->
                ApiReplies.read(
                    "agentos.api.status",
                    bytes(
                        "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no cycle 'x'; see"
                            + " `agentos status`\"}}"),
                    "no cycle 'x'"));
    assertEquals(ExitCode.NOT_FOUND, e.exitCode());
    assertEquals("no cycle 'x'; see `agentos status` [NOT_FOUND]", e.getMessage());
  }

  @Test
  void otherErrorsExit5WithTheServersMessage() {
    CliException e =
        assertThrows(
            CliException.class,
            () ->
                ApiReplies.read(
                    "agentos.api.resume",
                    bytes(
                        "{\"error\":{\"code\":\"INVALID_TRANSITION\",\"message\":\"cycle c is"
                            + " COMPLETED\"}}"),
                    "cycle c is COMPLETED"));
    assertEquals(ExitCode.API_ERROR, e.exitCode());
    assertEquals("cycle c is COMPLETED [INVALID_TRANSITION]", e.getMessage());
  }

  @Test
  void theStateOfAFailedCycleIsASuccessNotAnError() {
    String state =
        "{\"schema\":\"agentos.cycle/v1\",\"cycle_id\":\"c\",\"status\":\"FAILED\","
            + "\"error\":{\"phase\":\"EXECUTE\",\"code\":\"INVALID_REQUEST\","
            + "\"message\":\"no agent is configured for role executor\"}}";
    assertEquals(
        "FAILED",
        ApiReplies.read("agentos.api.status", bytes(state), null).path("status").asText());
  }

  @Test
  void anErrorBodyWithoutItsHeadersIsStillAnError() {
    CliException e =
        assertThrows(
            CliException.class,
            () ->
                ApiReplies.read(
                    "agentos.api.instructions.get",
                    bytes("{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"no\"}}"),
                    null));
    assertEquals(ExitCode.API_ERROR, e.exitCode());
    assertEquals("no [INVALID_REQUEST]", e.getMessage());
  }

  @Test
  void theErrorHeaderMakesAReplyAnErrorWhateverItsBody() {
    CliException e =
        assertThrows(
            CliException.class,
            () -> ApiReplies.read("agentos.api.status", bytes("{}"), "the service broke"));
    assertEquals(ExitCode.API_ERROR, e.exitCode());
    assertEquals("the service broke [ERROR]", e.getMessage());
  }

  @Test
  void aReplyThatIsNotJsonSaysSo() {
    CliException e =
        assertThrows(
            CliException.class, () -> ApiReplies.read("agentos.api.list", bytes("oops"), null));
    assertEquals(ExitCode.API_ERROR, e.exitCode());
  }
}

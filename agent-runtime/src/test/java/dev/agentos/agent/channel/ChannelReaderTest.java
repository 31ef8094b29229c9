package dev.agentos.agent.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.state.PendingQuestion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What an agent leaves in its channel is read bounded, and nothing it writes makes it throw. */
class ChannelReaderTest {
  @TempDir Path channel;

  @Test
  void anEmptyChannelReportsNothing() {
    assertEquals(ChannelReport.EMPTY, ChannelReader.read(channel));
    assertFalse(ChannelReader.hasQuestion(channel));
  }

  @Test
  void readsTheQuestionAndItsContext() throws IOException {
    write(
        "question.json",
        "{\"question\":\"  Which currency do prices use?\\n\",\"context\":\"EUR and USD both\"}");

    ChannelReport report = ChannelReader.read(channel);

    assertEquals(
        Optional.of(new AgentQuestion("Which currency do prices use?", "EUR and USD both")),
        report.question());
    assertNull(report.questionRefused());
    assertTrue(ChannelReader.hasQuestion(channel));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"question\":",
        "not json at all",
        "[\"Which currency?\"]",
        "{\"question\":\"\"}",
        "{\"question\":\"   \"}",
        "{\"question\":42}",
        "{\"context\":\"only context\"}",
        "",
      })
  void aMalformedQuestionIsRefusedSayingHowToWriteIt(String content) throws IOException {
    write("question.json", content);

    ChannelReport report = ChannelReader.read(channel);

    assertEquals(Optional.empty(), report.question());
    assertTrue(report.questionRefused().startsWith("question.json "), report.questionRefused());
    assertTrue(report.questionRefused().contains("{\"question\": \"…\""), report.questionRefused());
    assertTrue(ChannelReader.hasQuestion(channel), "it still asked: the step does not complete");
  }

  @Test
  void anOversizedQuestionFileIsRefusedWithoutReadingItWhole() throws IOException {
    write(
        "question.json", "{\"question\":\"" + "x".repeat(ChannelReader.MAX_QUESTION_BYTES) + "\"}");

    ChannelReport report = ChannelReader.read(channel);

    assertEquals(Optional.empty(), report.question());
    assertTrue(
        report.questionRefused().contains("larger than 65536 bytes"), report.questionRefused());
  }

  @Test
  void aLongQuestionWithinTheFileLimitIsCutToTheStatesLimit() throws IOException {
    write("question.json", "{\"question\":\"" + "q".repeat(20_000) + "\"}");

    AgentQuestion question = ChannelReader.read(channel).question().orElseThrow();

    assertEquals(PendingQuestion.MAX_CHARS, question.question().length());
    assertNull(question.context());
  }

  @Test
  void aQuestionThatIsASymbolicLinkIsRefusedAndNotFollowed() throws IOException {
    Path secret =
        Files.writeString(
            channel.getParent().resolve("secret-" + System.nanoTime()),
            "{\"question\":\"the service's secret\"}");
    Files.createSymbolicLink(channel.resolve("question.json"), secret);

    ChannelReport report = ChannelReader.read(channel);

    assertEquals(Optional.empty(), report.question());
    assertTrue(report.questionRefused().contains("not a regular file"), report.questionRefused());
    Files.delete(secret);
  }

  @Test
  void readsEachDecisionLineAndReportsTheBadOnesByNumber() throws IOException {
    write(
        "decisions.jsonl",
        "{\"title\":\"Money\",\"decision\":\"integer cents\",\"rationale\":\"no rounding\"}\n"
            + "\n"
            + "{\"title\":\"Ids\",\"decision\":\"UUIDv7\"}\n"
            + "{\"title\":\"no decision\"}\n"
            + "{\"decision\":\"no title\"}\n"
            + "{broken\n"
            + "[1,2]\n"
            + "{\"title\":\"\",\"decision\":\"blank title\"}\n"
            + "{\"title\":\"Last\",\"decision\":\"no newline at the end\"}");

    ChannelReport report = ChannelReader.read(channel);

    assertEquals(
        List.of(
            new AgentDecision("Money", "integer cents", "no rounding"),
            new AgentDecision("Ids", "UUIDv7", null),
            new AgentDecision("Last", "no newline at the end", null)),
        report.decisions());
    assertEquals(5, report.problems().size(), report.problems().toString());
    for (int line : new int[] {4, 5, 6, 7, 8}) {
      assertTrue(
          report.problems().stream()
              .anyMatch(p -> p.startsWith("decisions.jsonl line " + line + " ")),
          "line " + line + " in " + report.problems());
    }
  }

  @Test
  void recordsAtMostTheLimitOfDecisionsAndSaysSo() throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= ChannelReader.MAX_DECISIONS + 5; i++) {
      lines.append("{\"title\":\"d").append(i).append("\",\"decision\":\"x\"}\n");
    }
    write("decisions.jsonl", lines.toString());

    ChannelReport report = ChannelReader.read(channel);

    assertEquals(ChannelReader.MAX_DECISIONS, report.decisions().size());
    assertEquals(
        "d" + ChannelReader.MAX_DECISIONS,
        report.decisions().get(ChannelReader.MAX_DECISIONS - 1).title());
    assertEquals(1, report.problems().size(), report.problems().toString());
    assertTrue(
        report.problems().get(0).contains("more than 20 decisions"), report.problems().get(0));
  }

  @Test
  void anOversizedDecisionsFileIsReadUpToItsLimitInWholeLines() throws IOException {
    String line = "{\"title\":\"t\",\"decision\":\"" + "d".repeat(1000) + "\"}\n";
    // 70 lines of ~1 KiB: the 64 KiB limit falls inside a line, which is not read.
    write("decisions.jsonl", line.repeat(70));

    ChannelReport report = ChannelReader.read(channel);

    assertEquals(ChannelReader.MAX_DECISIONS, report.decisions().size());
    assertTrue(
        report.problems().stream().anyMatch(p -> p.contains("larger than 65536 bytes")),
        report.problems().toString());
    assertTrue(
        report.problems().stream().noneMatch(p -> p.contains(" line ")),
        "the line the limit cut is not reported as malformed: " + report.problems());
  }

  @Test
  void longDecisionTextsAreCut() throws IOException {
    write(
        "decisions.jsonl",
        "{\"title\":\"" + "t".repeat(500) + "\",\"decision\":\"" + "d".repeat(9000) + "\"}\n");

    AgentDecision decision = ChannelReader.read(channel).decisions().get(0);

    assertEquals(ChannelReader.MAX_TITLE_CHARS, decision.title().length());
    assertEquals(ChannelReader.MAX_TEXT_CHARS, decision.decision().length());
    assertTrue(decision.decision().endsWith("…"));
  }

  @Test
  void aDecisionsDirectoryIsReportedNotRead() throws IOException {
    Files.createDirectory(channel.resolve("decisions.jsonl"));

    ChannelReport report = ChannelReader.read(channel);

    assertEquals(List.of(), report.decisions());
    assertEquals(
        List.of("decisions.jsonl is not a regular file (a link or a directory)"),
        report.problems());
  }

  @Test
  void aChannelIsMadeUnderTheScratchRootNamedInTheEnvironmentAndRemovedOnClose(@TempDir Path root)
      throws IOException {
    Path dir;
    try (AgentChannel made = AgentChannel.create(root.resolve("homes"))) {
      dir = made.dir();
      assertTrue(dir.startsWith(root.resolve("homes")), dir.toString());
      assertEquals(dir.toString(), made.environment().get(AgentChannel.ENV));
      assertEquals(
          "rwx------",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(dir)));
      Files.writeString(dir.resolve("question.json"), "{\"question\":\"q\"}");
      assertTrue(made.hasQuestion());
    }
    assertFalse(Files.exists(dir));
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(channel.resolve(name), content);
  }
}

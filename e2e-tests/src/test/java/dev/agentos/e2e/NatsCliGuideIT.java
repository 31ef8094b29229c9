package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.api.ApiError;
import dev.agentos.api.JsonEndpoints;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/nats-cli.md is what a user copies, so it must be true: every {@code nats req} and {@code
 * nats pub} line of it is sent, in order, to a running Agent OS, and each reply must be the one the
 * guide shows below the command (the same fields and enum values; example ids and times differ).
 *
 * <p>Placeholders: {@code <workspace>} becomes a fresh workspace with a spec folder, {@code <id>}
 * the cycle id of the last submit. {@code <!-- test: await <id> STATUS -->} comments in the guide
 * wait for a cycle to get somewhere before the next command, as a reader would.
 */
class NatsCliGuideIT {
  private static final Pattern COMMAND = Pattern.compile("^nats (req|pub) (\\S+) '(.*)'$");
  private static final Pattern JQ =
      Pattern.compile("^nats req --raw (\\S+) '([^']*)' \\| jq -r '([^']*)'$");
  private static final Pattern KV_GET = Pattern.compile("^nats kv get (\\S+) (\\S+).*$");
  private static final Pattern AWAIT = Pattern.compile("^<!-- test: await <id> ([A-Z_]+) -->$");
  private static final Pattern ENUM_VALUE = Pattern.compile("[A-Z][A-Z_]+");

  private static Cluster cluster;

  /**
   * One thing the guide tells the reader to do. A {@code jq} step is a request whose raw reply goes
   * through {@code jq -r filter}; the guide shows jq's output in a {@code text} block.
   */
  record Step(
      int line, String kind, String subject, String payload, String filter, StringBuilder reply) {
    Step(int line, String kind, String subject, String payload, StringBuilder reply) {
      this(line, kind, subject, payload, null, reply);
    }

    JsonNode expected() {
      return Json.tree(reply.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  @BeforeAll
  static void startCluster() throws Exception {
    // The profile and the checks the guide's services are started with (`agentos up --profile
    // claude=... --check changelog=... --check readme=...`).
    cluster =
        Cluster.start(
            Map.of(
                "agentos.profiles.claude.command", "claude -p",
                "agentos.checks.changelog.run", "test -f CHANGELOG.md",
                "agentos.checks.readme.run", "test -f README.md"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Path guide() {
    return Cluster.repoRoot().resolve("docs/nats-cli.md");
  }

  /** The guide's commands, waits and shown replies, in order. */
  static List<Step> steps(List<String> lines) {
    List<Step> steps = new ArrayList<>();
    String fence = null;
    Step awaitingReply = null;
    StringBuilder block = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        if (fence == null) {
          fence = line.substring(3).strip();
          block = new StringBuilder();
        } else {
          if (awaitingReply != null
              && fence.equals(awaitingReply.kind().equals("jq") ? "text" : "json")) {
            awaitingReply.reply().append(block);
            awaitingReply = null;
          }
          fence = null;
        }
        continue;
      }
      if (fence == null) {
        Matcher await = AWAIT.matcher(line.strip());
        if (await.matches()) {
          steps.add(new Step(i + 1, "await", await.group(1), null, null));
        }
        continue;
      }
      block.append(line).append('\n');
      if (!fence.equals("sh")) {
        continue;
      }
      Matcher command = COMMAND.matcher(line.strip());
      Matcher kvGet = KV_GET.matcher(line.strip());
      Matcher jq = JQ.matcher(line.strip());
      if (jq.matches()) {
        if (awaitingReply != null) {
          fail("line " + awaitingReply.line() + ": the guide shows no reply for this request");
        }
        awaitingReply =
            new Step(i + 1, "jq", jq.group(1), jq.group(2), jq.group(3), new StringBuilder());
        steps.add(awaitingReply);
      } else if (command.matches()) {
        if (awaitingReply != null) {
          fail("line " + awaitingReply.line() + ": the guide shows no reply for this request");
        }
        Step step =
            new Step(
                i + 1, command.group(1), command.group(2), command.group(3), new StringBuilder());
        steps.add(step);
        if (step.kind().equals("req")) {
          awaitingReply = step;
        }
      } else if (kvGet.matches()) {
        steps.add(new Step(i + 1, "kv-get", kvGet.group(1), kvGet.group(2), null));
      }
    }
    if (awaitingReply != null) {
      fail("line " + awaitingReply.line() + ": the guide shows no reply for this request");
    }
    return steps;
  }

  @Test
  void theGuideCoversEveryEndpointOfTheControlApiAndTheTaskIntake() throws Exception {
    List<String> lines = Files.readAllLines(guide());
    List<Step> steps = steps(lines);
    long written =
        lines.stream()
            .map(String::strip)
            .filter(l -> l.startsWith("nats req ") || l.startsWith("nats pub "))
            .count();
    long parsed = steps.stream().filter(s -> Set.of("req", "pub", "jq").contains(s.kind())).count();
    assertEquals(
        written,
        parsed,
        "every nats req/pub line is written as nats req SUBJECT 'JSON',"
            + " or nats req --raw SUBJECT 'JSON' | jq -r 'FILTER'");
    Set<String> subjects = new TreeSet<>();
    steps.stream().filter(s -> s.subject() != null).forEach(s -> subjects.add(s.subject()));
    assertTrue(
        subjects.containsAll(
            List.of(
                "agentos.api.submit",
                "agentos.api.status",
                "agentos.api.list",
                "agentos.api.cancel",
                "agentos.api.resume",
                "agentos.api.retry",
                "agentos.api.approve",
                "agentos.api.answer",
                "agentos.tasks.shop")),
        subjects.toString());
  }

  @Test
  void everyRequestInTheGuideGetsTheReplyItShows() throws Exception {
    String id = null;
    for (Step step : steps(Files.readAllLines(guide()))) {
      String where = "docs/nats-cli.md line " + step.line() + ": ";
      switch (step.kind()) {
        case "await" -> {
          assertNotNull(id, where + "await before any submit");
          cluster.awaitStatus(id, Status.valueOf(step.subject()), Duration.ofSeconds(60));
        }
        case "kv-get" -> {
          String key = substitute(step.payload(), id);
          assertNotNull(
              cluster.nc.keyValue(step.subject()).get(key), where + key + " in " + step.subject());
        }
        case "pub" -> {
          int before = cluster.store.cycleIds().size();
          cluster.nc.publish(
              step.subject(), substitute(step.payload(), id).getBytes(StandardCharsets.UTF_8));
          Await.until(
              Duration.ofSeconds(30),
              where + "the published task to become a cycle",
              () -> cluster.store.cycleIds().size() > before);
        }
        case "req" -> {
          Message reply = cluster.request(step.subject(), substitute(step.payload(), id));
          JsonNode actual = Json.tree(reply.getData());
          JsonNode expected = step.expected();
          assertMatches(expected, actual, where + "reply", actual);
          checkHeaders(expected, reply, where);
          if (step.subject().equals("agentos.api.submit") && actual.has("cycle_id")) {
            id = actual.path("cycle_id").asText();
          }
        }
        case "jq" -> {
          Message reply = cluster.request(step.subject(), substitute(step.payload(), id));
          checkHeaders(Json.tree(reply.getData()), reply, where);
          Jq.filter(step.filter(), reply.getData())
              .ifPresent(
                  output ->
                      assertEquals(
                          step.reply().toString().strip(), output.strip(), where + "jq output"));
        }
        default -> fail(where + "unknown step " + step.kind());
      }
    }
  }

  private static String substitute(String text, String id) throws Exception {
    String result = text;
    while (result.contains("<workspace>")) {
      result =
          result.replaceFirst(
              "<workspace>", Matcher.quoteReplacement(Workspaces.withSpec(3).toString()));
    }
    if (result.contains("<id>")) {
      assertNotNull(id, "<id> is used before any submit");
      result = result.replace("<id>", id);
    }
    return result;
  }

  /**
   * Errors carry the service error headers with the code's number; successes carry none, including
   * the state of a FAILED cycle, whose {@code error} is the cycle's failure: an error reply is one
   * whose only member is {@code error}, as the guide tells readers.
   */
  private static void checkHeaders(JsonNode expected, Message reply, String where) {
    String header =
        reply.getHeaders() == null ? null : reply.getHeaders().getFirst(JsonEndpoints.ERROR_HEADER);
    if (ApiError.isErrorReply(expected)) {
      ErrorCode code = ErrorCode.valueOf(expected.path("error").path("code").asText());
      assertNotNull(header, where + "an error reply has the Nats-Service-Error header");
      assertFalse(header.isBlank(), where + "with the message");
      assertEquals(
          Integer.toString(code.status()),
          reply.getHeaders().getFirst(JsonEndpoints.ERROR_CODE_HEADER),
          where + "Nats-Service-Error-Code");
    } else {
      assertNull(header, where + "a success has no error header");
    }
  }

  /**
   * The shown reply is a part of the real one: every field shown is there, with the same type; enum
   * values (UPPER_CASE strings) and booleans are the same; other values (ids, times, texts) are
   * examples. A shown list's elements match the real list's first ones.
   */
  static void assertMatches(JsonNode expected, JsonNode actual, String path, JsonNode whole) {
    if (expected.isObject()) {
      assertTrue(actual != null && actual.isObject(), path + " is an object in " + whole);
      Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        assertTrue(
            actual.has(field.getKey()), path + "." + field.getKey() + " is missing in " + whole);
        assertMatches(
            field.getValue(), actual.get(field.getKey()), path + "." + field.getKey(), whole);
      }
    } else if (expected.isArray()) {
      assertTrue(actual.isArray(), path + " is a list in " + whole);
      assertTrue(
          actual.size() >= expected.size(),
          path + " has " + expected.size() + " elements in " + whole);
      for (int i = 0; i < expected.size(); i++) {
        assertMatches(expected.get(i), actual.get(i), path + "[" + i + "]", whole);
      }
    } else if (expected.isTextual()) {
      assertTrue(actual.isTextual(), path + " is a string in " + whole);
      if (ENUM_VALUE.matcher(expected.asText()).matches()) {
        assertEquals(expected.asText(), actual.asText(), path + " in " + whole);
      }
    } else if (expected.isBoolean()) {
      assertEquals(expected.asBoolean(), actual.asBoolean(), path + " in " + whole);
      assertTrue(actual.isBoolean(), path + " is a boolean in " + whole);
    } else if (expected.isNumber()) {
      assertTrue(actual.isNumber(), path + " is a number in " + whole);
    }
  }
}

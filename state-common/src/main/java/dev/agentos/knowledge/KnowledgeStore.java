package dev.agentos.knowledge;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.BucketMirror;
import dev.agentos.nats.JetStreamErrors;
import dev.agentos.nats.KvDocuments;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The team's standards and decision log in KV ({@code agentos-standards}, {@code
 * agentos-decisions}). Plain {@code nats kv put/get} works on the same keys: a standard is stored
 * as its markdown text, a decision as JSON.
 */
public final class KnowledgeStore {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final int MAX_DECISIONS = 50;

  private final KeyValue standards;
  private final KeyValue decisions;
  private final BucketMirror standardsMirror;
  private final BucketMirror decisionsMirror;

  /** Mirrors may be null: then every read asks the server. */
  public KnowledgeStore(
      KeyValue standards,
      KeyValue decisions,
      BucketMirror standardsMirror,
      BucketMirror decisionsMirror) {
    this.standards = standards;
    this.decisions = decisions;
    this.standardsMirror = standardsMirror;
    this.decisionsMirror = decisionsMirror;
  }

  /** A store that reads from the server on every call (API requests, tools). */
  public static KnowledgeStore open(Connection nc) throws IOException {
    return new KnowledgeStore(
        nc.keyValue(Topology.STANDARDS_BUCKET), nc.keyValue(Topology.DECISIONS_BUCKET), null, null);
  }

  /** A store that reads from watched in-memory copies: for every prompt of a running service. */
  public static KnowledgeStore mirrored(Connection nc) throws IOException {
    KeyValue standards = nc.keyValue(Topology.STANDARDS_BUCKET);
    KeyValue decisions = nc.keyValue(Topology.DECISIONS_BUCKET);
    return new KnowledgeStore(
        standards, decisions, BucketMirror.start(standards), BucketMirror.start(decisions));
  }

  /** The project's own standards and the team-wide ones; the project's win on a shared name. */
  public Knowledge forProject(String project) {
    List<Standard> found = new ArrayList<>(standards(Standard.TEAM_SCOPE));
    for (Standard own : standards(project)) {
      found.removeIf(s -> s.name().equals(own.name()));
      found.add(own);
    }
    return new Knowledge(List.copyOf(found), decisions(project));
  }

  public List<Standard> standards(String scope) {
    requireToken(scope, "scope");
    List<Standard> result = new ArrayList<>();
    entries(standards, standardsMirror, scope + ".")
        .forEach(
            (key, text) ->
                result.add(new Standard(scope, key.substring(scope.length() + 1), text)));
    result.sort(Comparator.comparing(Standard::name));
    return result;
  }

  public java.util.Optional<Standard> standard(String scope, String name) {
    requireToken(scope, "scope");
    requireToken(name, "name");
    return get(standards, scope + "." + name).map(text -> new Standard(scope, name, text));
  }

  /** The names of the standards in {@code scope}, read from the server (for a write's caps). */
  public List<String> standardNames(String scope) {
    requireToken(scope, "scope");
    return keys(standards, scope + ".*").stream()
        .map(key -> key.substring(scope.length() + 1))
        .sorted()
        .toList();
  }

  /** Writes a standard: a document people edit, so the newest edit replaces the stored one. */
  public Standard putStandard(Standard standard) {
    requireToken(standard.scope(), "scope");
    requireToken(standard.name(), "name");
    if (standard.content() == null || standard.content().isBlank()) {
      throw AgentOsException.invalid("a standard needs content (markdown text)");
    }
    KvDocuments.replace(
        standards,
        standard.scope() + "." + standard.name(),
        standard.content().getBytes(StandardCharsets.UTF_8));
    return standard;
  }

  /** The project's decisions, newest first, at most {@value #MAX_DECISIONS}. */
  public List<DecisionRecord> decisions(String project) {
    requireToken(project, "project");
    List<DecisionRecord> result = new ArrayList<>();
    for (String json : entries(decisions, decisionsMirror, project + ".").values()) {
      result.add(
          Json.convertStored(
              Json.tree(json.getBytes(StandardCharsets.UTF_8)), DecisionRecord.class));
    }
    result.sort(
        Comparator.comparing(DecisionRecord::date, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(DecisionRecord::id));
    return List.copyOf(result.subList(0, Math.min(MAX_DECISIONS, result.size())));
  }

  /** Records a decision once: a second record with the same id is left as the first was. */
  public void recordDecision(String project, DecisionRecord record) {
    requireToken(project, "project");
    requireToken(record.id(), "decision id");
    try {
      decisions.create(project + "." + record.id(), Json.write(record));
    } catch (JetStreamApiException e) {
      // Already recorded: a redelivered review.
      if (!JetStreamErrors.is(e, JetStreamErrors.WRONG_LAST_SEQUENCE)) {
        throw unavailable("record decision " + record.id(), e);
      }
    } catch (IOException e) {
      throw unavailable("record decision " + record.id(), e);
    }
  }

  /** The entries under {@code prefix} (one token deep), from the mirror when there is one. */
  private static Map<String, String> entries(KeyValue bucket, BucketMirror mirror, String prefix) {
    Map<String, String> result = new TreeMap<>();
    if (mirror != null) {
      mirror
          .snapshot()
          .forEach(
              (key, value) -> {
                if (key.startsWith(prefix) && key.indexOf('.', prefix.length()) < 0) {
                  result.put(key, new String(value, StandardCharsets.UTF_8));
                }
              });
      return result;
    }
    for (String key : keys(bucket, prefix + "*")) {
      get(bucket, key).ifPresent(text -> result.put(key, text));
    }
    return result;
  }

  private static List<String> keys(KeyValue kv, String filter) {
    try {
      return kv.keys(filter);
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("list " + filter, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted", e);
    }
  }

  private static java.util.Optional<String> get(KeyValue kv, String key) {
    try {
      KeyValueEntry entry = kv.get(key);
      return entry == null || entry.getValue() == null
          ? java.util.Optional.empty()
          : java.util.Optional.of(new String(entry.getValue(), StandardCharsets.UTF_8));
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("read " + key, e);
    }
  }

  static void requireToken(String value, String field) {
    if (value == null || !TOKEN.matcher(value).matches()) {
      throw AgentOsException.invalid(
          field
              + " '"
              + (value == null ? "" : value)
              + "' must be 1-64 characters of A-Z, a-z, 0-9, '_' and '-'");
    }
  }

  private static AgentOsException unavailable(String what, Exception e) {
    return new AgentOsException(ErrorCode.UNAVAILABLE, "cannot " + what + ": " + e.getMessage(), e);
  }
}

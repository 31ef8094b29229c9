package dev.agentos.knowledge;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.nats.BucketMirror;
import dev.agentos.nats.KvDocuments;
import dev.agentos.nats.Topology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Team-wide instruction documents in the {@code agentos-instructions} bucket, key = instruction
 * name, value = the Markdown document ({@code nats kv put agentos-instructions create-spec "$(cat
 * create-spec.md)"} works too). Parsing and validation belong to the reader.
 */
public final class InstructionStore implements InstructionDocuments {
  private final KeyValue kv;
  private final BucketMirror mirror;

  /** {@code mirror} may be null: then every read asks the server. */
  public InstructionStore(KeyValue kv, BucketMirror mirror) {
    this.kv = kv;
    this.mirror = mirror;
  }

  public static InstructionStore open(Connection nc) throws IOException {
    return new InstructionStore(nc.keyValue(Topology.INSTRUCTIONS_BUCKET), null);
  }

  /** A store that reads from a watched in-memory copy: for every phase of a running service. */
  public static InstructionStore mirrored(Connection nc) throws IOException {
    KeyValue kv = nc.keyValue(Topology.INSTRUCTIONS_BUCKET);
    return new InstructionStore(kv, BucketMirror.start(kv));
  }

  @Override
  public Optional<String> get(String name) {
    KnowledgeStore.requireToken(name, "instruction name");
    if (mirror != null) {
      return mirror.get(name).map(value -> new String(value, StandardCharsets.UTF_8));
    }
    try {
      KeyValueEntry entry = kv.get(name);
      return entry == null || entry.getValue() == null
          ? Optional.empty()
          : Optional.of(new String(entry.getValue(), StandardCharsets.UTF_8));
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("read instruction " + name, e);
    }
  }

  /** Every team instruction, name → document. */
  @Override
  public Map<String, String> all() {
    Map<String, String> result = new TreeMap<>();
    if (mirror != null) {
      mirror
          .snapshot()
          .forEach((name, value) -> result.put(name, new String(value, StandardCharsets.UTF_8)));
      return result;
    }
    for (String key : names()) {
      get(key).ifPresent(text -> result.put(key, text));
    }
    return result;
  }

  /** The names of the team instructions, read from the server (for a write's caps). */
  public List<String> names() {
    try {
      return kv.keys().stream().sorted().toList();
    } catch (IOException | JetStreamApiException e) {
      throw unavailable("list instructions", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentOsException(ErrorCode.UNAVAILABLE, "interrupted", e);
    }
  }

  /** Stores a document (a person's edit: the newest replaces it); the caller has validated it. */
  public void put(String name, String document) {
    KnowledgeStore.requireToken(name, "instruction name");
    KvDocuments.replace(kv, name, document.getBytes(StandardCharsets.UTF_8));
  }

  private static AgentOsException unavailable(String what, Exception e) {
    return new AgentOsException(ErrorCode.UNAVAILABLE, "cannot " + what + ": " + e.getMessage(), e);
  }
}

package dev.agentos.nats;

import dev.agentos.state.Phase;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValueManagement;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Every NATS name Agent OS uses, and the one place that creates them. Creation is idempotent: every
 * service calls {@link #ensure} at start, in any order and at the same time as the others.
 */
public final class Topology {
  public static final String CYCLES_BUCKET = "agentos-cycles";
  public static final String DECISIONS_BUCKET = "agentos-decisions";
  public static final String STANDARDS_BUCKET = "agentos-standards";
  public static final String INSTRUCTIONS_BUCKET = "agentos-instructions";
  public static final String HISTORY_BUCKET = "agentos-history";
  public static final String ARTIFACTS_STORE = "agentos-artifacts";

  public static final String WORK_STREAM = "AGENTOS_WORK";
  public static final String EVENTS_STREAM = "AGENTOS_EVENTS";
  public static final String TASKS_STREAM = "AGENTOS_TASKS";
  public static final String DLQ_STREAM = "AGENTOS_DLQ";

  /**
   * Keeps JetStream's MaxDeliver advisories for the work stream until a worker of the role has
   * moved the message to the DLQ: on a WorkQueue stream such a message is never delivered again,
   * yet stays in the stream.
   */
  public static final String ADVISORIES_STREAM = "AGENTOS_ADVISORIES";

  public static final String MAX_DELIVERIES_PREFIX =
      "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + WORK_STREAM + ".";

  public static final String PREFIX = "agentos.";
  public static final String WORK_PREFIX = PREFIX + "work.";
  public static final String EVENTS_PREFIX = PREFIX + "events.";
  public static final String TASKS_PREFIX = PREFIX + "tasks.";
  public static final String DLQ_PREFIX = PREFIX + "dlq.";
  public static final String API_GROUP = PREFIX + "api";
  public static final String API_SERVICE = "agentos-api";

  /** The durable consumer every service shares to turn {@code agentos.tasks.*} into cycles. */
  public static final String INTAKE_CONSUMER = "intake";

  public static final String CYCLE_KEY_PREFIX = "cycle.";
  public static final int CYCLE_HISTORY = 5;
  public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);

  private static final Logger LOG = Logger.getLogger(Topology.class);

  private Topology() {}

  public static String workSubject(Phase phase) {
    return WORK_PREFIX + phase.token();
  }

  public static String eventSubject(String cycleId, String type) {
    return EVENTS_PREFIX + cycleId + "." + type;
  }

  public static String taskSubject(String project) {
    return TASKS_PREFIX + project;
  }

  public static String dlqSubject(Phase phase) {
    return DLQ_PREFIX + phase.token();
  }

  public static String apiSubject(String endpoint) {
    return API_GROUP + "." + endpoint;
  }

  /** The subject of a role's own request/reply endpoint, e.g. {@code agentos.planner.plan}. */
  public static String roleSubject(Phase phase, String endpoint) {
    return PREFIX + phase.role() + "." + endpoint;
  }

  /** Where other roles route work for {@code phase} that only its own role may publish. */
  public static String enqueueSubject(Phase phase) {
    return roleSubject(phase, "enqueue");
  }

  /** Where JetStream reports a work message of {@code phase} that reached MaxDeliver. */
  public static String maxDeliveriesSubject(Phase phase) {
    return MAX_DELIVERIES_PREFIX + consumer(phase);
  }

  /** The durable consumer of {@code phase}'s MaxDeliver advisories, shared by its replicas. */
  public static String maxDeliveriesConsumer(Phase phase) {
    return consumer(phase) + "-max-deliveries";
  }

  public static String cycleKey(String cycleId) {
    return CYCLE_KEY_PREFIX + cycleId;
  }

  /** The durable consumer of a phase's work, shared by every replica of its role. */
  public static String consumer(Phase phase) {
    return phase.role();
  }

  /** Creates whatever is missing; leaves what exists as it is. */
  public static void ensure(Connection nc, TopologySettings settings)
      throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nc.jetStreamManagement();
    StorageType storage = StorageType.File;
    int replicas = settings.replicas();

    ensureStream(
        jsm,
        StreamConfiguration.builder()
            .name(WORK_STREAM)
            .subjects(Arrays.stream(Phase.values()).map(Topology::workSubject).toList())
            .retentionPolicy(RetentionPolicy.WorkQueue)
            .storageType(storage)
            .replicas(replicas)
            .duplicateWindow(DUPLICATE_WINDOW)
            .build());
    ensureStream(
        jsm,
        StreamConfiguration.builder()
            .name(EVENTS_STREAM)
            .subjects(EVENTS_PREFIX + ">")
            .retentionPolicy(RetentionPolicy.Limits)
            .storageType(storage)
            .replicas(replicas)
            .maxAge(settings.eventsMaxAge())
            .build());
    ensureStream(
        jsm,
        StreamConfiguration.builder()
            .name(TASKS_STREAM)
            .subjects(TASKS_PREFIX + ">")
            .retentionPolicy(RetentionPolicy.WorkQueue)
            .storageType(storage)
            .replicas(replicas)
            .duplicateWindow(DUPLICATE_WINDOW)
            .build());
    ensureStream(
        jsm,
        StreamConfiguration.builder()
            .name(DLQ_STREAM)
            .subjects(DLQ_PREFIX + ">")
            .retentionPolicy(RetentionPolicy.Limits)
            .storageType(storage)
            .replicas(replicas)
            .build());
    ensureStream(
        jsm,
        StreamConfiguration.builder()
            .name(ADVISORIES_STREAM)
            .subjects(MAX_DELIVERIES_PREFIX + ">")
            .retentionPolicy(RetentionPolicy.WorkQueue)
            .storageType(storage)
            .replicas(replicas)
            .maxAge(settings.eventsMaxAge())
            .build());

    for (Phase phase : Phase.values()) {
      jsm.addOrUpdateConsumer(
          ADVISORIES_STREAM,
          ConsumerConfiguration.builder()
              .durable(maxDeliveriesConsumer(phase))
              .filterSubject(maxDeliveriesSubject(phase))
              .ackPolicy(AckPolicy.Explicit)
              .deliverPolicy(DeliverPolicy.All)
              .ackWait(settings.ackWait())
              .build());
      jsm.addOrUpdateConsumer(
          WORK_STREAM,
          ConsumerConfiguration.builder()
              .durable(consumer(phase))
              .filterSubject(workSubject(phase))
              .ackPolicy(AckPolicy.Explicit)
              .deliverPolicy(DeliverPolicy.All)
              .ackWait(settings.ackWait())
              .maxDeliver(settings.maxDeliver())
              .maxAckPending(settings.maxAckPending())
              .build());
    }
    jsm.addOrUpdateConsumer(
        TASKS_STREAM,
        ConsumerConfiguration.builder()
            .durable(INTAKE_CONSUMER)
            .filterSubject(TASKS_PREFIX + ">")
            .ackPolicy(AckPolicy.Explicit)
            .ackWait(settings.ackWait())
            .maxDeliver(settings.maxDeliver())
            .build());

    KeyValueManagement kvm = nc.keyValueManagement();
    List<String> buckets = kvm.getBucketNames();
    ensureBucket(
        jsm, kvm, buckets, CYCLES_BUCKET, CYCLE_HISTORY, "Agent OS cycle states", replicas);
    ensureBucket(jsm, kvm, buckets, DECISIONS_BUCKET, 5, "Agent OS decision log", replicas);
    ensureBucket(jsm, kvm, buckets, STANDARDS_BUCKET, 5, "Agent OS team standards", replicas);
    ensureBucket(jsm, kvm, buckets, INSTRUCTIONS_BUCKET, 5, "Agent OS team instructions", replicas);
    ensureBucket(jsm, kvm, buckets, HISTORY_BUCKET, 1, "Agent OS ended cycles", replicas);

    ObjectStoreManagement osm = nc.objectStoreManagement();
    if (!osm.getBucketNames().contains(ARTIFACTS_STORE)) {
      try {
        osm.create(
            ObjectStoreConfiguration.builder(ARTIFACTS_STORE)
                .description("Agent OS transcripts, diffs and recaps larger than state may hold")
                .storageType(storage)
                .replicas(replicas)
                .build());
      } catch (JetStreamApiException e) {
        ignoreIfRaced(e, jsm, "OBJ_" + ARTIFACTS_STORE);
      }
    }
  }

  private static void ensureStream(JetStreamManagement jsm, StreamConfiguration config)
      throws IOException, JetStreamApiException {
    try {
      jsm.getStreamInfo(config.getName());
      return;
    } catch (JetStreamApiException e) {
      if (!JetStreamErrors.is(e, JetStreamErrors.STREAM_NOT_FOUND)) {
        throw e;
      }
    }
    try {
      jsm.addStream(config);
      LOG.infof("created stream %s", config.getName());
    } catch (JetStreamApiException e) {
      ignoreIfRaced(e, jsm, config.getName());
    }
  }

  private static boolean exists(JetStreamManagement jsm, String stream) throws IOException {
    try {
      jsm.getStreamInfo(stream);
      return true;
    } catch (JetStreamApiException e) {
      return false;
    }
  }

  private static void ensureBucket(
      JetStreamManagement jsm,
      KeyValueManagement kvm,
      List<String> existing,
      String name,
      int history,
      String description,
      int replicas)
      throws IOException, JetStreamApiException {
    if (existing.contains(name)) {
      return;
    }
    try {
      kvm.create(
          KeyValueConfiguration.builder()
              .name(name)
              .description(description)
              .maxHistoryPerKey(history)
              .storageType(StorageType.File)
              .replicas(replicas)
              .build());
      LOG.infof("created KV bucket %s", name);
    } catch (JetStreamApiException e) {
      ignoreIfRaced(e, jsm, "KV_" + name);
    }
  }

  private static void ignoreIfRaced(JetStreamApiException e, JetStreamManagement jsm, String stream)
      throws IOException, JetStreamApiException {
    // Another service created it between our look and our create; a different configuration
    // (say, other replicas) is kept as the operator made it. The server does not always say so
    // with "already exists": a racing create may be answered "subjects overlap with an existing
    // stream" (the one just created), so look again before calling it an error.
    if (!JetStreamErrors.is(e, JetStreamErrors.STREAM_NAME_IN_USE) && !exists(jsm, stream)) {
      throw e;
    }
    LOG.debugf("%s already exists", stream);
  }
}

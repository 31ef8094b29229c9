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
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** The project registry: key = project name; written only through the operator's API. */
  public static final String PROJECTS_BUCKET = "agentos-projects";

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

  /**
   * Where a team's requests arrive: a team account imports {@code agentos.team.<team>.api.>} as its
   * own {@code agentos.api.>}, so the server, not the request, says which team asks.
   */
  public static final String TEAM_PREFIX = PREFIX + "team.";

  /** The durable consumer every service shares to turn {@code agentos.tasks.*} into cycles. */
  public static final String INTAKE_CONSUMER = "intake";

  public static final String CYCLE_KEY_PREFIX = "cycle.";

  /** In the cycles bucket: {@code lock.<hash>} names the cycle working in a local working tree. */
  public static final String WORKSPACE_LOCK_KEY_PREFIX = "lock.";

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

  /**
   * A cycle's event subject; a cycle of a team's project carries the team as a last token, which
   * the team account's stream import filters on ({@code agentos.events.*.*.<team>}). {@code
   * agentos.events.<cycle_id>.>} matches both forms.
   */
  public static String eventSubject(String cycleId, String type, String team) {
    return team == null ? eventSubject(cycleId, type) : eventSubject(cycleId, type) + "." + team;
  }

  /** {@code agentos.team.*.api.<endpoint>}: the endpoint as every team's account reaches it. */
  public static String teamApiSubject(String endpoint) {
    return TEAM_PREFIX + "*.api." + endpoint;
  }

  /** The team token of a subject under {@link #TEAM_PREFIX}, else null. */
  public static String teamOf(String subject) {
    if (subject == null || !subject.startsWith(TEAM_PREFIX)) {
      return null;
    }
    int end = subject.indexOf('.', TEAM_PREFIX.length());
    return end < 0 ? null : subject.substring(TEAM_PREFIX.length(), end);
  }

  public static String taskSubject(String project) {
    return TASKS_PREFIX + project;
  }

  /**
   * Where a team's durable tasks arrive: a team account imports {@code agentos.tasks.team.<team>.>}
   * as its own {@code agentos.tasks.>}, so a team user's {@code nats pub agentos.tasks.<project>}
   * lands here with the team put in by the server. Inside {@code agentos.tasks.>}, so the tasks
   * stream and its intake consumer take it as they are (a project name is one token, so {@code
   * agentos.tasks.team} stays a project named "team").
   */
  public static final String TEAM_TASKS_PREFIX = TASKS_PREFIX + "team.";

  /** {@code agentos.tasks.team.<team>.<project>}: a team's task as the services receive it. */
  public static String teamTaskSubject(String team, String project) {
    return TEAM_TASKS_PREFIX + team + "." + project;
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

  public static String workspaceLockKey(String hash) {
    return WORKSPACE_LOCK_KEY_PREFIX + hash;
  }

  /** The durable consumer of a phase's work, shared by every replica of its role. */
  public static String consumer(Phase phase) {
    return phase.role();
  }

  /** A KV bucket {@link #ensure} creates. */
  private record BucketSpec(String name, int history, String description) {}

  /** A durable consumer {@link #ensure} creates on {@code stream}. */
  private record ConsumerSpec(String stream, ConsumerConfiguration config) {}

  private static final List<BucketSpec> BUCKETS =
      List.of(
          new BucketSpec(CYCLES_BUCKET, CYCLE_HISTORY, "Agent OS cycle states"),
          new BucketSpec(DECISIONS_BUCKET, 5, "Agent OS decision log"),
          new BucketSpec(STANDARDS_BUCKET, 5, "Agent OS team standards"),
          new BucketSpec(INSTRUCTIONS_BUCKET, 5, "Agent OS team instructions"),
          new BucketSpec(HISTORY_BUCKET, 1, "Agent OS ended cycles"),
          new BucketSpec(PROJECTS_BUCKET, 5, "Agent OS project registry"));

  /**
   * Every stream, durable consumer, KV bucket and object store {@link #ensure} creates, read from
   * the same definitions it creates them from: a checker that walks this list checks exactly what
   * the services need.
   */
  public static List<TopologyResource> resources() {
    TopologySettings any = TopologySettings.defaults(); // settings change no name
    List<TopologyResource> all = new ArrayList<>();
    for (StreamConfiguration stream : streams(any)) {
      all.add(new TopologyResource.Stream(stream.getName()));
    }
    for (ConsumerSpec consumer : consumers(any)) {
      all.add(new TopologyResource.Consumer(consumer.stream(), consumer.config().getDurable()));
    }
    for (BucketSpec bucket : BUCKETS) {
      all.add(new TopologyResource.KvBucket(bucket.name()));
    }
    all.add(new TopologyResource.ObjectStore(ARTIFACTS_STORE));
    return List.copyOf(all);
  }

  /** The {@link #resources()} the server at {@code nc} does not have, in the same order. */
  public static List<TopologyResource> missing(Connection nc)
      throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nc.jetStreamManagement();
    Set<String> streams = new HashSet<>(jsm.getStreamNames());
    Set<String> buckets = new HashSet<>(nc.keyValueManagement().getBucketNames());
    Set<String> stores = new HashSet<>(nc.objectStoreManagement().getBucketNames());
    Map<String, Set<String>> consumers = new HashMap<>();
    List<TopologyResource> missing = new ArrayList<>();
    for (TopologyResource resource : resources()) {
      boolean present;
      if (resource instanceof TopologyResource.Stream stream) {
        present = streams.contains(stream.name());
      } else if (resource instanceof TopologyResource.Consumer consumer) {
        if (!consumers.containsKey(consumer.stream())) {
          consumers.put(
              consumer.stream(),
              streams.contains(consumer.stream())
                  ? new HashSet<>(jsm.getConsumerNames(consumer.stream()))
                  : Set.of());
        }
        present = consumers.get(consumer.stream()).contains(consumer.name());
      } else if (resource instanceof TopologyResource.KvBucket bucket) {
        present = buckets.contains(bucket.name());
      } else {
        present = stores.contains(((TopologyResource.ObjectStore) resource).name());
      }
      if (!present) {
        missing.add(resource);
      }
    }
    return missing;
  }

  /** Creates whatever is missing; leaves what exists as it is. */
  public static void ensure(Connection nc, TopologySettings settings)
      throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nc.jetStreamManagement();
    for (StreamConfiguration stream : streams(settings)) {
      ensureStream(jsm, stream);
    }
    for (ConsumerSpec consumer : consumers(settings)) {
      jsm.addOrUpdateConsumer(consumer.stream(), consumer.config());
    }

    KeyValueManagement kvm = nc.keyValueManagement();
    List<String> existing = kvm.getBucketNames();
    for (BucketSpec bucket : BUCKETS) {
      if (!existing.contains(bucket.name())) {
        createBucket(jsm, kvm, bucket, settings);
      } else {
        applyMaxBytes(jsm, "KV_" + bucket.name(), settings.limits().bucketBytes());
      }
    }

    ObjectStoreManagement osm = nc.objectStoreManagement();
    if (osm.getBucketNames().contains(ARTIFACTS_STORE)) {
      applyMaxBytes(jsm, "OBJ_" + ARTIFACTS_STORE, settings.limits().artifactBytes());
    } else {
      try {
        osm.create(
            ObjectStoreConfiguration.builder(ARTIFACTS_STORE)
                .description("Agent OS transcripts, diffs and recaps larger than state may hold")
                .storageType(StorageType.File)
                .replicas(settings.replicas())
                .maxBucketSize(settings.limits().artifactBytes())
                .build());
      } catch (JetStreamApiException e) {
        ignoreIfRaced(e, jsm, "OBJ_" + ARTIFACTS_STORE);
      }
    }
  }

  private static List<StreamConfiguration> streams(TopologySettings settings) {
    return List.of(
        stream(WORK_STREAM, settings)
            .subjects(Arrays.stream(Phase.values()).map(Topology::workSubject).toList())
            .retentionPolicy(RetentionPolicy.WorkQueue)
            .duplicateWindow(DUPLICATE_WINDOW)
            .build(),
        stream(EVENTS_STREAM, settings)
            .subjects(EVENTS_PREFIX + ">")
            .retentionPolicy(RetentionPolicy.Limits)
            .discardPolicy(DiscardPolicy.Old) // a log: the oldest events go first
            .maxAge(settings.eventsMaxAge())
            .build(),
        stream(TASKS_STREAM, settings)
            .subjects(TASKS_PREFIX + ">")
            .retentionPolicy(RetentionPolicy.WorkQueue)
            .duplicateWindow(DUPLICATE_WINDOW)
            .build(),
        stream(DLQ_STREAM, settings)
            .subjects(DLQ_PREFIX + ">")
            .retentionPolicy(RetentionPolicy.Limits)
            .build(),
        stream(ADVISORIES_STREAM, settings)
            .subjects(MAX_DELIVERIES_PREFIX + ">")
            .retentionPolicy(RetentionPolicy.WorkQueue)
            .maxAge(settings.eventsMaxAge())
            .build());
  }

  private static StreamConfiguration.Builder stream(String name, TopologySettings settings) {
    return StreamConfiguration.builder()
        .name(name)
        .storageType(StorageType.File)
        .replicas(settings.replicas())
        .maxBytes(settings.limits().streamBytes())
        .discardPolicy(DiscardPolicy.New);
  }

  private static List<ConsumerSpec> consumers(TopologySettings settings) {
    List<ConsumerSpec> consumers = new ArrayList<>();
    for (Phase phase : Phase.values()) {
      consumers.add(
          new ConsumerSpec(
              ADVISORIES_STREAM,
              ConsumerConfiguration.builder()
                  .durable(maxDeliveriesConsumer(phase))
                  .filterSubject(maxDeliveriesSubject(phase))
                  .ackPolicy(AckPolicy.Explicit)
                  .deliverPolicy(DeliverPolicy.All)
                  .ackWait(settings.ackWait())
                  .build()));
      consumers.add(
          new ConsumerSpec(
              WORK_STREAM,
              ConsumerConfiguration.builder()
                  .durable(consumer(phase))
                  .filterSubject(workSubject(phase))
                  .ackPolicy(AckPolicy.Explicit)
                  .deliverPolicy(DeliverPolicy.All)
                  .ackWait(settings.ackWait())
                  .maxDeliver(settings.maxDeliver())
                  .maxAckPending(settings.maxAckPending())
                  .build()));
    }
    consumers.add(
        new ConsumerSpec(
            TASKS_STREAM,
            ConsumerConfiguration.builder()
                .durable(INTAKE_CONSUMER)
                .filterSubject(TASKS_PREFIX + ">")
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(settings.ackWait())
                // Unlimited: a task is tried again (with backoff) until it becomes a cycle or a
                // rejected event, never left in the stream with neither.
                .maxDeliver(-1)
                .build()));
    return consumers;
  }

  private static void ensureStream(JetStreamManagement jsm, StreamConfiguration config)
      throws IOException, JetStreamApiException {
    try {
      applyMaxBytes(jsm, jsm.getStreamInfo(config.getName()), config.getMaxBytes());
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

  private static void applyMaxBytes(JetStreamManagement jsm, String stream, long maxBytes)
      throws IOException, JetStreamApiException {
    applyMaxBytes(jsm, jsm.getStreamInfo(stream), maxBytes);
  }

  /**
   * Gives a stream (or the stream under a bucket or the object store) that exists the configured
   * maximum size, when it has another: a limit changed in the configuration holds from the next
   * start, not only for what is created after it. Only the size is changed; the rest stays as the
   * operator may have made it. A refused update (a size below what the stream holds, no permission)
   * is logged and leaves the stream as it was: the service still starts.
   */
  private static void applyMaxBytes(JetStreamManagement jsm, StreamInfo info, long maxBytes) {
    StreamConfiguration current = info.getConfiguration();
    if (current.getMaxBytes() == maxBytes) {
      return;
    }
    try {
      jsm.updateStream(StreamConfiguration.builder(current).maxBytes(maxBytes).build());
      LOG.infof(
          "stream %s: max bytes %d -> %d (agentos.nats.max-bytes.*)",
          current.getName(), current.getMaxBytes(), maxBytes);
    } catch (JetStreamApiException | IOException e) {
      LOG.warnf(
          "stream %s keeps max bytes %d, not the configured %d: %s (an operator applies it with"
              + " `nats stream edit %s --max-bytes %d`)",
          current.getName(),
          current.getMaxBytes(),
          maxBytes,
          e.getMessage(),
          current.getName(),
          maxBytes);
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

  private static void createBucket(
      JetStreamManagement jsm, KeyValueManagement kvm, BucketSpec bucket, TopologySettings settings)
      throws IOException, JetStreamApiException {
    try {
      kvm.create(
          KeyValueConfiguration.builder()
              .name(bucket.name())
              .description(bucket.description())
              .maxHistoryPerKey(bucket.history())
              .storageType(StorageType.File)
              .replicas(settings.replicas())
              .maxBucketSize(settings.limits().bucketBytes())
              .build());
      LOG.infof("created KV bucket %s", bucket.name());
    } catch (JetStreamApiException e) {
      ignoreIfRaced(e, jsm, "KV_" + bucket.name());
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

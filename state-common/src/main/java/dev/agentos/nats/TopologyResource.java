package dev.agentos.nats;

/**
 * One thing {@link Topology#ensure} creates; {@link Topology#resources()} lists them all, and
 * {@code agentos doctor} checks exactly that list.
 */
public sealed interface TopologyResource {
  /** What sort of thing it is: {@code stream}, {@code consumer}, {@code KV bucket}, … */
  String kind();

  String name();

  /** How a person would name it: {@code stream AGENTOS_WORK}, {@code KV bucket agentos-cycles}. */
  default String describe() {
    return kind() + " " + name();
  }

  record Stream(String name) implements TopologyResource {
    @Override
    public String kind() {
      return "stream";
    }
  }

  /** A durable consumer of {@code stream}. */
  record Consumer(String stream, String name) implements TopologyResource {
    @Override
    public String kind() {
      return "consumer";
    }

    @Override
    public String describe() {
      return "consumer " + name + " of " + stream;
    }
  }

  record KvBucket(String name) implements TopologyResource {
    @Override
    public String kind() {
      return "KV bucket";
    }
  }

  record ObjectStore(String name) implements TopologyResource {
    @Override
    public String kind() {
      return "object store";
    }
  }
}

package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.EventType;
import dev.agentos.nats.Events;
import dev.agentos.nats.PullLoop;
import dev.agentos.nats.Topology;
import io.nats.client.ConsumerContext;
import io.nats.client.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns durable task messages ({@code nats pub agentos.tasks.<project> '<task>'}) into cycles; a
 * team account's tasks arrive on {@code agentos.tasks.team.<team>.<project>} (its import puts the
 * team there) and are held to the team's projects as a team's submit is. The cycle id derives from
 * the message's place in the stream, so a redelivery finds its cycle already created and creates no
 * second one. A task that cannot become a cycle is answered with a {@code rejected} event that says
 * why, and acked: it is never retried into a crash loop.
 */
public final class TaskIntake implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TaskIntake.class);

  private final ConsumerContext consumer;
  private final Submissions submissions;
  private final Events events;
  private final String streamIdentity;
  private final int maxTaskBytes;
  private final Clock clock;
  private PullLoop loop;

  /** The longest a task waits between two tries while NATS or KV is unavailable. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * @param streamIdentity something that changes when the tasks stream is re-created (its creation
   *     time), so that restarted sequence numbers do not map onto old cycles
   */
  public TaskIntake(
      ConsumerContext consumer,
      Submissions submissions,
      Events events,
      String streamIdentity,
      Clock clock) {
    this(consumer, submissions, events, streamIdentity, Integer.MAX_VALUE, clock);
  }

  /**
   * @param maxTaskBytes the API's request size cap: a larger task is rejected, as a larger request
   *     is
   */
  public TaskIntake(
      ConsumerContext consumer,
      Submissions submissions,
      Events events,
      String streamIdentity,
      int maxTaskBytes,
      Clock clock) {
    this.consumer = consumer;
    this.submissions = submissions;
    this.events = events;
    this.streamIdentity = streamIdentity;
    this.maxTaskBytes = maxTaskBytes;
    this.clock = clock;
  }

  public void start() {
    loop =
        PullLoop.start(
            "agentos-task-intake", wait -> Optional.ofNullable(consumer.next(wait)), this::accept);
  }

  @Override
  public void close() {
    if (loop != null) {
      loop.close();
    }
  }

  /** 1 s, 2 s, 4 s, ... up to {@link #MAX_BACKOFF}, by the delivery about to be retried. */
  static Duration backoff(long delivered) {
    long exponent = Math.min(Math.max(delivered - 1, 0), 5);
    Duration delay = Duration.ofSeconds(1L << exponent);
    return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
  }

  void accept(Message message) {
    String cycleId = CycleIds.forTask(streamIdentity, message.metaData().streamSequence());
    TaskSubject where = TaskSubject.of(message.getSubject());
    String subjectProject = where.project();
    try {
      where.requireValid();
      byte[] body = message.getData();
      if (body != null && body.length > maxTaskBytes) {
        throw new AgentOsException(
            ErrorCode.PAYLOAD_TOO_LARGE,
            "the task has "
                + body.length
                + " bytes; the limit is "
                + maxTaskBytes
                + ". Put large content in the workspace and refer to it by path");
      }
      SubmitRequest request = Json.read(body, SubmitRequest.class);
      if (request.project() != null && !request.project().equals(subjectProject)) {
        throw AgentOsException.invalid(
            "the task names project '"
                + request.project()
                + "' but was published to "
                + message.getSubject());
      }
      SubmitRequest withProject =
          new SubmitRequest(
              subjectProject,
              request.instruction(),
              request.goal(),
              request.spec(),
              request.workspace(),
              request.options(),
              null);
      submissions.submit(where.caller(), withProject, cycleId);
      message.ack();
    } catch (AgentOsException e) {
      if (e.code() == ErrorCode.CONFLICT && !(e instanceof WorkspaceBusyException)) {
        message.ack(); // a redelivery: its cycle was created the first time
      } else if (e.code().retryable()) {
        // NATS or KV is unavailable: the task waits in the stream (the intake consumer delivers
        // without limit) and is tried again, less often the longer it fails.
        Duration delay = backoff(message.metaData().deliveredCount());
        LOG.warnf(
            "cycle=%s task on %s not accepted yet (%s), trying again in %s",
            cycleId, message.getSubject(), e.getMessage(), delay);
        message.nakWithDelay(delay);
      } else {
        LOG.warnf(
            "cycle=%s task on %s rejected: %s", cycleId, message.getSubject(), e.getMessage());
        // A team's rejected task is told where the team's account receives events.
        events.publish(
            where.caller().team(),
            new CycleEvent(
                cycleId,
                EventType.REJECTED.wire(),
                clock.instant(),
                null,
                null,
                null,
                e.getMessage(),
                null));
        message.ack();
      }
    }
  }

  /**
   * Who published a task and for which project, as the subject the server delivered says: {@code
   * agentos.tasks.<project>} is the operator's account, {@code agentos.tasks.team.<team>.<project>}
   * a team's (a team user cannot publish there for another team: its import fixes the team).
   */
  record TaskSubject(Caller caller, String project, String subject) {
    static TaskSubject of(String subject) {
      if (subject.startsWith(Topology.TEAM_TASKS_PREFIX)) {
        String rest = subject.substring(Topology.TEAM_TASKS_PREFIX.length());
        int dot = rest.indexOf('.');
        return dot < 0
            ? new TaskSubject(Caller.team(rest), "", subject)
            : new TaskSubject(
                Caller.team(rest.substring(0, dot)), rest.substring(dot + 1), subject);
      }
      return new TaskSubject(
          Caller.OPERATOR, subject.substring(Topology.TASKS_PREFIX.length()), subject);
    }

    /** INVALID_REQUEST unless the project is one subject token: what a project name is. */
    void requireValid() {
      if (project.isEmpty() || project.contains(".")) {
        throw AgentOsException.invalid(
            "a task goes to agentos.tasks.<project>, the project one token (letters, digits, '_',"
                + " '-'), not "
                + (caller.isOperator()
                    ? subject
                    : "agentos.tasks." + project + " (as team " + caller.team() + ")"));
      }
    }
  }
}

package dev.agentos.nats;

import io.nats.client.JetStreamApiException;

/**
 * The JetStream API error codes Agent OS acts on, named once (the numbers are the server's {@code
 * err_code}, listed in nats-server's {@code server/errors.json}). Nobody else spells them.
 */
public final class JetStreamErrors {
  /** "no message found": a direct get or a delete of a sequence that is gone. */
  public static final int NO_MESSAGE_FOUND = 10037;

  /** "jetstream not enabled for account": the server runs without {@code -js}. */
  public static final int NOT_ENABLED_FOR_ACCOUNT = 10039;

  /** "stream name already in use": another service created it first. */
  public static final int STREAM_NAME_IN_USE = 10058;

  /** "stream not found". */
  public static final int STREAM_NOT_FOUND = 10059;

  /** "wrong last sequence": somebody else wrote the key since we read it (or it exists). */
  public static final int WRONG_LAST_SEQUENCE = 10071;

  /**
   * "{err}" of a store that refused a message: with "maximum bytes exceeded" or "maximum messages
   * exceeded" it is a stream, bucket or object store at its {@code max_bytes} / {@code max_msgs}
   * with discard-new (nats-server 2.9.10 answers a publish to a full AGENTOS_WORK or object store
   * so). Other store failures share the code, so the text tells them apart.
   */
  public static final int STREAM_STORE_FAILED = 10077;

  /** "resource limits exceeded for account": the account's JetStream limits are reached. */
  public static final int ACCOUNT_RESOURCES_EXCEEDED = 10002;

  /** "insufficient storage resources available": the account's or server's file storage. */
  public static final int STORAGE_RESOURCES_EXCEEDED = 10047;

  /** "insufficient memory resources available". */
  public static final int MEMORY_RESOURCES_EXCEEDED = 10028;

  /** "insufficient resources" (the server's JetStream as a whole). */
  public static final int INSUFFICIENT_RESOURCES = 10023;

  /** "sequence temporarily unknown", seen while a clustered stream elects a leader. */
  public static final int SEQUENCE_TEMPORARILY_UNKNOWN = 10164;

  /**
   * "JetStream system temporarily unavailable": the meta group or an asset's group has no leader
   * for the moment.
   */
  public static final int CLUSTER_NOT_AVAILABLE = 10008;

  private JetStreamErrors() {}

  /**
   * Whether the request never got an answer because the cluster is between leaders or the node the
   * client talks to is gone: nothing took the request ("no responders": a stream whose leader died
   * has no subscriber on its subjects until a new one is elected), nobody answered in time, or the
   * server said it is temporarily unavailable. Such a call may succeed when made again a moment
   * later; any other error will not.
   */
  public static boolean isTransient(Throwable e) {
    if (e instanceof JetStreamApiException api) {
      return is(api, CLUSTER_NOT_AVAILABLE) || api.getErrorCode() == 503;
    }
    return noResponders(e) || timedOut(e);
  }

  /** The request reached no one, so it changed nothing: safe to send again, even a create. */
  public static boolean noResponders(Throwable e) {
    String text = e.getMessage();
    return text != null && text.contains("No Responders");
  }

  /** No answer in time: the request may or may not have been carried out. */
  public static boolean timedOut(Throwable e) {
    String text = e.getMessage();
    return e instanceof java.util.concurrent.TimeoutException
        || (text != null
            && (text.contains("Timeout or no response") || text.contains("timed out")));
  }

  public static boolean is(JetStreamApiException e, int code) {
    return e.getApiErrorCode() == code;
  }

  /** A compare-and-set lost: read again and re-decide. */
  public static boolean isConflict(JetStreamApiException e) {
    return is(e, WRONG_LAST_SEQUENCE) || is(e, SEQUENCE_TEMPORARILY_UNKNOWN);
  }

  /**
   * Whether {@code e} says the server has JetStream turned off. Not every path reports it as a
   * {@link JetStreamApiException}: some wrap the server's reply text, which names the code.
   */
  public static boolean jetStreamDisabled(Throwable e) {
    if (e instanceof JetStreamApiException api && is(api, NOT_ENABLED_FOR_ACCOUNT)) {
      return true;
    }
    String text = e.getMessage();
    return text != null
        && (text.contains("JetStream not enabled")
            || text.contains(String.valueOf(NOT_ENABLED_FOR_ACCOUNT)));
  }

  /**
   * Whether a stream, bucket or the account is out of room: a write refused by a {@code max_bytes}
   * with discard-new, or by the account's (or server's) JetStream limits. Told by the server's
   * error code; the cause chain is followed, since some client paths wrap the server's answer.
   */
  public static boolean storageFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JetStreamApiException api && storageFull(api)) {
        return true;
      }
    }
    return false;
  }

  private static boolean storageFull(JetStreamApiException api) {
    int code = api.getApiErrorCode();
    if (code == ACCOUNT_RESOURCES_EXCEEDED
        || code == STORAGE_RESOURCES_EXCEEDED
        || code == MEMORY_RESOURCES_EXCEEDED
        || code == INSUFFICIENT_RESOURCES) {
      return true;
    }
    String text = api.getErrorDescription();
    return code == STREAM_STORE_FAILED
        && text != null
        && (text.contains("maximum bytes") || text.contains("maximum messages"));
  }

  /**
   * A failed read or write as the API reports it: STORAGE_FULL when out of room, else UNAVAILABLE.
   */
  public static dev.agentos.error.AgentOsException failure(String what, Exception cause) {
    if (storageFull(cause)) {
      return new dev.agentos.error.AgentOsException(
          dev.agentos.error.ErrorCode.STORAGE_FULL,
          "cannot "
              + what
              + ": out of room ("
              + cause.getMessage()
              + "); an operator raises agentos.nats.max-bytes.* or the account's JetStream"
              + " limits, or frees room",
          cause);
    }
    return new dev.agentos.error.AgentOsException(
        dev.agentos.error.ErrorCode.UNAVAILABLE,
        "cannot " + what + ": " + cause.getMessage(),
        cause);
  }
}

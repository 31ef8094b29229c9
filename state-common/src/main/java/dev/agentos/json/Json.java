package dev.agentos.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one JSON configuration of Agent OS: snake_case fields, UPPER_CASE enums, ISO-8601 instants,
 * nulls left out (an absent number or flag reads as 0 or false), and no silent coercion of "3" into
 * 3 or of 42 into "42". State, API, events and work messages all go through it.
 */
public final class Json {
  private static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

  /** Reads one value in the middle of a document: what follows it is not trailing garbage. */
  private static final ObjectReader FIELD_READER =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * The lenient readers of stored documents, one per type: making one per read looked its root
   * deserializer up again each time (a few percent of a service's CPU in the bench's profile).
   */
  private static final Map<Class<?>, ObjectReader> STORED_READERS = new ConcurrentHashMap<>();

  private Json() {}

  /** Applies the Agent OS settings to a builder; Quarkus services use it on their own mapper. */
  public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
    return builder
        .addModule(new JavaTimeModule())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .withCoercionConfig(
            LogicalType.Textual,
            text ->
                text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * The named top-level fields of a JSON object, read without building the rest of the document
   * (which is skipped unparsed); an empty object when {@code json} is not a readable object. For
   * readers of every cycle write, such as a KV watch that needs only the status.
   */
  public static ObjectNode topLevelFields(byte[] json, Set<String> names) {
    ObjectNode fields = MAPPER.createObjectNode();
    if (json == null || json.length == 0) {
      return fields;
    }
    try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return fields;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (names.contains(name)) {
          fields.set(name, FIELD_READER.readTree(parser));
          if (fields.size() == names.size()) {
            break; // the rest is not needed
          }
        } else {
          parser.skipChildren();
        }
      }
      return fields;
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new AgentOsException(ErrorCode.INTERNAL, "cannot serialise " + value.getClass(), e);
    }
  }

  public static String writeString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new AgentOsException(ErrorCode.INTERNAL, "cannot serialise " + value.getClass(), e);
    }
  }

  /** Parses bytes into a tree; malformed JSON becomes an INVALID_REQUEST that says where. */
  public static JsonNode tree(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw AgentOsException.invalid("the request body is empty; send a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw AgentOsException.invalid("malformed JSON: " + e.getOriginalMessage() + location(e));
    } catch (IOException e) {
      throw AgentOsException.invalid("unreadable JSON: " + e.getMessage());
    }
  }

  /**
   * Reads a request strictly; every problem becomes an INVALID_REQUEST that says what and where.
   */
  public static <T> T read(byte[] bytes, Class<T> type) {
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw AgentOsException.invalid("the request body is JSON null; send a JSON object");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw AgentOsException.invalid(describe(e));
    } catch (IOException e) {
      throw AgentOsException.invalid("unreadable JSON: " + e.getMessage());
    }
  }

  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw AgentOsException.invalid(describe(e));
    }
  }

  private static String describe(JsonProcessingException e) {
    if (e instanceof JsonParseException) {
      return "malformed JSON: " + e.getOriginalMessage() + location(e);
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known =
          unknown.getKnownPropertyIds() == null
              ? ""
              : "; known fields: " + unknown.getKnownPropertyIds();
      return "unknown field '" + path(unknown) + "'" + known;
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return "field '" + path(mapping) + "': " + e.getOriginalMessage();
    }
    return "invalid request: " + e.getOriginalMessage() + location(e);
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /**
   * Binds a stored document written by this or a newer version of Agent OS: fields a record does
   * not know are kept in its {@code extra} where it has one, and skipped where it has none, never
   * an error. Requests are read strictly instead.
   */
  public static <T> T convertStored(JsonNode node, Class<T> type) {
    try {
      return storedReader(type).readValue(node);
    } catch (IOException e) {
      throw unreadableStored(type, e);
    }
  }

  /**
   * Like {@link #convertStored}, but straight from the stored bytes, without building a tree of the
   * document first; for a document that needs no migration.
   */
  public static <T> T readStored(byte[] bytes, Class<T> type) {
    try {
      T value = storedReader(type).readValue(bytes);
      if (value == null) {
        throw new IOException("the document is JSON null");
      }
      return value;
    } catch (IOException e) {
      throw unreadableStored(type, e);
    }
  }

  private static ObjectReader storedReader(Class<?> type) {
    return STORED_READERS.computeIfAbsent(
        type, t -> MAPPER.readerFor(t).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
  }

  private static AgentOsException unreadableStored(Class<?> type, IOException e) {
    return new AgentOsException(
        ErrorCode.INTERNAL,
        "a stored " + type.getSimpleName() + " is unreadable: " + e.getMessage(),
        e);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}

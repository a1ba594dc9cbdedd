package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a JSON 1.1 request body into the object the services read, from Jackson's streaming parser:
 * the members of the request (strings, int and long numbers, booleans, nulls, and the objects and
 * arrays of them that KMS requests carry) go straight into nodes, without the data-binding
 * machinery of {@code ObjectReader.readTree} (a deserialization context, a deserializer look-up and
 * a node-building stack per request), which cost more than the parsing on the in-process path.
 *
 * <p>The result is what {@code readTree} gives for the same bytes, and so are the errors: a body
 * that is not one JSON object (malformed, empty, an array, a string, …) is AWS's {@code
 * SerializationException}. A body with a floating-point or big-integer number, or nested deeper
 * than KMS requests go, is handed to {@code readTree} whole, so its particular rules for those stay
 * in one place. Trailing text after the object is ignored, as {@code readTree} ignores it.
 */
public final class RequestJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectReader READER = JSON.reader();
  // the mapper's own factory: the same parser features and read constraints as readTree
  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 32;

  private RequestJson() {}

  /**
   * The JSON object of {@code body}; an empty object for an empty body.
   *
   * @throws AwsServiceError {@code SerializationException} if the body is not one JSON object
   */
  public static ObjectNode parseObject(byte[] body) {
    if (body.length == 0) {
      return NODES.objectNode();
    }
    try {
      ObjectNode parsed = stream(body);
      if (parsed != null) {
        return parsed;
      }
      // a member the stream leaves to the tree reader: read the whole body that way
      JsonNode node = READER.readTree(body);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // fall through to the AWS error below
    }
    throw notAnObject();
  }

  /** The error AWS answers for a body that is not a JSON object. */
  static AwsServiceError notAnObject() {
    return AwsServiceError.client(
        "SerializationException", "Start of structure or map found where not expected.");
  }

  /** The object, or null when some member needs the tree reader. */
  private static @Nullable ObjectNode stream(byte[] body) throws IOException {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        // empty (only white space), malformed, or another kind of value: readTree gives no object
        throw notAnObject();
      }
      return object(p, 1);
    }
  }

  private static @Nullable ObjectNode object(JsonParser p, int depth) throws IOException {
    ObjectNode object = NODES.objectNode();
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      JsonNode value = value(p, p.nextToken(), depth);
      if (value == null) {
        return null;
      }
      // a repeated name: the last value, in the first one's place (as readTree keeps it)
      object.set(name, value);
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      return null;
    }
    return object;
  }

  private static @Nullable ArrayNode array(JsonParser p, int depth) throws IOException {
    ArrayNode array = NODES.arrayNode();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      JsonNode value = value(p, t, depth);
      if (value == null) {
        return null;
      }
      array.add(value);
    }
    return array;
  }

  private static @Nullable JsonNode value(JsonParser p, @Nullable JsonToken token, int depth)
      throws IOException {
    if (token == null) {
      return null; // end of input inside a structure: the tree reader reports it
    }
    return switch (token) {
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> NODES.numberNode(p.getIntValue());
            case LONG -> NODES.numberNode(p.getLongValue());
            default -> null;
          };
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      case START_OBJECT -> depth >= MAX_DEPTH ? null : object(p, depth + 1);
      case START_ARRAY -> depth >= MAX_DEPTH ? null : array(p, depth + 1);
      default -> null; // floating-point numbers, embedded objects
    };
  }
}

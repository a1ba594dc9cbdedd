package dev.kmsposture.snapshot;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kmsposture.internal.json.JacksonProblems;

/** Reads and writes snapshot JSON with Jackson: strict on read, deterministic on write. */
final class SnapshotCodec {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          // Only record components are data; derived predicates such as isCustomerManaged() are
          // not.
          .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
          .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private SnapshotCodec() {}

  static AccountSnapshot read(String json) {
    try {
      AccountSnapshot snapshot = MAPPER.readValue(json, AccountSnapshot.class);
      if (snapshot == null) {
        // The document is JSON null (or empty): Jackson maps it to null.
        throw new SnapshotParseException(
            "",
            "expected a snapshot object, got null",
            new IllegalArgumentException("the document is null"));
      }
      return snapshot;
    } catch (JsonMappingException e) {
      throw new SnapshotParseException(pointer(e) + member(e), problem(e), e);
    } catch (JsonProcessingException e) {
      throw new SnapshotParseException("", JacksonProblems.syntax(e), e);
    }
  }

  static String write(AccountSnapshot s) {
    try {
      return MAPPER.writeValueAsString(s) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bug in kms-posture: cannot write a snapshot as JSON", e);
    }
  }

  static String pointer(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      sb.append('/');
      if (r.getFieldName() != null) {
        sb.append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else {
        sb.append(r.getIndex());
      }
    }
    return sb.toString();
  }

  /**
   * Returns the pointer step to the member a record constructor rejected, when Jackson's path stops
   * at the enclosing object: the missing required field, or the schema version.
   */
  private static String member(JsonMappingException e) {
    Throwable root = root(e);
    String msg = root.getMessage();
    if (root == e || msg == null) {
      return "";
    }
    if (root instanceof NullPointerException && msg.matches("[A-Za-z]+")) {
      return "/" + msg;
    }
    if (root instanceof IllegalArgumentException && msg.startsWith("snapshot schemaVersion")) {
      return "/schemaVersion";
    }
    return "";
  }

  private static Throwable root(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String problem(JsonMappingException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof NullPointerException && root.getMessage() != null) {
      return "required field [" + root.getMessage() + "] is missing";
    }
    if (root == e
        || root instanceof JsonProcessingException
        || root instanceof java.time.DateTimeException) {
      // Jackson's own wording names Java types and features: say what was expected instead.
      return JacksonProblems.describe(e);
    }
    String msg = root.getMessage() == null ? JacksonProblems.describe(e) : root.getMessage();
    int cut = msg.indexOf(" (class ");
    return cut > 0 ? msg.substring(0, cut) : msg;
  }
}

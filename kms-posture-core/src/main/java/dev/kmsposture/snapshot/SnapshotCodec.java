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
      return MAPPER.readValue(json, AccountSnapshot.class);
    } catch (JsonMappingException e) {
      throw new SnapshotParseException(pointer(e), problem(e), e);
    } catch (JsonProcessingException e) {
      throw new SnapshotParseException("", "malformed JSON: " + e.getOriginalMessage(), e);
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

  private static String problem(JsonMappingException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg =
        root != e && root.getMessage() != null ? root.getMessage() : e.getOriginalMessage();
    if (root instanceof NullPointerException) {
      return "required field [" + msg + "] is missing";
    }
    int cut = msg.indexOf(" (class ");
    return cut > 0 ? msg.substring(0, cut) : msg;
  }
}

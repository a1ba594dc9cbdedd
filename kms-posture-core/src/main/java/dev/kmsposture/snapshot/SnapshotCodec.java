package dev.kmsposture.snapshot;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.kmsposture.internal.json.JacksonProblems;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes snapshot JSON with Jackson: strict on read (no unknown or duplicate members, no
 * coercion of strings or fractions into numbers, instants only in UTC), deterministic on write.
 */
final class SnapshotCodec {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          // Instant is the only date-time type of a snapshot: it is read by UtcInstant and written
          // as ISO-8601 in UTC, as the date-time module writes it (which costs a fifth of a
          // second to register, for types a snapshot never has).
          .addModule(
              new SimpleModule("utc-instants")
                  .addDeserializer(Instant.class, new UtcInstant())
                  .addSerializer(Instant.class, new InstantText()))
          // "1" is not 1, and 1.0 is not 1: a schema that says integer means a JSON integer.
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
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
    return SnapshotReader.create().read(json);
  }

  /**
   * Reads an instant written in UTC, as the schema says: {@code 2026-11-28T09:00:00Z}, with an
   * optional fraction of a second. An offset such as {@code +02:00}, a local time without one, or a
   * number of seconds is rejected rather than converted.
   */
  static final class UtcInstant extends JsonDeserializer<Instant> {
    private static final Pattern UTC =
        Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw JsonMappingException.from(
            p, "an instant must be a string in UTC such as 2026-11-28T09:00:00Z");
      }
      String text = p.getText();
      Instant plain = plainSeconds(text);
      if (plain != null) {
        return plain;
      }
      if (!UTC.matcher(text).matches()) {
        throw JsonMappingException.from(
            p,
            String.format(
                "instant [%s] is not in UTC; expected ISO-8601 ending in Z, such as"
                    + " 2026-11-28T09:00:00Z",
                text));
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw JsonMappingException.from(
            p, String.format("instant [%s] is not a valid date and time", text), e);
      }
    }
  }

  /**
   * Writes an instant as the date-time module writes it with dates not written as timestamps: its
   * ISO-8601 text in UTC ({@link Instant#toString()}, {@code DateTimeFormatter.ISO_INSTANT}).
   */
  static final class InstantText extends StdSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    InstantText() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  /**
   * Returns the instant {@link UtcInstant} reads from the string {@code text}, or null when it
   * rejects the text.
   */
  static @Nullable Instant utc(String text) {
    Instant plain = plainSeconds(text);
    if (plain != null) {
      return plain;
    }
    if (!UtcInstant.UTC.matcher(text).matches()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Returns the instant of {@code text} when it has the plain shape {@code 2026-11-28T09:00:00Z}
   * (no fraction) and names a valid date and time, the same instant {@link Instant#parse} gives;
   * null for any other text, which the regular path then accepts or rejects. A snapshot has several
   * instants per key, and the formatter's parse was a tenth of a whole check's time.
   */
  static @Nullable Instant plainSeconds(String text) {
    if (text.length() != 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || (day > 28 && day > YearMonth.of(year, month).lengthOfMonth())
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second);
  }

  // The number the ASCII digits text[from, to) spell, or -1 if any is not a digit.
  private static int digits(String text, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  static String write(AccountSnapshot s) {
    try {
      return MAPPER.writeValueAsString(s) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bug in kms-posture: cannot write a snapshot as JSON", e);
    }
  }

  // Built when first used, not with the mapper: a check never writes a key, and reads keys with
  // SnapshotReader. (Each looks up its whole serializer or deserializer when built.)
  private static final class KeyWriter {
    static final com.fasterxml.jackson.databind.ObjectWriter WRITER =
        MAPPER.writerFor(KeySnapshot.class).without(SerializationFeature.INDENT_OUTPUT);
  }

  private static final class KeyReader {
    static final com.fasterxml.jackson.databind.ObjectReader READER =
        MAPPER.readerFor(KeySnapshot.class);
  }

  static String writeKey(KeySnapshot key) {
    try {
      return KeyWriter.WRITER.writeValueAsString(key);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bug in kms-posture: cannot write a key as JSON", e);
    }
  }

  static KeySnapshot readKey(String json) {
    try {
      return KeyReader.READER.readValue(json);
    } catch (JsonMappingException e) {
      throw new SnapshotParseException(pointer(e) + member(e), problem(e), e);
    } catch (JsonProcessingException e) {
      throw new SnapshotParseException("", JacksonProblems.syntax(e), e);
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
  static String member(JsonMappingException e) {
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

  static String problem(JsonMappingException e) {
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

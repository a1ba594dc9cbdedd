package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.policy.StatementPlace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the output lines of {@code evaluate} as UTF-8 JSON with one Jackson generator that a
 * worker keeps from batch to batch: field names and outcomes are written from their encoded bytes,
 * a decision's {@code statements} array is encoded once per distinct list of statements, and the
 * explanation is formatted into a reused buffer and escaped from there (no String per line). The
 * bytes are those of writing each field with {@code writeStringField}, {@code writeNumberField} and
 * so on. Not thread-safe: one per worker.
 */
final class DecisionWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private static final SerializableString LINE = new SerializedString("line");
  private static final SerializableString ERROR = new SerializedString("error");
  private static final SerializableString DECISION = new SerializedString("decision");
  private static final SerializableString DELEGATED = new SerializedString("delegatedToIam");
  private static final SerializableString STATEMENTS = new SerializedString("statements");
  private static final SerializableString EXPLANATION = new SerializedString("explanation");
  private static final SerializableString ALLOWED = new SerializedString("ALLOWED");
  private static final SerializableString EXPLICITLY_DENIED =
      new SerializedString("EXPLICITLY_DENIED");
  private static final SerializableString IMPLICITLY_DENIED =
      new SerializedString("IMPLICITLY_DENIED");

  // Distinct statement lists are few (one per statement, or per key/identity pair): each is
  // encoded once. Bounded, so that a stream of identity-policy pairs cannot grow it without end.
  private static final int MAX_STATEMENT_LISTS = 4096;

  private final Map<List<StatementRef>, SerializableString> statementsJson;
  private final Sink sink = new Sink();
  private final JsonGenerator gen;
  private final StringBuilder text = new StringBuilder(512);
  private char[] chars = new char[512];

  /**
   * Creates a writer.
   *
   * @param statementsJson the encoded statement lists, shared by the writers of one stream
   */
  DecisionWriter(Map<List<StatementRef>, SerializableString> statementsJson) {
    this.statementsJson = statementsJson;
    try {
      gen = JSON.createGenerator(sink);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    gen.setRootValueSeparator(null);
  }

  /** Returns a new map for {@link #DecisionWriter(Map)}. */
  static Map<List<StatementRef>, SerializableString> newStatementCache() {
    return new ConcurrentHashMap<>();
  }

  /**
   * The output of one batch: its bytes are {@code bytes()[0, length())}; the array is not copied.
   */
  static final class Text {
    private final byte[] bytes;
    private final int length;

    Text(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    byte[] bytes() {
      return bytes;
    }

    int length() {
      return length;
    }
  }

  private static final byte[] DETACHED = new byte[0];

  /**
   * Starts a batch's output in {@code buffer} (which may be grown and replaced): the writer holds
   * it until {@link #finish()} hands it back.
   */
  void start(byte[] buffer) {
    sink.bytes = buffer;
    sink.length = 0;
  }

  /**
   * Ends the batch's output and hands its buffer over: the writer keeps no reference to it, so the
   * writer can start another batch (on any thread) while the caller still reads the text.
   */
  Text finish() throws IOException {
    gen.flush();
    Text text = new Text(sink.bytes, sink.length);
    sink.bytes = DETACHED;
    sink.length = 0;
    return text;
  }

  /** Writes {@code {"line":N,"error":"line N: message"}} and a newline. */
  void error(long number, String message) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(LINE);
    gen.writeNumber(number);
    gen.writeFieldName(ERROR);
    gen.writeString("line " + number + ": " + message);
    gen.writeEndObject();
    gen.writeRaw('\n');
  }

  /** Writes the decision line of line {@code number} and a newline. */
  void decision(long number, Decision d) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(LINE);
    gen.writeNumber(number);
    gen.writeFieldName(DECISION);
    gen.writeString(
        switch (d.outcome()) {
          case ALLOWED -> ALLOWED;
          case EXPLICITLY_DENIED -> EXPLICITLY_DENIED;
          case IMPLICITLY_DENIED -> IMPLICITLY_DENIED;
        });
    gen.writeFieldName(DELEGATED);
    gen.writeBoolean(d.delegatedToIam());
    gen.writeFieldName(STATEMENTS);
    gen.writeRawValue(statements(d.statements()));
    gen.writeFieldName(EXPLANATION);
    StringBuilder sb = text;
    sb.setLength(0);
    d.reason().appendTo(sb);
    int n = sb.length();
    if (n > chars.length) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    sb.getChars(0, n, chars, 0);
    gen.writeString(chars, 0, n);
    gen.writeEndObject();
    gen.writeRaw('\n');
    if (sb.capacity() > 64 * 1024) {
      // One long explanation (a long principal) must not keep its buffer for the whole stream.
      text.setLength(0);
      text.trimToSize();
      chars = new char[512];
    }
  }

  private SerializableString statements(List<StatementRef> refs) throws IOException {
    SerializableString json = statementsJson.get(refs);
    if (json == null) {
      json = encode(refs);
      if (statementsJson.size() < MAX_STATEMENT_LISTS) {
        statementsJson.putIfAbsent(refs, json);
      }
    }
    return json;
  }

  // The array as writeArrayFieldStart and writeStringField write it, with the same generator type.
  private static SerializableString encode(List<StatementRef> refs) throws IOException {
    Sink out = new Sink();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (StatementRef s : refs) {
        g.writeStartObject();
        g.writeStringField("source", s.source());
        // A grant has no statements: -1, null and "" stand for "no place" in this output.
        StatementPlace at = s.place();
        g.writeNumberField("index", at == null ? -1 : at.index());
        g.writeStringField("sid", at == null ? null : at.sid());
        g.writeStringField("pointer", at == null ? "" : at.pointer());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    SerializedString json =
        new SerializedString(new String(out.bytes, 0, out.length, StandardCharsets.UTF_8));
    // Encoded now, before the string is shared: the writers of other workers then only read the
    // cached bytes rather than race to fill them.
    json.asUnquotedUTF8();
    return json;
  }

  /** A growable byte buffer that hands out its array (no copy, unlike ByteArrayOutputStream). */
  static final class Sink extends OutputStream {
    byte[] bytes = new byte[256];
    int length;

    @Override
    public void write(int b) {
      if (length == bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(256, bytes.length * 2));
      }
      bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (length + len > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
      }
      System.arraycopy(b, off, bytes, length, len);
      length += len;
    }
  }
}

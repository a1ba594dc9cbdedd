package dev.kmsposture.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Prints the report writers' JSON with Jackson's streaming generator, one member at a time, so a
 * report of millions of findings never exists as one tree or one string. Object members come in the
 * order they are written, and the printer uses two-space indentation and {@code \n} line ends on
 * every platform, so the same report always prints as the same bytes.
 *
 * <p>A document printed to bytes ({@link #document(OutputStream, CodingErrorAction, Body)}) prints
 * the long arrays (findings, results) in chunks on other threads ({@link ChunkedElements}): the
 * same bytes as the text of {@link #document(Writer, Body)} encoded as UTF-8.
 */
final class JsonText {
  private static final ObjectWriter WRITER;

  /**
   * The same printer for generators that print UTF-8 bytes: a surrogate pair becomes the 4-byte
   * sequence an encoder makes of it (not two escapes); a lone half is still escaped, which {@link
   * ChunkedElements} notices (a UTF-8 encoder of the text would refuse or replace it).
   */
  private static final ObjectWriter BYTES;

  static {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    WRITER = new ObjectMapper().writer(printer);
    DefaultPrettyPrinter bytesPrinter =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    bytesPrinter.indentObjectsWith(Indentation.INSTANCE);
    bytesPrinter.indentArraysWith(Indentation.INSTANCE);
    bytesPrinter = new BytesPrinter(bytesPrinter);
    BYTES =
        new ObjectMapper(
                new Utf8Factory(
                    (JsonFactoryBuilder)
                        JsonFactory.builder()
                            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)))
            .writer(bytesPrinter);
  }

  /** A factory whose UTF-8 generators are {@link Utf8Generator}s. */
  private static final class Utf8Factory extends JsonFactory {
    private static final long serialVersionUID = 1L;

    Utf8Factory(JsonFactoryBuilder b) {
      super(b);
    }

    // What JsonFactory does, with a generator of ours.
    @Override
    protected JsonGenerator _createUTF8Generator(OutputStream out, IOContext ctxt)
        throws IOException {
      Utf8Generator g = new Utf8Generator(ctxt, _generatorFeatures, _objectCodec, out, _quoteChar);
      if (_maximumNonEscapedChar > 0) {
        g.setHighestNonEscapedChar(_maximumNonEscapedChar);
      }
      if (_characterEscapes != null) {
        g.setCharacterEscapes(_characterEscapes);
      }
      SerializableString separator = _rootValueSeparator;
      if (separator != DEFAULT_ROOT_VALUE_SEPARATOR) {
        g.setRootValueSeparator(separator);
      }
      return _decorate(g);
    }
  }

  /**
   * Jackson's UTF-8 generator that copies a plain ASCII string ({@link #plainAscii}) as its bytes
   * instead of converting it character by character (the same bytes: such characters are printed as
   * themselves), and notes whether a string it printed held a surrogate: only then can it have
   * escaped a lone one, where an encoder of the text would refuse or replace it. Strings reach its
   * escaping only through the methods below (a ready-quoted {@link SerializableString} cannot hold
   * a lone surrogate: quoting one throws); raw text is never escaped.
   */
  static final class Utf8Generator extends UTF8JsonGenerator {
    private boolean surrogates;
    // The last string printed and its bytes (null if not plain): a string printed twice in a row,
    // such as a key ARN that is also the finding's subject, is looked at once.
    private @Nullable String lastText;
    private byte @Nullable [] lastBytes;

    Utf8Generator(
        IOContext ctxt, int features, @Nullable ObjectCodec codec, OutputStream out, char quote) {
      super(ctxt, features, codec, out, quote);
    }

    /** Whether a string printed so far held a surrogate (paired or not). */
    boolean printedSurrogate() {
      return surrogates;
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // the very string printed last, not an equal one
    public void writeString(@Nullable String text) throws IOException {
      if (text != null) {
        if (_characterEscapes == null && _maximumNonEscapedChar == 0) {
          byte[] b = text == lastText ? lastBytes : plainAscii(text);
          lastText = text;
          lastBytes = b;
          if (b != null) {
            writeRawUTF8String(b, 0, b.length);
            return;
          }
        }
        note(text);
      }
      super.writeString(text);
    }

    @Override
    public void writeString(char[] text, int offset, int len) throws IOException {
      for (int i = offset; i < offset + len && !surrogates; i++) {
        surrogates = Character.isSurrogate(text[i]);
      }
      super.writeString(text, offset, len);
    }

    @Override
    public void writeString(Reader reader, int len) throws IOException {
      surrogates = true; // not looked at: it may hold one
      super.writeString(reader, len);
    }

    @Override
    public void writeUTF8String(byte[] text, int offset, int len) throws IOException {
      surrogates = true; // its bytes may encode one
      super.writeUTF8String(text, offset, len);
    }

    @Override
    public void writeFieldName(String name) throws IOException {
      note(name);
      super.writeFieldName(name);
    }

    private void note(String text) {
      for (int i = 0; i < text.length() && !surrogates; i++) {
        surrogates = Character.isSurrogate(text.charAt(i));
      }
    }
  }

  /**
   * The indentation of {@link DefaultIndenter}{@code (" ", "\n")} (a line break, then two spaces a
   * level), written as one ready-made string per level: a UTF-8 generator copies its bytes, where
   * it would convert the indenter's characters one by one.
   */
  private static final class Indentation implements DefaultPrettyPrinter.Indenter {
    static final Indentation INSTANCE = new Indentation();
    private static final SerializedString[] LEVELS = new SerializedString[64];

    static {
      for (int i = 0; i < LEVELS.length; i++) {
        LEVELS[i] = new SerializedString("\n" + "  ".repeat(i));
      }
    }

    @Override
    public void writeIndentation(JsonGenerator g, int level) throws IOException {
      if (level < LEVELS.length) {
        g.writeRaw(LEVELS[level]);
      } else {
        g.writeRaw("\n" + "  ".repeat(level));
      }
    }

    @Override
    public boolean isInline() {
      return false;
    }
  }

  /**
   * {@link DefaultPrettyPrinter} whose separators are ready-made strings: the member and element
   * separators together with the line break and indentation that follow them (one string per
   * level), and the separator between a member's name and value. A UTF-8 generator copies their
   * bytes, where it would convert the characters of the printer's strings each time. The bytes are
   * those of the printer it copies.
   */
  private static final class BytesPrinter extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    private final SerializedString fieldValue;
    private final SerializedString[] entries;
    private final SerializedString[] values;

    BytesPrinter(DefaultPrettyPrinter base) {
      super(base);
      this.fieldValue = new SerializedString(_objectFieldValueSeparatorWithSpaces);
      this.entries = levels(_objectEntrySeparator);
      this.values = levels(_arrayValueSeparator);
    }

    private BytesPrinter(BytesPrinter base) {
      super(base);
      this.fieldValue = base.fieldValue;
      this.entries = base.entries;
      this.values = base.values;
    }

    private static SerializedString[] levels(String separator) {
      SerializedString[] s = new SerializedString[Indentation.LEVELS.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = new SerializedString(separator + Indentation.LEVELS[i].getValue());
      }
      return s;
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
      return new BytesPrinter(this);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(fieldValue);
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      if (_objectIndenter == Indentation.INSTANCE && _nesting < entries.length) {
        g.writeRaw(entries[_nesting]);
      } else {
        super.writeObjectEntrySeparator(g);
      }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      if (_arrayIndenter == Indentation.INSTANCE && _nesting < values.length) {
        g.writeRaw(values[_nesting]);
      } else {
        super.writeArrayValueSeparator(g);
      }
    }
  }

  private JsonText() {}

  /**
   * Returns a generator that prints to {@code out} with the report writers' layout (without the
   * final line break); closing it does not close {@code out}.
   */
  static JsonGenerator generator(Writer out) throws IOException {
    // the writer gives each generator a fresh copy of the printer, which keeps the nesting depth.
    JsonGenerator g = WRITER.createGenerator(out);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  /**
   * Returns a generator that prints UTF-8 to {@code out} with the report writers' layout; closing
   * it does not close {@code out}.
   */
  static JsonGenerator bytesGenerator(OutputStream out) throws IOException {
    JsonGenerator g = BYTES.createGenerator(out);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  /**
   * Writes one JSON document to {@code out}: what {@code body} generates, then a line break; then
   * flushes {@code out} (once, at the end: never per element). Array elements are printed one after
   * the other, on the calling thread.
   */
  static void document(Writer out, Body body) throws IOException {
    try (JsonGenerator g = generator(out)) {
      body.writeTo(g, SEQUENTIAL);
    }
    out.write("\n");
    out.flush();
  }

  /**
   * Writes one JSON document to {@code out} as UTF-8: the bytes of {@link #document(Writer, Body)}
   * through a UTF-8 encoder that does {@code malformed} with text UTF-8 cannot encode (a lone
   * surrogate). The long arrays are printed in chunks on other threads ({@link ChunkedElements});
   * {@code out} is flushed before each chunk is written and at the end, and is not closed.
   */
  static void document(OutputStream out, CodingErrorAction malformed, Body body)
      throws IOException {
    document(out, malformed, body, ChunkedElements.defaultWorkers(), ChunkedElements.CHUNK);
  }

  /**
   * {@link #document(OutputStream, CodingErrorAction, Body)} with {@code workers} threads printing
   * chunks of {@code chunk} elements.
   */
  static void document(
      OutputStream out, CodingErrorAction malformed, Body body, int workers, int chunk)
      throws IOException {
    Writer text = new OutputStreamWriter(out, encoder(malformed));
    try (ChunkedElements elements = new ChunkedElements(out, malformed, workers, chunk)) {
      try (JsonGenerator g = generator(text)) {
        body.writeTo(g, elements);
      }
      text.write("\n");
      text.flush();
    }
  }

  /** Returns a UTF-8 encoder that does {@code malformed} with text it cannot encode. */
  static CharsetEncoder encoder(CodingErrorAction malformed) {
    return StandardCharsets.UTF_8
        .newEncoder()
        .onMalformedInput(malformed)
        .onUnmappableCharacter(malformed);
  }

  /**
   * Returns {@code value} ready-quoted, for a string written again and again (a UTF-8 generator
   * copies its bytes); null unless it is plain ASCII ({@link #plainAscii}), whose quoting every
   * generator agrees on.
   */
  static @Nullable SerializedString plain(String value) {
    return plainAscii(value) == null ? null : new SerializedString(value);
  }

  /** {@link #plain} of a constant known to be plain ASCII. */
  static SerializedString constant(String value) {
    SerializedString s = plain(value);
    if (s == null) {
      throw new IllegalArgumentException("not plain ASCII: [" + value + "]");
    }
    return s;
  }

  /**
   * Returns the bytes of {@code s} when every character is ASCII from space on other than {@code "}
   * and {@code \\}: the characters every JSON generator here prints as themselves; null otherwise.
   */
  static byte @Nullable [] plainAscii(String s) {
    // A character above U+00FF becomes '?': a '?' is checked against the string itself.
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < b.length; i++) {
      byte c = b[i];
      // a byte of 0x80 and above is negative: not ASCII
      if (c < 0x20 || c == '"' || c == '\\' || (c == '?' && s.charAt(i) != '?')) {
        return null;
      }
    }
    return b;
  }

  /** Writes the member {@code field}: {@code value}, or JSON null when it is null. */
  static void stringOrNull(JsonGenerator g, String field, @Nullable String value)
      throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }

  /**
   * Writes the member {@code field}: {@code value}; the name ready-quoted (a UTF-8 generator copies
   * its bytes).
   */
  static void string(JsonGenerator g, SerializedString field, String value) throws IOException {
    g.writeFieldName(field);
    g.writeString(value);
  }

  /** Writes the member {@code field}: {@code value}, ready-quoted. */
  static void string(JsonGenerator g, SerializedString field, SerializedString value)
      throws IOException {
    g.writeFieldName(field);
    g.writeString(value);
  }

  /** Writes the member {@code field} only when {@code value} is not null. */
  static void stringIfPresent(JsonGenerator g, SerializedString field, @Nullable String value)
      throws IOException {
    if (value != null) {
      string(g, field, value);
    }
  }

  /** Writes the member {@code field} as an array of {@code values}. */
  static void strings(JsonGenerator g, SerializedString field, Collection<String> values)
      throws IOException {
    g.writeFieldName(field);
    g.writeStartArray();
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /** Writes the member {@code field} only when {@code value} is not null. */
  static void stringIfPresent(JsonGenerator g, String field, @Nullable String value)
      throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  /** Writes the member {@code field} as an array of {@code values}. */
  static void strings(JsonGenerator g, String field, Collection<String> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /** Returns what {@code writer} writes, as a string. */
  static String text(ReportWriterBody writer) {
    StringWriter out = new StringWriter();
    try {
      writer.writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException("bug in kms-posture: a StringWriter failed", e);
    }
    return out.toString();
  }

  /** Writes a report's text to a Writer. */
  @FunctionalInterface
  interface ReportWriterBody {
    void writeTo(Writer out) throws IOException;
  }

  /** Generates one JSON document; its long arrays through {@code elements}. */
  @FunctionalInterface
  interface Body {
    void writeTo(JsonGenerator g, Elements elements) throws IOException;
  }

  /** Prints one value, as an element of the array the generator is in. */
  @FunctionalInterface
  interface Element<T> {
    void writeTo(JsonGenerator g, T value) throws IOException;
  }

  /** Prints the elements of an array. */
  interface Elements {
    /**
     * Prints, in the array {@code g} is in, one element for each of {@code values} that {@code
     * include} accepts, in order, as {@code element} prints it; what the values or the element
     * throw is thrown here, after the elements before it were printed (when printed in chunks: the
     * chunks before the one that failed).
     */
    <T> void write(
        JsonGenerator g, Iterable<T> values, Predicate<? super T> include, Element<T> element)
        throws IOException;
  }

  /** Prints the elements one after the other on the calling thread. */
  private static final Elements SEQUENTIAL =
      new Elements() {
        @Override
        public <T> void write(
            JsonGenerator g, Iterable<T> values, Predicate<? super T> include, Element<T> element)
            throws IOException {
          for (T v : values) {
            if (include.test(v)) {
              element.writeTo(g, v);
            }
          }
        }
      };
}

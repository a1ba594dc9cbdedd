package dev.kmsposture.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
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
                JsonFactory.builder()
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .build())
            .writer(bytesPrinter);
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

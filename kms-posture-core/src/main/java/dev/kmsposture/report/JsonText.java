package dev.kmsposture.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Prints the report writers' JSON with Jackson's streaming generator, one member at a time, so a
 * report of millions of findings never exists as one tree or one string. Object members come in the
 * order they are written, and the printer uses two-space indentation and {@code \n} line ends on
 * every platform, so the same report always prints as the same bytes.
 */
final class JsonText {
  private static final ObjectWriter WRITER;

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
   * Writes one JSON document to {@code out}: what {@code body} generates, then a line break; then
   * flushes {@code out} (once, at the end: never per element).
   */
  static void document(Writer out, Body body) throws IOException {
    try (JsonGenerator g = generator(out)) {
      body.writeTo(g);
    }
    out.write("\n");
    out.flush();
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

  /** Generates one JSON document. */
  @FunctionalInterface
  interface Body {
    void writeTo(JsonGenerator g) throws IOException;
  }
}

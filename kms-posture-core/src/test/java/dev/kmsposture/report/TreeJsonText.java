package dev.kmsposture.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tree printing the report writers used before they streamed with a generator: kept unchanged
 * as part of the test oracle of {@link StreamedWriterEquivalenceProperties}.
 *
 * <p>Builds and prints JSON trees for the report writers. Object members keep insertion order, and
 * the printer uses two-space indentation and {@code \n} line ends on every platform, so the same
 * tree always prints as the same bytes.
 */
final class TreeJsonText {
  private static final ObjectMapper MAPPER = new ObjectMapper();
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
    WRITER = MAPPER.writer(printer);
  }

  private TreeJsonText() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static ArrayNode strings(Collection<String> values) {
    ArrayNode a = array();
    values.forEach(a::add);
    return a;
  }

  /** Puts {@code value}, or JSON null when it is null. */
  static void putNullable(ObjectNode o, String field, @Nullable String value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  /** Puts {@code value} only when it is not null. */
  static void putIfPresent(ObjectNode o, String field, @Nullable String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  /**
   * Returns a generator that prints to {@code out} as {@link #print} does (without the final line
   * break); closing it does not close {@code out}.
   */
  static JsonGenerator generator(Writer out) throws IOException {
    JsonGenerator g = WRITER.createGenerator(out);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  /**
   * Writes {@code root} to {@code out} as {@link #print} prints it, with the elements of {@code
   * items} in place of the (empty) array {@code placeholder} somewhere in {@code root}: the
   * elements are built and written one at a time, so a report of millions of findings never exists
   * as one tree or one string.
   */
  // placeholders are found by identity: equal empty arrays are different places in the tree.
  @SuppressWarnings("IdentityHashMapUsage")
  static void stream(Writer out, JsonNode root, ArrayNode placeholder, Iterator<JsonNode> items)
      throws IOException {
    Map<JsonNode, Iterator<JsonNode>> fills = new IdentityHashMap<>();
    fills.put(placeholder, items);
    stream(out, root, fills);
  }

  /**
   * Writes {@code root} as {@link #stream(Writer, JsonNode, ArrayNode, Iterator)} does, with
   * several arrays filled: each array of {@code fills} is written with its own elements first, then
   * those of its iterator, one at a time, in document order.
   */
  static void stream(Writer out, JsonNode root, Map<JsonNode, Iterator<JsonNode>> fills)
      throws IOException {
    Set<JsonNode> path = Collections.newSetFromMap(new IdentityHashMap<>());
    for (JsonNode placeholder : fills.keySet()) {
      if (!pathTo(root, placeholder, path)) {
        throw new IllegalArgumentException(
            "bug in kms-posture: the placeholder is not in the tree");
      }
    }
    try (JsonGenerator g = generator(out)) {
      write(g, root, fills, path);
    }
    out.write("\n");
    out.flush();
  }

  // the placeholder is this node, not an equal one.
  @SuppressWarnings("ReferenceEquality")
  private static boolean pathTo(JsonNode node, JsonNode target, Set<JsonNode> path) {
    if (node == target) {
      path.add(node);
      return true;
    }
    for (JsonNode child : node) {
      if (pathTo(child, target, path)) {
        path.add(node);
        return true;
      }
    }
    return false;
  }

  private static void write(
      JsonGenerator g, JsonNode node, Map<JsonNode, Iterator<JsonNode>> fills, Set<JsonNode> path)
      throws IOException {
    Iterator<JsonNode> items = fills.get(node);
    if (items != null) {
      g.writeStartArray();
      for (JsonNode child : node) {
        g.writeTree(child);
      }
      while (items.hasNext()) {
        g.writeTree(items.next());
      }
      g.writeEndArray();
    } else if (!path.contains(node)) {
      g.writeTree(node);
    } else if (node.isObject()) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        g.writeFieldName(e.getKey());
        write(g, e.getValue(), fills, path);
      }
      g.writeEndObject();
    } else {
      g.writeStartArray();
      for (JsonNode child : node) {
        write(g, child, fills, path);
      }
      g.writeEndArray();
    }
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

  static String print(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bug in kms-posture: cannot print a report as JSON", e);
    }
  }
}

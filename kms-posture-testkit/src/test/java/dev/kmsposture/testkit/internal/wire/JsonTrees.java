package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * JSON trees for the equivalence properties of the per-request shortcuts (wire and engine): objects
 * whose member names come from a given list, with scalars of every node type a response or a parsed
 * body has (plain ones most often) and texts that need escaping.
 */
public final class JsonTrees {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** Short texts, mostly printable ASCII, with characters that need escaping or are odd. */
  public static Gen<String> texts() {
    Gen<Character> plain = Generate.characters(0x20, 0x7e);
    Gen<Character> odd =
        Generate.pick(List.of('\0', '\n', '\u001f', '\u007f', '"', '\\', 'é', '\uD800', '\u2028'));
    return SourceDSL.lists()
        .of(plain.mix(odd, 5))
        .ofSizeBetween(0, 12)
        .map(
            list -> {
              StringBuilder b = new StringBuilder();
              list.forEach(b::append);
              return b.toString();
            });
  }

  /** Scalars of every node type a response or a parsed body has, plain ones most often. */
  public static Gen<JsonNode> scalars() {
    return Generate.range(0, 9)
        .zip(
            texts(),
            Generate.longRange(-5_000_000_000L, 5_000_000_000L),
            Generate.range(-12, 12),
            (kind, text, number, scale) ->
                switch (kind) {
                  case 0, 1 -> NODES.textNode(text);
                  case 2 -> NODES.numberNode((int) number.longValue());
                  case 3 -> NODES.numberNode(number);
                  // epoch seconds with milliseconds, as responses carry them, and odd scales
                  case 4 -> NODES.numberNode(BigDecimal.valueOf(number, 3));
                  case 5 -> NODES.numberNode(BigDecimal.valueOf(number, scale));
                  case 6 -> NODES.booleanNode(number % 2 == 0);
                  case 7 -> NODES.numberNode(number / 7.0);
                  case 8 -> NODES.numberNode(BigInteger.valueOf(number).shiftLeft(70));
                  default -> NODES.nullNode();
                });
  }

  /**
   * JSON values up to {@code depth} levels deep, objects naming their members from {@code members}.
   */
  public static Gen<JsonNode> values(List<String> members, int depth) {
    if (depth == 0) {
      return scalars();
    }
    Gen<JsonNode> objects = objects(members, depth - 1).map(o -> (JsonNode) o);
    Gen<JsonNode> arrays =
        SourceDSL.lists()
            .of(values(members, depth - 1))
            .ofSizeBetween(0, 3)
            .map(
                items -> {
                  ArrayNode a = NODES.arrayNode();
                  items.forEach(a::add);
                  return (JsonNode) a;
                });
    return scalars().mix(objects, 25).mix(arrays, 15);
  }

  /** Objects of up to five members named from {@code members}, values up to {@code depth} deep. */
  public static Gen<ObjectNode> objects(List<String> members, int depth) {
    return SourceDSL.lists()
        .of(Generate.pick(members).zip(values(members, depth), Map::entry))
        .ofSizeBetween(0, 5)
        .map(
            entries -> {
              ObjectNode o = NODES.objectNode();
              entries.forEach(e -> o.set(e.getKey(), e.getValue()));
              return o;
            });
  }
}

package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * The wire layer's per-request shortcuts give what the plain forms gave: request bodies read from
 * the streaming parser equal {@code readTree}'s object (member order and node types included), and
 * malformed bodies get the same error; responses written straight into bytes equal Jackson's bytes.
 * The plain forms are kept here as the oracles.
 */
class WireHotPathEquivalenceProperties {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectReader READER = JSON.reader();
  private static final ObjectWriter WRITER = JSON.writer();

  /** Member names: the hot operations' members, a caller's own, and ones that need escaping. */
  private static final List<String> MEMBERS =
      List.of(
          "KeyId",
          "CiphertextBlob",
          "Plaintext",
          "EncryptionContext",
          "SourceEncryptionContext",
          "XksProxyAuthenticationCredential",
          "RawSecretAccessKey",
          "GrantTokens",
          "NumberOfBytes",
          "KeySpec",
          "DryRun",
          "aws:s3:arn",
          "",
          "x y",
          "Éclair",
          "a\"b",
          "tab\t");

  private static Gen<JsonNode> scalars() {
    return JsonTrees.scalars();
  }

  private static Gen<ObjectNode> objects(int depth) {
    return JsonTrees.objects(MEMBERS, depth);
  }

  // ---- responses ----

  @Test
  void plainResponses_areTheBytesJacksonWrites() {
    AtomicInteger plain = new AtomicInteger();
    AtomicInteger escaped = new AtomicInteger();
    qt().withExamples(3000)
        .forAll(objects(3))
        .checkAssert(
            tree -> {
              byte[] fast = AsciiJson.bytesOrNull(tree);
              if (fast == null) {
                escaped.incrementAndGet();
                return;
              }
              plain.incrementAndGet();
              assertThat(new String(fast, StandardCharsets.UTF_8))
                  .isEqualTo(new String(jacksonBytes(tree), StandardCharsets.UTF_8));
              assertThat(fast).isEqualTo(jacksonBytes(tree));
            });
    // both ways are exercised: the property cannot pass by always falling back
    assertThat(plain.get()).isGreaterThan(300);
    assertThat(escaped.get()).isGreaterThan(300);
  }

  @Test
  void plainText_isWhatTheTreePrints() {
    qt().withExamples(1000)
        .forAll(objects(2))
        .checkAssert(
            tree -> {
              AsciiJson out = AsciiJson.begin();
              if (out.value(tree)) {
                assertThat(out.toText()).isEqualTo(tree.toString());
              } else {
                out.discard();
              }
            });
  }

  @Test
  void aWriterAfterAnAbandonedWrite_startsClean() {
    ObjectNode escaped = NODES.objectNode().put("a", "x\"y");
    assertThat(AsciiJson.bytesOrNull(escaped)).isNull();
    ObjectNode plain = NODES.objectNode().put("KeyId", "k");
    plain.putArray("List").add(1).add("two");
    assertThat(AsciiJson.bytesOrNull(plain))
        .isEqualTo("{\"KeyId\":\"k\",\"List\":[1,\"two\"]}".getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] jacksonBytes(JsonNode tree) {
    try {
      return WRITER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- requests ----

  /** The plain form: the dispatcher's body reader before the streaming parser. */
  private static ObjectNode treeParse(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = READER.readTree(body);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // fall through to the AWS error below
    }
    throw AwsServiceError.client(
        "SerializationException", "Start of structure or map found where not expected.");
  }

  /** What a reader gives: the object's text with node types, or the error's code and message. */
  private static String outcome(java.util.function.Function<byte[], ObjectNode> reader, byte[] b) {
    try {
      ObjectNode node = reader.apply(b);
      return "object " + node + " " + types(node);
    } catch (AwsServiceError e) {
      return "error " + e.httpStatus() + " " + e.code() + ": " + e.getMessage();
    }
  }

  /** The node classes, depth first: equal text can hide an int read as a long. */
  private static String types(JsonNode node) {
    StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
    if (node.isContainerNode()) {
      out.append('(');
      node.forEach(child -> out.append(types(child)).append(' '));
      out.append(')');
    }
    return out.toString();
  }

  /** Bodies: objects as the SDK writes them, with repeated names, and damaged or odd ones. */
  private static Gen<String> bodies() {
    Gen<String> written = objects(3).map(WireHotPathEquivalenceProperties::text);
    Gen<String> repeated =
        SourceDSL.lists()
            .of(Generate.pick(List.of("KeyId", "DryRun", "x")).zip(scalars(), Map::entry))
            .ofSizeBetween(1, 6)
            .map(
                entries -> {
                  StringBuilder b = new StringBuilder("{");
                  for (Map.Entry<String, JsonNode> e : entries) {
                    if (b.length() > 1) {
                      b.append(',');
                    }
                    b.append('"').append(e.getKey()).append("\": ").append(e.getValue());
                  }
                  return b.append('}').toString();
                });
    Gen<String> fixed =
        Generate.pick(
            List.of(
                "",
                " ",
                "{}",
                " {} ",
                "{}{}",
                "{} trailing",
                "[]",
                "null",
                "\"text\"",
                "42",
                "{",
                "}",
                "{\"a\"}",
                "{\"a\":}",
                "{\"a\":1,}",
                "{'a':1}",
                "{\"a\":01}",
                "{\"a\":1.5e3}",
                "{\"a\":NaN}",
                "{\"a\":[1,2,]}",
                "{\"a\":\"\\u12\"}",
                "{\"a\":\"\\uD800\"}",
                "\uFEFF{\"a\":1}",
                "{\"a\":99999999999999999999999}",
                "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}",
                "{\"a\":" + "{\"b\":".repeat(40) + "1" + "}".repeat(40) + "}",
                // the edges of the plain reader: numbers, literals, white space, what follows
                "{\"a\":-0}",
                "{\"a\":-01}",
                "{\"a\":00}",
                "{\"a\":-}",
                "{\"a\":1e5}",
                "{\"a\":1E5}",
                "{\"a\":1.}",
                "{\"a\":2147483647,\"b\":-2147483648}",
                "{\"a\":2147483648,\"b\":-2147483649}",
                "{\"a\":999999999999999999,\"b\":-999999999999999999}",
                "{\"a\":1234567890123456789}",
                "{\"a\":9223372036854775808}",
                "{\"a\":tru}",
                "{\"a\":truex}",
                "{\"a\":nul}",
                "{\"a\":\"\u007f\"}",
                "{\"a\":\"\u0001\"}",
                " \t\r\n{ \"a\" : [ 1 , true , null , false , { } , [ ] ] , \"b\" : \"\" } \n",
                "{\"a\":1}\f",
                "{\"a\":1} x",
                "{\"a\":1,\"a\":\"x\",\"b\":2,\"a\":[]}",
                "{\"a\"\t:\u000b1}",
                "{\"a\":1"));
    Gen<String> damaged =
        written.zip(
            Generate.range(0, 1000),
            Generate.pick(List.of("", "{", "}", "[", "]", ":", ",", "\"", "\\", "1.5", "x", " ")),
            (text, at, insert) -> {
              int i = at % (text.length() + 1);
              int cut = at % 3 == 0 ? Math.min(text.length(), i + 1) : i;
              return text.substring(0, i) + insert + text.substring(cut);
            });
    return written.mix(repeated, 20).mix(fixed, 15).mix(damaged, 35);
  }

  private static String text(JsonNode tree) {
    return new String(jacksonBytes(tree), StandardCharsets.UTF_8);
  }

  @Test
  void requestBodies_readAsTheTreeReaderReadThem() {
    AtomicInteger objects = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    qt().withExamples(4000)
        .forAll(bodies())
        .checkAssert(
            text -> {
              byte[] body = text.getBytes(StandardCharsets.UTF_8);
              String expected = outcome(WireHotPathEquivalenceProperties::treeParse, body);
              assertThat(outcome(RequestJson::parseObject, body)).isEqualTo(expected);
              (expected.startsWith("error") ? errors : objects).incrementAndGet();
            });
    assertThat(objects.get()).isGreaterThan(500);
    assertThat(errors.get()).isGreaterThan(300);
  }

  @Test
  void plainBodies_readWithoutTheParser_asTheTreeReaderReadsThem() {
    AtomicInteger plain = new AtomicInteger();
    qt().withExamples(4000)
        .forAll(bodies())
        .checkAssert(
            text -> {
              byte[] body = text.getBytes(StandardCharsets.UTF_8);
              ObjectNode read = RequestJson.plainOrNull(body);
              if (read != null) {
                plain.incrementAndGet();
                assertThat(outcome(b -> read, body))
                    .isEqualTo(outcome(WireHotPathEquivalenceProperties::treeParse, body));
              }
            });
    // the plain reader must be what reads the usual bodies, or the property above tests nothing
    assertThat(plain.get()).isGreaterThan(400);
    assertThat(
            RequestJson.plainOrNull(
                ("{\"CiphertextBlob\":\"a3ABAE1hcm46YXdzOmttcw==\",\"EncryptionContext\":"
                        + "{\"aws:s3:arn\":\"arn:aws:s3:::bucket/key\",\"purpose\":\"bench\"}}")
                    .getBytes(StandardCharsets.UTF_8)))
        .isNotNull();
  }

  @Test
  void plainReader_oddCharacterAnywhereInLongStrings_readsAsTheTreeReader() {
    // the plain reader skips sixteen, then eight bytes at a time while none ends the string: an
    // odd character (escaped, or raw: a control character, a quote, a byte outside ASCII) at any
    // place of a long string must still be found
    Gen<Character> plain = Generate.characters(0x20, 0x7e);
    Gen<Character> odd =
        Generate.pick(
            List.of('\0', '\n', '\u001f', '\u007f', '"', '\\', '\u0080', 'é', '\u2028', '\uFFFF'));
    AtomicInteger plainRead = new AtomicInteger();
    qt().withExamples(4000)
        .forAll(
            SourceDSL.lists().of(plain.mix(odd, 3)).ofSizeBetween(0, 80),
            SourceDSL.booleans().all())
        .checkAssert(
            (chars, raw) -> {
              StringBuilder b = new StringBuilder();
              chars.forEach(b::append);
              String value = b.toString();
              ObjectNode tree = JSON.createObjectNode();
              tree.put("CiphertextBlob", value);
              tree.put("KeyId", value);
              String text =
                  raw
                      ? "{\"CiphertextBlob\":\"" + value + "\",\"KeyId\":\"" + value + "\"}"
                      : text(tree);
              byte[] body = text.getBytes(StandardCharsets.UTF_8);
              String expected = outcome(WireHotPathEquivalenceProperties::treeParse, body);
              assertThat(outcome(RequestJson::parseObject, body)).isEqualTo(expected);
              ObjectNode read = RequestJson.plainOrNull(body);
              if (read != null) {
                plainRead.incrementAndGet();
                assertThat(outcome(x -> read, body)).isEqualTo(expected);
              }
              boolean plainText =
                  value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\');
              if (plainText) {
                assertThat(read).as(text).isNotNull();
              }
            });
    assertThat(plainRead.get()).isGreaterThan(200);
  }

  @Test
  void contextValues_areShared_andNothingElse() {
    // the plain reader shares the string values of an encryption context between requests (equal
    // text, one instance); no other value: not a top-level member, not a nested secret
    String body =
        "{\"CiphertextBlob\":\"AQIDBAUGBwgJ\",\"Plaintext\":\"c2VjcmV0\","
            + "\"EncryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::bucket/key\","
            + "\"purpose\":\"bench\",\"nested\":{\"a\":\"b\"},\"list\":[\"c\"]},"
            + "\"XksProxyAuthenticationCredential\":{\"AccessKeyId\":\"ABCDEFGHIJKLMNOPQRST\","
            + "\"RawSecretAccessKey\":\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH\"}}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ObjectNode first = RequestJson.plainOrNull(bytes);
    ObjectNode second = RequestJson.plainOrNull(bytes.clone());
    assertThat(first).isNotNull().isEqualTo(second).isEqualTo(treeParse(bytes));
    ObjectNode a = java.util.Objects.requireNonNull(first);
    ObjectNode b = java.util.Objects.requireNonNull(second);
    assertThat(a.get("EncryptionContext").get("aws:s3:arn").textValue())
        .isSameAs(b.get("EncryptionContext").get("aws:s3:arn").textValue());
    assertThat(a.get("EncryptionContext").get("purpose").textValue())
        .isSameAs(b.get("EncryptionContext").get("purpose").textValue());
    for (String member : List.of("CiphertextBlob", "Plaintext")) {
      assertThat(a.get(member).textValue()).isNotSameAs(b.get(member).textValue());
    }
    assertThat(a.at("/XksProxyAuthenticationCredential/RawSecretAccessKey").textValue())
        .isNotSameAs(b.at("/XksProxyAuthenticationCredential/RawSecretAccessKey").textValue());
    // deeper than the context's own members, values are not shared either
    assertThat(a.at("/EncryptionContext/nested/a").textValue())
        .isNotSameAs(b.at("/EncryptionContext/nested/a").textValue());
    assertThat(a.at("/EncryptionContext/list/0").textValue())
        .isNotSameAs(b.at("/EncryptionContext/list/0").textValue());
  }
}

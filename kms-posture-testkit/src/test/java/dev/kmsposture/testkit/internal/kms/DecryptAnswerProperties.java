package dev.kmsposture.testkit.internal.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.internal.wire.JsonTrees;
import dev.kmsposture.testkit.internal.wire.WrittenObject;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Decrypt's hand-written answer gives what the tree gave: the same tree as the engine built before
 * (member order included), and a body equal, byte for byte, to Jackson's compact text of that tree.
 * A key ARN or material id that needs escaping gets the tree alone.
 */
class DecryptAnswerProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The answer as the engine built it before the body was written by hand. */
  private static ObjectNode treeAsBefore(String arn, byte[] plaintext, String materialId) {
    ObjectNode out = JSON.createObjectNode();
    out.put("KeyId", arn);
    out.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
    out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    out.put("KeyMaterialId", materialId);
    return out;
  }

  private static byte[] jacksonBytes(ObjectNode tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new AssertionError("Jackson could not write " + tree, e);
    }
  }

  private static Gen<String> arns() {
    Gen<String> real =
        Generate.longRange(0, Long.MAX_VALUE)
            .map(
                n ->
                    "arn:aws:kms:us-east-"
                        + (n % 3)
                        + ":"
                        + String.format("%012d", n % 1_000_000_000_000L)
                        + ":key/"
                        + (n % 2 == 0 ? "mrk-" : "")
                        + Long.toHexString(n));
    return real.mix(JsonTrees.texts(), 30);
  }

  private static Gen<String> materialIds() {
    Gen<String> hex =
        SourceDSL.lists()
            .of(Generate.range(0, 255))
            .ofSize(32)
            .map(
                bytes -> {
                  byte[] b = new byte[bytes.size()];
                  for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (int) bytes.get(i);
                  }
                  return HexFormat.of().formatHex(b);
                });
    return hex.mix(JsonTrees.texts(), 20);
  }

  private static Gen<byte[]> plaintexts() {
    return SourceDSL.lists()
        .of(Generate.range(-128, 127))
        .ofSizeBetween(1, 200)
        .map(
            values -> {
              byte[] b = new byte[values.size()];
              for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) values.get(i);
              }
              return b;
            });
  }

  @Test
  void answer_anyKeyMaterialAndPlaintext_bodyIsJacksonsTextOfTheTreeAsBefore() {
    DecryptAnswer answers = new DecryptAnswer();
    qt().withExamples(3000)
        .forAll(arns(), plaintexts(), materialIds())
        .checkAssert(
            (arn, plaintext, materialId) -> {
              ObjectNode before = treeAsBefore(arn, plaintext, materialId);
              // twice: the first writes the frame, the second reads it from the table
              for (int round = 0; round < 2; round++) {
                ObjectNode answer = answers.answer(arn, plaintext, materialId);
                assertThat(answer).isEqualTo(before);
                assertThat(List.copyOf(answer.properties()))
                    .isEqualTo(List.copyOf(before.properties()));
                boolean plain = DecryptAnswer.plain(arn) && DecryptAnswer.plain(materialId);
                assertThat(answer).isInstanceOf(plain ? WrittenObject.class : ObjectNode.class);
                if (answer instanceof WrittenObject written) {
                  assertThat(plain).isTrue();
                  assertThat(written.written()).isEqualTo(jacksonBytes(before));
                }
              }
            });
  }

  @Test
  void base64Into_anyBytesAtAnyOffset_writesWhatTheJdkEncoderWrites() {
    qt().withExamples(2000)
        .forAll(
            SourceDSL.lists().of(Generate.range(-128, 127)).ofSizeBetween(0, 100),
            Generate.range(0, 9))
        .checkAssert(
            (values, offset) -> {
              byte[] data = new byte[values.size()];
              for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (int) values.get(i);
              }
              byte[] expected = Base64.getEncoder().encode(data);
              byte[] out = new byte[offset + expected.length + 3];
              Arrays.fill(out, (byte) '#');
              DecryptAnswer.base64Into(data, out, offset);
              assertThat(Arrays.copyOfRange(out, offset, offset + expected.length))
                  .isEqualTo(expected);
              for (int i = 0; i < out.length; i++) {
                if (i < offset || i >= offset + expected.length) {
                  assertThat(out[i]).as("byte %d outside the text", i).isEqualTo((byte) '#');
                }
              }
            });
  }

  @Test
  void plain_textThatNeedsEscaping_isNotPlainAndGetsTheTreeAlone() {
    assertThat(DecryptAnswer.plain("arn:aws:kms:us-east-1:111122223333:key/1234abcd")).isTrue();
    assertThat(DecryptAnswer.plain("")).isTrue();
    for (String odd : List.of("a\"b", "a\\b", "tab\t", "\u007f", "é", "\u2028", "\0")) {
      assertThat(DecryptAnswer.plain(odd)).as(odd).isFalse();
    }
    ObjectNode answer =
        new DecryptAnswer()
            .answer("arn:aws:kms:us-east-1:111122223333:key/a\"b", new byte[] {1}, "00");
    assertThat(answer).isNotInstanceOf(WrittenObject.class);
  }
}

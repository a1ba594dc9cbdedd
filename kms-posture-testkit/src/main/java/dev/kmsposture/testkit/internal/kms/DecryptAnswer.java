package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.internal.wire.WrittenObject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decrypt's answer under a symmetric key ({@code KeyId}, {@code Plaintext}, {@code
 * EncryptionAlgorithm}, {@code KeyMaterialId}), with its body written by hand: every Decrypt under
 * a key answers the same text around the plaintext, so the text before it (the key ARN) and after
 * it (the algorithm and the material id) is written once and remembered, and a call copies them
 * around its base64 plaintext. The body is the compact JSON text Jackson writes for the answer's
 * tree, byte for byte (see {@link WrittenObject}); the tree, the same as before, is built for the
 * engine's own callers when they first read it (the transport never does).
 *
 * <p>A key ARN or material id that would need escaping (it never does: ARNs and ids are plain
 * ASCII) gets the tree alone, which the transport writes in the generic way.
 *
 * <p>Thread-safe without locks: the table of recent keys holds immutable values, read and replaced
 * whole (a racing thread at worst writes the frame again).
 */
final class DecryptAnswer {
  private static final String ALGORITHM = "SYMMETRIC_DEFAULT";
  private static final int RECENT = 16;
  private static final Charset ISO = StandardCharsets.ISO_8859_1;
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.US_ASCII);

  private final @Nullable Frame[] recent = new Frame[RECENT];

  /** The text around the plaintext for one key ARN and material id; null parts when not plain. */
  @SuppressWarnings("ArrayRecordComponent") // compared by its strings only
  private record Frame(
      String arn, String materialId, byte @Nullable [] head, byte @Nullable [] tail) {}

  /** The answer to a successful symmetric Decrypt. */
  ObjectNode answer(String keyArn, byte[] plaintext, String materialId) {
    Frame frame = frame(keyArn, materialId);
    byte[] head = frame.head();
    byte[] tail = frame.tail();
    if (head != null && tail != null) {
      int encoded = 4 * ((plaintext.length + 2) / 3);
      byte[] body = new byte[head.length + encoded + tail.length];
      System.arraycopy(head, 0, body, 0, head.length);
      base64Into(plaintext, body, head.length);
      System.arraycopy(tail, 0, body, head.length + encoded, tail.length);
      int at = head.length;
      // the tree is made only if someone reads it (the transport sends the body)
      return new WrittenObject(
          Json.NODES,
          body,
          members -> put(members, keyArn, new String(body, at, encoded, ISO), materialId));
    }
    ObjectNode out = Json.object();
    put(out, keyArn, Base64.getEncoder().encode(plaintext), materialId);
    return out;
  }

  /**
   * Writes {@code data} in base64 (the standard alphabet, padded: what {@link Base64#getEncoder()}
   * writes) into {@code out} at {@code offset}, without the encoder's own array.
   */
  static void base64Into(byte[] data, byte[] out, int offset) {
    int at = offset;
    int whole = data.length - data.length % 3;
    for (int i = 0; i < whole; i += 3) {
      int bits = (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff);
      out[at++] = ALPHABET[bits >>> 18];
      out[at++] = ALPHABET[(bits >>> 12) & 0x3f];
      out[at++] = ALPHABET[(bits >>> 6) & 0x3f];
      out[at++] = ALPHABET[bits & 0x3f];
    }
    int left = data.length - whole;
    if (left > 0) {
      int bits = (data[whole] & 0xff) << 16 | (left == 2 ? (data[whole + 1] & 0xff) << 8 : 0);
      out[at++] = ALPHABET[bits >>> 18];
      out[at++] = ALPHABET[(bits >>> 12) & 0x3f];
      out[at++] = left == 2 ? ALPHABET[(bits >>> 6) & 0x3f] : (byte) '=';
      out[at] = '=';
    }
  }

  private static void put(ObjectNode out, String keyArn, byte[] base64, String materialId) {
    out.put("KeyId", keyArn);
    // the base64 alphabet is ASCII: the same string Base64.Encoder.encodeToString makes
    out.put("Plaintext", new String(base64, StandardCharsets.ISO_8859_1));
    out.put("EncryptionAlgorithm", ALGORITHM);
    out.put("KeyMaterialId", materialId);
  }

  private static void put(
      Map<String, JsonNode> members, String keyArn, String base64, String materialId) {
    members.put("KeyId", Json.NODES.textNode(keyArn));
    members.put("Plaintext", Json.NODES.textNode(base64));
    members.put("EncryptionAlgorithm", Json.NODES.textNode(ALGORITHM));
    members.put("KeyMaterialId", Json.NODES.textNode(materialId));
  }

  private Frame frame(String keyArn, String materialId) {
    int h = keyArn.hashCode() * 31 + materialId.hashCode();
    int slot = (h ^ (h >>> 16)) & (RECENT - 1);
    Frame known = recent[slot];
    if (known != null && known.arn().equals(keyArn) && known.materialId().equals(materialId)) {
      return known;
    }
    Frame made =
        plain(keyArn) && plain(materialId)
            ? new Frame(
                keyArn,
                materialId,
                ascii("{\"KeyId\":\"" + keyArn + "\",\"Plaintext\":\""),
                ascii(
                    "\",\"EncryptionAlgorithm\":\""
                        + ALGORITHM
                        + "\",\"KeyMaterialId\":\""
                        + materialId
                        + "\"}"))
            : new Frame(keyArn, materialId, null, null);
    recent[slot] = made;
    return made;
  }

  /** Whether {@code text} is written as it is between quotes: printable ASCII, no quote or \. */
  static boolean plain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}

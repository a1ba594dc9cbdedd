package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The AAD of an encryption context is its documented canonical encoding (count, then each pair
 * sorted by key, every string as a length and two bytes per {@code char}), byte for byte, so that
 * ciphertexts made before the encoder was rewritten still decrypt.
 */
class EncryptionContextEncodingProperties {
  static byte[] reference(Map<String, String> pairs) {
    TreeMap<String, String> sorted = new TreeMap<>(pairs);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteCodec.u32(sorted.size()));
    sorted.forEach(
        (key, value) -> {
          for (String text : new String[] {key, value}) {
            out.writeBytes(ByteCodec.u32(text.length()));
            for (int i = 0; i < text.length(); i++) {
              out.write(text.charAt(i) >>> 8);
              out.write(text.charAt(i));
            }
          }
        });
    return out.toByteArray();
  }

  @Test
  void aad_isTheCanonicalEncoding() {
    qt().withExamples(1000)
        .forAll(SymmetricEnvelopeProperties.contexts())
        .checkAssert(
            pairs -> assertThat(EncryptionContext.of(pairs).aad()).isEqualTo(reference(pairs)));
  }
}

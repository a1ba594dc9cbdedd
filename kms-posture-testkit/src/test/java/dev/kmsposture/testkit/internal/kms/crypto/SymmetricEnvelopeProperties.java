package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Properties of the symmetric envelope: a ciphertext decrypts to its plaintext with the same key
 * and the same encryption context, and with nothing else.
 */
class SymmetricEnvelopeProperties {
  private static final String KEY_A = "arn:aws:kms:us-east-1:111122223333:key/a";
  private static final String KEY_B = "arn:aws:kms:us-east-1:111122223333:key/b";

  private final KeyMaterial materialA = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);
  private final KeyMaterial materialB = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);

  /** Plaintexts of 1 to 4096 bytes, weighted towards small ones, with the edges. */
  static Gen<byte[]> plaintexts() {
    Gen<Integer> sizes =
        Generate.frequency(
            org.quicktheories.api.Pair.of(6, Generate.range(1, 64)),
            org.quicktheories.api.Pair.of(3, Generate.range(65, 4096)),
            org.quicktheories.api.Pair.of(1, Generate.pick(List.of(1, 4095, 4096))));
    return Generate.byteArrays(sizes, Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
  }

  /** Strings with the characters that trip encodings: separators, NUL, surrogates, non-ASCII. */
  static Gen<String> contextStrings() {
    Gen<Character> awkward =
        Generate.pick(List.of('=', ',', ':', '\0', '\uD800', '\uDC00', 'é', '"', 'a', 'A'));
    Gen<Character> chars = Generate.characters(0x20, 0x7e).mix(awkward, 40);
    return SourceDSL.lists()
        .of(chars)
        .ofSizeBetween(0, 12)
        .map(
            list -> {
              StringBuilder text = new StringBuilder();
              list.forEach(text::append);
              return text.toString();
            });
  }

  /** Encryption contexts of 0 to 6 pairs. */
  static Gen<Map<String, String>> contexts() {
    return SourceDSL.maps().of(contextStrings(), contextStrings()).ofSizeBetween(0, 6);
  }

  @Test
  void anyPlaintextAndContext_roundTripsWithTheSameKeyAndContext() {
    qt().withExamples(300)
        .forAll(plaintexts(), contexts())
        .checkAssert(
            (plaintext, pairs) -> {
              EncryptionContext context = EncryptionContext.of(pairs);
              byte[] blob = SymmetricEnvelope.encrypt(materialA, KEY_A, plaintext, context);
              CiphertextBlob parsed = CiphertextBlob.parse(blob);
              assertThat(parsed.keyId()).isEqualTo(KEY_A);
              assertThat(SymmetricEnvelope.decrypt(parsed, materialA, shuffled(pairs)))
                  .isEqualTo(plaintext);
            });
  }

  @Test
  void anyOtherContext_doesNotDecrypt() {
    qt().withExamples(300)
        .forAll(plaintexts(), contexts(), Generate.range(0, 3), contextStrings())
        .checkAssert(
            (plaintext, pairs, change, text) -> {
              Map<String, String> others = changed(pairs, change, text);
              assertThat(others).isNotEqualTo(pairs);
              byte[] blob =
                  SymmetricEnvelope.encrypt(
                      materialA, KEY_A, plaintext, EncryptionContext.of(pairs));
              assertThatThrownBy(
                      () ->
                          SymmetricEnvelope.decrypt(
                              CiphertextBlob.parse(blob), materialA, EncryptionContext.of(others)))
                  .isInstanceOfSatisfying(
                      KmsCryptoException.class,
                      e -> assertThat(e.code()).isEqualTo("InvalidCiphertextException"));
            });
  }

  /** {@code pairs} with one pair added, removed, its value changed or its key changed. */
  private static Map<String, String> changed(Map<String, String> pairs, int change, String text) {
    Map<String, String> others = new LinkedHashMap<>(pairs);
    if (pairs.isEmpty() || change == 0) {
      String key = text;
      while (others.containsKey(key)) {
        key = key + "+";
      }
      others.put(key, text);
      return others;
    }
    Map.Entry<String, String> first = pairs.entrySet().iterator().next();
    switch (change) {
      case 1 -> others.remove(first.getKey());
      case 2 -> others.put(first.getKey(), first.getValue() + "x");
      default -> {
        others.remove(first.getKey());
        String key = first.getKey() + "x";
        while (pairs.containsKey(key)) {
          key = key + "x";
        }
        others.put(key, first.getValue());
      }
    }
    return others;
  }

  @Test
  void anyCiphertext_decryptsWithNoOtherKey() {
    qt().withExamples(200)
        .forAll(plaintexts(), contexts())
        .checkAssert(
            (plaintext, pairs) -> {
              EncryptionContext context = EncryptionContext.of(pairs);
              CiphertextBlob parsed =
                  CiphertextBlob.parse(
                      SymmetricEnvelope.encrypt(materialA, KEY_A, plaintext, context));
              // The blob names key A, so an engine asked to decrypt it with key B refuses...
              assertThat(parsed.keyId()).isNotEqualTo(KEY_B);
              // ...and even B's secret under A's material id does not open it.
              KeyMaterial impostor =
                  KeyMaterial.restore(
                      KeySpec.SYMMETRIC_DEFAULT,
                      materialA.id(),
                      KeyMaterialOrigin.AWS_KMS,
                      materialB.insecureEncoded());
              assertThatThrownBy(() -> SymmetricEnvelope.decrypt(parsed, impostor, context))
                  .isInstanceOfSatisfying(
                      KmsCryptoException.class,
                      e -> assertThat(e.code()).isEqualTo("InvalidCiphertextException"));
            });
  }

  @Test
  void contextEncoding_dependsOnThePairsOnly() {
    qt().withExamples(500)
        .forAll(contexts(), contexts())
        .checkAssert(
            (pairs, others) -> {
              byte[] aad = EncryptionContext.of(pairs).aad();
              assertThat(shuffled(pairs).aad()).isEqualTo(aad);
              if (pairs.equals(others)) {
                assertThat(EncryptionContext.of(others).aad()).isEqualTo(aad);
              } else {
                assertThat(EncryptionContext.of(others).aad()).isNotEqualTo(aad);
              }
            });
  }

  @Test
  void failures_neverRevealThePlaintextOrTheKey() {
    byte[] secret = materialA.insecureEncoded();
    qt().withExamples(100)
        .forAll(plaintexts(), contexts())
        .checkAssert(
            (plaintext, pairs) -> {
              byte[] blob =
                  SymmetricEnvelope.encrypt(
                      materialA, KEY_A, plaintext, EncryptionContext.of(pairs));
              Map<String, String> wrong = new LinkedHashMap<>(pairs);
              wrong.put("extra", "pair");
              KmsCryptoException error =
                  org.assertj.core.api.Assertions.catchThrowableOfType(
                      KmsCryptoException.class,
                      () ->
                          SymmetricEnvelope.decrypt(
                              CiphertextBlob.parse(blob), materialA, EncryptionContext.of(wrong)));
              for (String text :
                  List.of(
                      error.getMessage(),
                      error.awsMessage(),
                      error.toString(),
                      materialA.toString(),
                      CiphertextBlob.parse(blob).toString())) {
                TestKeys.assertDoesNotReveal(text, plaintext);
                TestKeys.assertDoesNotReveal(text, secret);
              }
            });
  }

  private static EncryptionContext shuffled(Map<String, String> pairs) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(pairs.entrySet());
    Collections.reverse(entries);
    Map<String, String> reordered = new LinkedHashMap<>();
    entries.forEach(entry -> reordered.put(entry.getKey(), entry.getValue()));
    return EncryptionContext.of(reordered);
  }
}

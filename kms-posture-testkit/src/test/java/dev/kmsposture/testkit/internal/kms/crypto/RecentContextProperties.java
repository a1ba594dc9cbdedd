package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * {@link EncryptionContext#of} hands back a context it made before when the same pairs come again;
 * whatever came before, the context it answers holds exactly the pairs asked for (those a fresh
 * {@code TreeMap} copy of the map holds) and their canonical encoding. Near misses — a key that
 * differs only in case, a changed value, a pair more or less, a map that compares keys without case
 * — never get another context's pairs. And the envelope, which now hands the blob header and the
 * context to the cipher as one piece, reads and writes the same ciphertexts as a cipher given them
 * in two.
 */
class RecentContextProperties {
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/a";

  /** The map kinds a caller may hand over, each a copy of the pairs in some order. */
  // an identity map is one of the kinds on purpose: its keys are told apart otherwise
  @SuppressWarnings("IdentityHashMapUsage")
  private static final List<Function<Map<String, String>, Map<String, String>>> KINDS =
      List.of(
          LinkedHashMap::new,
          HashMap::new,
          TreeMap::new,
          pairs -> {
            Map<String, String> reversed = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>(pairs.keySet());
            Collections.reverse(keys);
            keys.forEach(key -> reversed.put(key, pairs.get(key)));
            return reversed;
          },
          pairs -> {
            TreeMap<String, String> ignoringCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ignoringCase.putAll(pairs);
            return ignoringCase;
          },
          pairs -> {
            // equal keys that are distinct objects: two pairs where a TreeMap keeps one
            Map<String, String> identity = new IdentityHashMap<>();
            pairs.forEach((key, value) -> identity.put(new String(key), value));
            pairs.forEach((key, value) -> identity.put(new String(key), value));
            return identity;
          },
          Map::copyOf);

  /** The pairs with one near miss: a key's case flipped, a value changed, or a pair dropped. */
  private static Map<String, String> nearMiss(Map<String, String> pairs, int which) {
    Map<String, String> out = new LinkedHashMap<>(pairs);
    if (out.isEmpty()) {
      out.put("k", "v");
      return out;
    }
    String key = new ArrayList<>(out.keySet()).get(Math.floorMod(which, out.size()));
    switch (Math.floorMod(which, 3)) {
      case 0 -> {
        String value = out.remove(key);
        String flipped =
            key.equals(key.toUpperCase(Locale.ROOT))
                ? key.toLowerCase(Locale.ROOT)
                : key.toUpperCase(Locale.ROOT);
        out.put(flipped.equals(key) ? key + "x" : flipped, value);
      }
      case 1 -> out.put(key, out.get(key) + "x");
      default -> out.remove(key);
    }
    return out;
  }

  private static Gen<List<Map<String, String>>> sequences() {
    return SourceDSL.lists().of(SymmetricEnvelopeProperties.contexts()).ofSizeBetween(1, 8);
  }

  @Test
  void anySequenceOfContexts_eachAnswerHoldsExactlyThePairsAskedFor() {
    qt().withExamples(400)
        .forAll(sequences(), SourceDSL.integers().allPositive())
        .checkAssert(
            (contexts, seed) -> {
              Random random = new Random(seed);
              // each context comes several times, in several map kinds, between near misses
              for (int round = 0; round < 3; round++) {
                for (Map<String, String> pairs : contexts) {
                  Map<String, String> asked = KINDS.get(random.nextInt(KINDS.size())).apply(pairs);
                  assertAnswers(asked);
                  assertAnswers(nearMiss(pairs, random.nextInt(1000)));
                  assertAnswers(KINDS.get(random.nextInt(KINDS.size())).apply(pairs));
                }
              }
            });
  }

  @Test
  void keysThatDifferOnlyInCase_neverShareAContext() {
    for (int i = 0; i < 100; i++) {
      assertAnswers(Map.of("Purpose", "test", "n", Integer.toString(i)));
      TreeMap<String, String> ignoringCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      ignoringCase.put("purpose", "test");
      ignoringCase.put("n", Integer.toString(i));
      assertAnswers(ignoringCase);
      assertAnswers(new LinkedHashMap<>(Map.of("PURPOSE", "test", "n", Integer.toString(i))));
    }
  }

  @Test
  void pairsWithEqualHashes_neverShareAContext() {
    // "Aa" and "BB" have one String hash, so all these maps have equal Map hashes two by two
    List<String> colliding = List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB");
    qt().withExamples(300)
        .forAll(
            SourceDSL.maps()
                .of(SourceDSL.integers().between(0, 5), SourceDSL.integers().between(0, 5))
                .ofSizeBetween(1, 4))
        .checkAssert(
            indexes -> {
              Map<String, String> pairs = new LinkedHashMap<>();
              indexes.forEach((k, v) -> pairs.put(colliding.get(k), colliding.get(v)));
              assertAnswers(pairs);
            });
  }

  private static void assertAnswers(Map<String, String> asked) {
    TreeMap<String, String> expected = new TreeMap<>(asked);
    EncryptionContext context = EncryptionContext.of(asked);
    assertThat(new ArrayList<>(context.asMap().entrySet()))
        .isEqualTo(new ArrayList<>(expected.entrySet()));
    assertThat(context.aad()).isEqualTo(EncryptionContextEncodingProperties.reference(expected));
    assertThat(context).isEqualTo(EncryptionContext.of(new TreeMap<>(expected)));
  }

  @Test
  void theEnvelope_readsAndWritesWhatACipherGivenTheAadInTwoPiecesDoes() throws Exception {
    KeyMaterial material = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);
    qt().withExamples(200)
        .forAll(SymmetricEnvelopeProperties.plaintexts(), SymmetricEnvelopeProperties.contexts())
        .checkAssert(
            (plaintext, pairs) -> {
              EncryptionContext context = EncryptionContext.of(pairs);
              byte[] blob = SymmetricEnvelope.encrypt(material, KEY, plaintext, context);
              CiphertextBlob parsed = CiphertextBlob.parse(blob);
              int ivOffset = parsed.ivOffset();
              try {
                // decrypted by a cipher given the header and the context one after the other
                Cipher twoPieces = Cipher.getInstance("AES/GCM/NoPadding");
                twoPieces.init(
                    Cipher.DECRYPT_MODE,
                    material.secretKey(),
                    new GCMParameterSpec(
                        CiphertextBlob.TAG_LENGTH * 8, blob, ivOffset, CiphertextBlob.IV_LENGTH));
                twoPieces.updateAAD(blob, 0, ivOffset);
                twoPieces.updateAAD(context.aad());
                int data = ivOffset + CiphertextBlob.IV_LENGTH;
                assertThat(twoPieces.doFinal(blob, data, blob.length - data)).isEqualTo(plaintext);
                // and what such a cipher writes, the envelope decrypts
                byte[] other = blob.clone();
                byte[] iv = new byte[CiphertextBlob.IV_LENGTH];
                new Random(plaintext.length).nextBytes(iv);
                System.arraycopy(iv, 0, other, ivOffset, iv.length);
                twoPieces.init(
                    Cipher.ENCRYPT_MODE,
                    material.secretKey(),
                    new GCMParameterSpec(CiphertextBlob.TAG_LENGTH * 8, iv));
                twoPieces.updateAAD(other, 0, ivOffset);
                twoPieces.updateAAD(context.aad());
                twoPieces.doFinal(plaintext, 0, plaintext.length, other, data);
                assertThat(
                        SymmetricEnvelope.decrypt(CiphertextBlob.parse(other), material, context))
                    .isEqualTo(plaintext);
              } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
              }
            });
  }
}

package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Through the real SDK: a ciphertext decrypts only with the key that made it (or a related
 * multi-Region key in another Region) and only with the same encryption context.
 */
class CiphertextProperties {
  private final LocalKms kms =
      LocalKms.builder()
          .clock(Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC))
          .build();
  private final KmsClient east = kms.kmsClient(Region.US_EAST_1);
  private final KmsClient west = kms.kmsClient(Region.EU_WEST_1);
  private final String single = east.createKey().keyMetadata().keyId();
  private final String other = east.createKey().keyMetadata().keyId();
  private final String mrk = east.createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
  private final String otherMrk = east.createKey(b -> b.multiRegion(true)).keyMetadata().keyId();

  {
    east.replicateKey(b -> b.keyId(mrk).replicaRegion("eu-west-1"));
    east.replicateKey(b -> b.keyId(otherMrk).replicaRegion("eu-west-1"));
  }

  @AfterEach
  void close() {
    east.close();
    west.close();
  }

  /** How Decrypt is asked: where, and which key it names. */
  enum Decrypting {
    SAME_REGION_NO_KEY_ID,
    SAME_REGION_SAME_KEY,
    SAME_REGION_OTHER_KEY,
    SAME_REGION_OTHER_MRK,
    REPLICA_REGION_NO_KEY_ID,
    REPLICA_REGION_SAME_KEY_ID,
    REPLICA_REGION_OTHER_MRK
  }

  /** Which key encrypts, how Decrypt is asked, and how the context changes. */
  record Case(boolean underMrk, Decrypting how, int change) {}

  static Gen<String> words() {
    return SourceDSL.strings().betweenCodePoints('a', 'e').ofLengthBetween(0, 4);
  }

  static Gen<Map<String, String>> contexts() {
    return SourceDSL.maps().of(words(), words()).ofSizeBetween(0, 3);
  }

  /** The context the decrypter presents: the same, or changed in one of four ways. */
  static Map<String, String> presented(Map<String, String> ec, int change) {
    Map<String, String> out = new LinkedHashMap<>(ec);
    switch (change) {
      case 1 -> out.put("zz", "added");
      case 2 -> {
        if (ec.isEmpty()) {
          out.put("k", "v");
        } else {
          out.remove(ec.keySet().iterator().next());
        }
      }
      case 3 -> {
        if (ec.isEmpty()) {
          out.put("", "");
        } else {
          String k = ec.keySet().iterator().next();
          out.put(k, ec.get(k) + "x");
        }
      }
      default -> {
        // unchanged (cases 0, 4, 5: weighted towards the same context)
      }
    }
    return out;
  }

  @Test
  void ciphertext_decryptsOnlyWithItsKeyOrARelatedMultiRegionKey_andItsContext() {
    AtomicInteger decrypted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    Gen<byte[]> plaintexts =
        Generate.byteArrays(
            Generate.range(1, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    qt().withExamples(300)
        .forAll(
            plaintexts,
            contexts(),
            Generate.booleans()
                .zip(
                    SourceDSL.arbitrary().enumValues(Decrypting.class),
                    Generate.range(0, 5),
                    Case::new))
        .checkAssert(
            (plaintext, ec, c) -> {
              boolean underMrk = c.underMrk();
              Decrypting how = c.how();
              int change = c.change();
              String key = underMrk ? mrk : single;
              SdkBytes blob =
                  east.encrypt(
                          b ->
                              b.keyId(key)
                                  .plaintext(SdkBytes.fromByteArray(plaintext))
                                  .encryptionContext(ec))
                      .ciphertextBlob();
              Map<String, String> presented = presented(ec, change);
              boolean sameContext = presented.equals(ec);
              KmsClient client = how.name().startsWith("REPLICA") ? west : east;
              String named =
                  switch (how) {
                    case SAME_REGION_SAME_KEY, REPLICA_REGION_SAME_KEY_ID -> key;
                    case SAME_REGION_OTHER_KEY -> other;
                    case SAME_REGION_OTHER_MRK, REPLICA_REGION_OTHER_MRK -> otherMrk;
                    default -> null;
                  };
              boolean rightKey =
                  switch (how) {
                    case SAME_REGION_NO_KEY_ID, SAME_REGION_SAME_KEY -> true;
                    case REPLICA_REGION_NO_KEY_ID, REPLICA_REGION_SAME_KEY_ID -> underMrk;
                    default -> false;
                  };
              try {
                byte[] result =
                    client
                        .decrypt(
                            b -> {
                              b.ciphertextBlob(blob).encryptionContext(presented);
                              if (named != null) {
                                b.keyId(named);
                              }
                            })
                        .plaintext()
                        .asByteArray();
                assertThat(rightKey && sameContext).as("decrypted although it should not").isTrue();
                assertThat(result).isEqualTo(plaintext);
                decrypted.incrementAndGet();
              } catch (KmsException e) {
                assertThat(rightKey && sameContext)
                    .as("refused (%s) although it should decrypt", e.awsErrorDetails().errorCode())
                    .isFalse();
                if (how == Decrypting.REPLICA_REGION_SAME_KEY_ID && !underMrk) {
                  // a single-Region key does not exist in the other Region
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFoundException");
                } else {
                  assertThat(e.awsErrorDetails().errorCode())
                      .isIn("InvalidCiphertextException", "IncorrectKeyException");
                }
                refused.incrementAndGet();
              }
            });
    // the generator reaches both outcomes often enough to mean something
    assertThat(decrypted.get()).isGreaterThan(40);
    assertThat(refused.get()).isGreaterThan(40);
    assertThat(List.of(decrypted.get() + refused.get())).containsExactly(300);
  }
}

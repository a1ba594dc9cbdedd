package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The seed builders' checks, and the seed's cross-key checks when it is applied. */
class KmsSeedTest {
  @Test
  void keyId_notAKmsKeyId_isRejectedWithTheValue() {
    assertThatThrownBy(() -> SeedKey.builder().keyId("key-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key id [key-1] is not a KMS key id; expected a lower-case UUID, or mrk- and 32"
                + " lower-case hex digits for a multi-Region key");
  }

  @Test
  void build_usageTheSpecDoesNotAllow_isRejected() {
    assertThatThrownBy(() -> SeedKey.builder().keySpec("HMAC_256").keyUsage("SIGN_VERIFY").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("key usage SIGN_VERIFY is not compatible with key spec HMAC_256");
  }

  @Test
  void build_rotationOnAnAsymmetricKey_isRejected() {
    assertThatThrownBy(() -> SeedKey.builder().keySpec("RSA_2048").rotationEnabled(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "rotation settings need a symmetric key with KMS-generated material (this key:"
                + " RSA_2048, AWS_KMS)");
  }

  @Test
  void build_mrkIdWithoutMultiRegion_isRejected() {
    assertThatThrownBy(
            () -> SeedKey.builder().keyId("mrk-0123456789abcdef0123456789abcdef").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("begins with mrk-, which only multi-Region keys have");
  }

  @Test
  void reservedAlias_onACustomerKey_isRejected() {
    assertThatThrownBy(() -> SeedKey.builder().addAlias("alias/aws/s3").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "alias [alias/aws/s3] begins with alias/aws/, which AWS reserves for AWS managed"
                + " keys");
  }

  @Test
  void pendingDeletion_withoutADate_isRejected() {
    assertThatThrownBy(() -> SeedKey.builder().state("PendingDeletion").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("state PendingDeletion needs a deletionDate");
  }

  @Test
  void apply_duplicateAliasAcrossKeys_namesTheField() {
    KmsSeed seed =
        KmsSeed.builder()
            .key(k -> k.addAlias("alias/same"))
            .key(k -> k.addAlias("alias/other").addAlias("alias/same"))
            .build();
    assertThatThrownBy(() -> LocalKms.builder().seed(seed).build())
        .isInstanceOf(KmsSeedException.class)
        .hasMessage(
            "keys[1].aliases[1]: alias [alias/same] already exists in account 123456789012,"
                + " Region us-east-1")
        .extracting(e -> ((KmsSeedException) e).field())
        .isEqualTo("keys[1].aliases[1]");
  }

  @Test
  void apply_malformedPolicy_namesTheField() {
    KmsSeed seed = KmsSeed.builder().key(k -> k.policy("{\"Version\":")).build();
    assertThatThrownBy(() -> LocalKms.builder().seed(seed).build())
        .isInstanceOf(KmsSeedException.class)
        .hasMessageStartingWith("keys[0].policy: ");
  }

  @Test
  void apply_grantOperationTheKeyCannotDo_namesTheField() {
    KmsSeed seed =
        KmsSeed.builder()
            .key(
                k ->
                    k.addGrant(
                        g ->
                            g.granteePrincipal("arn:aws:iam::123456789012:role/a")
                                .addOperation("Sign")))
            .build();
    assertThatThrownBy(() -> LocalKms.builder().seed(seed).build())
        .isInstanceOf(KmsSeedException.class)
        .hasMessageStartingWith(
            "keys[0].grants[0].operations: grant operation [Sign] is not valid for a"
                + " SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key");
  }

  @Test
  void apply_unsupportedSpec_namesTheField() {
    KmsSeed seed =
        KmsSeed.builder().key(k -> k.keySpec("ML_DSA_65").keyUsage("SIGN_VERIFY")).build();
    assertThatThrownBy(() -> LocalKms.builder().seed(seed).build())
        .isInstanceOf(KmsSeedException.class)
        .hasMessageStartingWith("keys[0].keySpec: KeySpec ML_DSA_65 is not supported");
  }

  @Test
  void seedKey_toString_namesTheKeyWithoutItsPolicy() {
    SeedKey key =
        SeedKey.builder()
            .keyId("1234abcd-12ab-34cd-56ef-1234567890ab")
            .creationDate(Instant.EPOCH)
            .build();
    assertThat(key)
        .hasToString(
            "SeedKey[1234abcd-12ab-34cd-56ef-1234567890ab, 123456789012, us-east-1,"
                + " SYMMETRIC_DEFAULT, Enabled]");
  }
}

package dev.kmsposture.aws.scan;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;

/**
 * KMS-compatible emulators leave optional fields out (KeyUsage, MultiRegion, the rotation period,
 * the Truncated flag). The clients here drop them from every answer; the scanner must read what is
 * left as "not known": never crash, never lose a key, never pass a rule on a guess.
 */
class KmsScannerCompatibilityTest {

  /** Drops optional fields from the SDK's responses, as a sparse emulator would send them. */
  static final class SparseEmulator implements ExecutionInterceptor {
    @Override
    public SdkResponse modifyResponse(
        Context.ModifyResponse context, ExecutionAttributes attributes) {
      SdkResponse response = context.response();
      if (response instanceof ListKeysResponse r) {
        return r.toBuilder().truncated((Boolean) null).build();
      }
      if (response instanceof DescribeKeyResponse r && r.keyMetadata() != null) {
        return r.toBuilder()
            .keyMetadata(
                r.keyMetadata().toBuilder()
                    .keyUsage((String) null)
                    .multiRegion(null)
                    .multiRegionConfiguration(
                        (software.amazon.awssdk.services.kms.model.MultiRegionConfiguration) null)
                    .build())
            .build();
      }
      if (response instanceof GetKeyRotationStatusResponse r) {
        return r.toBuilder().rotationPeriodInDays(null).nextRotationDate(null).build();
      }
      return response;
    }
  }

  @Test
  void scan_sparseAnswers_keepEveryKeyAndJudgeNothingOnAGuess() {
    AccountSnapshot snapshot;
    int seeded;
    try (SeededAccount account = SeededAccount.start(2, 3)) {
      account.interceptor(new SparseEmulator());
      seeded = SeededAccount.keysIn(account.seedKeys);
      snapshot = account.scanner().options(o -> o.quota("GetKeyLastUsage", 1000)).build().scan();
    }

    // every key listed although ListKeys never said Truncated
    assertThat(snapshot.keys()).hasSize(seeded);
    assertThat(snapshot.collectionErrors()).isEmpty();
    // KeyUsage of symmetric and HMAC keys follows from their spec
    assertThat(key(snapshot, SeededAccount.SYMMETRIC).unreadable()).isEmpty();
    assertThat(key(snapshot, SeededAccount.SYMMETRIC).metadata().keyUsage())
        .isEqualTo("ENCRYPT_DECRYPT");
    assertThat(key(snapshot, SeededAccount.HMAC).metadata().keyUsage())
        .isEqualTo("GENERATE_VERIFY_MAC");
    // an RSA key's usage and a multi-Region key's configuration cannot be derived
    assertThat(key(snapshot, SeededAccount.RSA_SIGN).unreadable().get(KeyPart.METADATA))
        .contains("KeyUsage");
    assertThat(snapshot.keys())
        .filteredOn(k -> k.keyId().startsWith("mrk-"))
        .hasSize(2)
        .allSatisfy(
            k ->
                assertThat(k.unreadable().get(KeyPart.METADATA))
                    .contains("MultiRegionConfiguration"));
    // the rotation period is not known
    assertThat(
            requireNonNull(key(snapshot, SeededAccount.SYMMETRIC).rotation())
                .rotationPeriodInDays())
        .isNull();

    PostureReport report =
        PostureEngine.builder().ruleSet(KmsPostureRules.all()).build().check(snapshot);
    for (Finding f : report.findings()) {
      KeySnapshot k = f.keyArn() == null ? null : snapshot.key(f.keyArn()).orElseThrow();
      if (k != null && k.unreadable().containsKey(KeyPart.METADATA)) {
        assertThat(f.status()).as(f.ruleId() + " on " + k.arn()).isEqualTo(Status.UNKNOWN);
      }
      if (f.ruleId().value().equals("RotationPeriodTooLong")
          && f.keyArn() != null
          && f.keyArn().endsWith(SeededAccount.SYMMETRIC)) {
        assertThat(f.status()).isEqualTo(Status.UNKNOWN);
      }
    }
  }

  private static KeySnapshot key(AccountSnapshot snapshot, String keyId) {
    return snapshot.keys().stream().filter(k -> k.keyId().equals(keyId)).findFirst().orElseThrow();
  }
}

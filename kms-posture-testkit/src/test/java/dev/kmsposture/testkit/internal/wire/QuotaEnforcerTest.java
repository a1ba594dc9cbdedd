package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.testkit.kms.RequestQuotas;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which buckets each KMS request takes from, with a fixed clock and a fake key directory. */
class QuotaEnforcerTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  // keys by id: their specs, as the engine would answer
  private static final Map<String, String> SPECS =
      Map.of(
          "sym", "SYMMETRIC_DEFAULT",
          "hmac", "HMAC_256",
          "rsa", "RSA_2048",
          "ecc", "ECC_NIST_P256",
          "sm2", "SM2",
          "mldsa", "ML_DSA_65");

  private final TestClock clock = new TestClock(NOW);

  private QuotaEnforcer enforcer(RequestQuotas quotas) {
    return new QuotaEnforcer(
        clock, (account, region, keyId) -> Optional.ofNullable(SPECS.get(keyId)), quotas);
  }

  private static boolean admitted(QuotaEnforcer enforcer, AwsCall call) {
    Throwable error = catchThrowable(() -> enforcer.admit(call));
    if (error == null) {
      return true;
    }
    assertThat(error).isInstanceOf(AwsServiceError.class);
    AwsServiceError throttled = (AwsServiceError) error;
    assertThat(throttled.code()).isEqualTo("ThrottlingException");
    assertThat(throttled.httpStatus()).isEqualTo(400);
    return false;
  }

  private static AwsCall crypto(String operation, String keyId) {
    return Calls.kms(operation, Map.of("KeyId", keyId));
  }

  @Test
  void symmetricAndHmacOperations_shareOneBucket() {
    QuotaEnforcer enforcer =
        enforcer(RequestQuotas.none().withLimit(RequestQuotas.SYMMETRIC_CRYPTOGRAPHY, 3));

    assertThat(admitted(enforcer, crypto("Encrypt", "sym"))).isTrue();
    assertThat(admitted(enforcer, crypto("Decrypt", "sym"))).isTrue();
    assertThat(admitted(enforcer, crypto("GenerateMac", "hmac"))).isTrue();
    assertThat(admitted(enforcer, Calls.kms("GenerateRandom", Map.of()))).isFalse();
    // RSA and ECC keys have their own buckets, unset here
    assertThat(admitted(enforcer, crypto("Sign", "rsa"))).isTrue();
    assertThat(admitted(enforcer, crypto("Sign", "ecc"))).isTrue();
  }

  @Test
  void keyTypes_haveIndependentBuckets() {
    QuotaEnforcer enforcer =
        enforcer(
            RequestQuotas.none()
                .withLimit(RequestQuotas.RSA_CRYPTOGRAPHY, 1)
                .withLimit(RequestQuotas.ECC_CRYPTOGRAPHY, 1)
                .withLimit(RequestQuotas.ML_DSA_CRYPTOGRAPHY, 1));

    assertThat(admitted(enforcer, crypto("Encrypt", "rsa"))).isTrue();
    assertThat(admitted(enforcer, crypto("Verify", "rsa"))).isFalse();
    assertThat(admitted(enforcer, crypto("DeriveSharedSecret", "ecc"))).isTrue();
    assertThat(admitted(enforcer, crypto("Encrypt", "sm2"))).isFalse();
    assertThat(admitted(enforcer, crypto("Sign", "mldsa"))).isTrue();
    assertThat(admitted(enforcer, crypto("Verify", "mldsa"))).isFalse();
    // unknown keys take no cryptographic token: the engine answers NotFound
    assertThat(admitted(enforcer, crypto("Encrypt", "missing"))).isTrue();
  }

  @Test
  void reEncrypt_takesFromTheBucketsOfBothKeys() {
    QuotaEnforcer enforcer =
        enforcer(
            RequestQuotas.none()
                .withLimit(RequestQuotas.SYMMETRIC_CRYPTOGRAPHY, 1)
                .withLimit(RequestQuotas.RSA_CRYPTOGRAPHY, 1));

    assertThat(
            admitted(
                enforcer,
                Calls.kms("ReEncrypt", Map.of("SourceKeyId", "rsa", "DestinationKeyId", "sym"))))
        .isTrue();
    assertThat(admitted(enforcer, crypto("Decrypt", "rsa"))).isFalse();
    assertThat(admitted(enforcer, crypto("Decrypt", "sym"))).isFalse();
  }

  @Test
  void generateDataKeyPair_usesTheQuotaOfItsKeyPairSpec() {
    QuotaEnforcer enforcer = enforcer(RequestQuotas.defaults());
    AwsCall rsa4096 =
        Calls.kms("GenerateDataKeyPair", Map.of("KeyId", "sym", "KeyPairSpec", "RSA_4096"));

    assertThat(admitted(enforcer, rsa4096)).isTrue();
    assertThat(admitted(enforcer, rsa4096)).isFalse();
    clock.set(NOW.plusSeconds(9));
    assertThat(admitted(enforcer, rsa4096)).isFalse();
    clock.set(NOW.plusSeconds(10));
    assertThat(admitted(enforcer, rsa4096)).isTrue();
  }

  @Test
  void replicateKey_takesTwoCreateKeyRequestsInTheReplicaRegion() {
    QuotaEnforcer enforcer = enforcer(RequestQuotas.defaults());
    AwsCall replicate =
        Calls.kms("ReplicateKey", Map.of("KeyId", "sym", "ReplicaRegion", "eu-west-1"));
    AwsCall createInReplicaRegion =
        Calls.call("kms", "CreateKey", Calls.ACCOUNT, "eu-west-1", Map.of());

    assertThat(admitted(enforcer, replicate)).isTrue();
    assertThat(admitted(enforcer, replicate)).isTrue();
    // 5 CreateKey per second: the two replications took 4
    assertThat(admitted(enforcer, createInReplicaRegion)).isTrue();
    assertThat(admitted(enforcer, createInReplicaRegion)).isFalse();
    // the primary Region's CreateKey bucket is untouched
    for (int i = 0; i < 5; i++) {
      assertThat(admitted(enforcer, Calls.kms("CreateKey", Map.of()))).isTrue();
    }
  }

  @Test
  void buckets_arePerAccountAndRegion() {
    QuotaEnforcer enforcer = enforcer(RequestQuotas.none().withLimit("CreateKey request rate", 1));

    assertThat(admitted(enforcer, Calls.kms("CreateKey", Map.of()))).isTrue();
    assertThat(admitted(enforcer, Calls.kms("CreateKey", Map.of()))).isFalse();
    assertThat(
            admitted(
                enforcer,
                Calls.call(
                    "kms", "CreateKey", AccountId.of("111122223333"), "us-east-1", Map.of())))
        .isTrue();
    assertThat(
            admitted(
                enforcer, Calls.call("kms", "CreateKey", Calls.ACCOUNT, "us-west-2", Map.of())))
        .isTrue();
  }

  @Test
  void regionalLimit_overridesTheDefault() {
    QuotaEnforcer enforcer =
        enforcer(
            RequestQuotas.none()
                .withLimit("DescribeKey request rate", 1)
                .withLimit("DescribeKey request rate", "eu-west-1", 3));

    int admittedInEu = 0;
    for (int i = 0; i < 5; i++) {
      if (admitted(
          enforcer, Calls.call("kms", "DescribeKey", Calls.ACCOUNT, "eu-west-1", Map.of()))) {
        admittedInEu++;
      }
    }
    assertThat(admittedInEu).isEqualTo(3);
  }

  @Test
  void bucket_refillsAtItsRateOnTheClock() {
    QuotaEnforcer enforcer =
        enforcer(RequestQuotas.none().withLimit("TagResource request rate", 10));
    AwsCall tag = Calls.kms("TagResource", Map.of("KeyId", "sym"));
    for (int i = 0; i < 10; i++) {
      assertThat(admitted(enforcer, tag)).isTrue();
    }
    assertThat(admitted(enforcer, tag)).isFalse();

    clock.set(NOW.plus(Duration.ofMillis(250)));

    assertThat(admitted(enforcer, tag)).isTrue();
    assertThat(admitted(enforcer, tag)).isTrue();
    assertThat(admitted(enforcer, tag)).isFalse();
  }

  @Test
  void noQuotas_andOtherServices_areNeverThrottled() {
    QuotaEnforcer none = enforcer(RequestQuotas.none());
    QuotaEnforcer defaults = enforcer(RequestQuotas.defaults());

    for (int i = 0; i < 50; i++) {
      assertThatCode(() -> none.admit(Calls.kms("CreateKey", Map.of()))).doesNotThrowAnyException();
      assertThatCode(
              () ->
                  defaults.admit(
                      Calls.call("sts", "GetCallerIdentity", Calls.ACCOUNT, "us-east-1", Map.of())))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void switchingQuotas_startsWithFullBuckets() {
    QuotaEnforcer enforcer = enforcer(RequestQuotas.none().withLimit("CreateKey request rate", 1));
    assertThat(admitted(enforcer, Calls.kms("CreateKey", Map.of()))).isTrue();
    assertThat(admitted(enforcer, Calls.kms("CreateKey", Map.of()))).isFalse();

    enforcer.quotas(RequestQuotas.none().withLimit("CreateKey request rate", 2));

    assertThat(admitted(enforcer, Calls.kms("CreateKey", Map.of()))).isTrue();
    assertThat(admitted(enforcer, Calls.kms("CreateKey", Map.of()))).isTrue();
    assertThat(admitted(enforcer, Calls.kms("CreateKey", Map.of()))).isFalse();
  }
}

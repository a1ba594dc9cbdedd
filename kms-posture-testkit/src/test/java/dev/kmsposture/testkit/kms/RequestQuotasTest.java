package dev.kmsposture.testkit.kms;

import static dev.kmsposture.testkit.kms.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/** Request quotas as the real SDK meets them, on a clock the test moves. */
class RequestQuotasTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private final MutableClock clock = new MutableClock(NOW);

  private static KmsClient noRetryKms(LocalKms kms) {
    return KmsClient.builder()
        .httpClient(kms.httpClient())
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1"))
        .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  /** "OK", or the error code of a ListRetirableGrants call. */
  private static String errorCode(KmsClient client) {
    try {
      client.listRetirableGrants(b -> b.retiringPrincipal("arn:aws:iam::123456789012:root"));
      return "OK";
    } catch (KmsException e) {
      return e.awsErrorDetails().errorCode();
    }
  }

  @Test
  void quotas_areOffByDefault() {
    LocalKms kms = LocalKms.builder().clock(clock).build();

    assertThat(kms.requestQuotas()).isEqualTo(RequestQuotas.none());
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      for (int i = 0; i < 20; i++) {
        cloudTrail.lookupEvents(b -> {});
      }
    }
  }

  @Test
  void defaults_throttleLookupEventsAtTwoPerSecond() {
    LocalKms kms = LocalKms.builder().clock(clock).requestQuotas(RequestQuotas.defaults()).build();
    try (CloudTrailClient cloudTrail =
        CloudTrailClient.builder()
            .httpClient(kms.httpClient())
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1"))
            .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
            .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
            .build()) {
      cloudTrail.lookupEvents(b -> {});
      cloudTrail.lookupEvents(b -> {});
      CloudTrailException throttled =
          thrown(CloudTrailException.class, () -> cloudTrail.lookupEvents(b -> {}));
      assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
      assertThat(throttled.statusCode()).isEqualTo(400);

      clock.advance(Duration.ofMillis(500));
      cloudTrail.lookupEvents(b -> {});
    }
  }

  @Test
  void kmsQuota_throttlesAboveItsRate_journalsIt_andRefillsOnTheClock() {
    // given
    LocalKms kms =
        LocalKms.builder()
            .clock(clock)
            .requestQuotas(RequestQuotas.none().withLimit("ListRetirableGrants request rate", 2))
            .build();
    try (KmsClient client = noRetryKms(kms)) {
      // then: two requests pass the quota (the engine answers them), the third is throttled
      assertThat(errorCode(client)).isNotEqualTo("ThrottlingException");
      assertThat(errorCode(client)).isNotEqualTo("ThrottlingException");
      assertThat(errorCode(client)).isEqualTo("ThrottlingException");
      assertThat(kms.journal().entries())
          .last()
          .satisfies(
              entry -> {
                assertThat(entry.operation()).isEqualTo("ListRetirableGrants");
                assertThat(entry.errorCode()).isEqualTo("ThrottlingException");
              });

      clock.advance(Duration.ofMillis(500));
      assertThat(errorCode(client)).isNotEqualTo("ThrottlingException");
      assertThat(errorCode(client)).isEqualTo("ThrottlingException");
    }
  }

  @Test
  void quotas_canBeSwitchedWhileRunning() {
    LocalKms kms = LocalKms.builder().clock(clock).build();
    try (KmsClient client = noRetryKms(kms)) {
      kms.requestQuotas(RequestQuotas.none().withLimit("ListRetirableGrants request rate", 1));
      assertThat(errorCode(client)).isNotEqualTo("ThrottlingException");
      assertThat(errorCode(client)).isEqualTo("ThrottlingException");

      kms.requestQuotas(RequestQuotas.none());
      assertThat(errorCode(client)).isNotEqualTo("ThrottlingException");
      assertThat(errorCode(client)).isNotEqualTo("ThrottlingException");
    }
  }

  @Test
  void defaults_holdTheDocumentedValues() {
    RequestQuotas defaults = RequestQuotas.defaults();

    assertThat(defaults.limit("CreateKey request rate", "us-east-1")).hasValue(5);
    assertThat(defaults.limit("DescribeKey request rate", "us-east-1")).hasValue(2000);
    assertThat(defaults.limit("ListGrants request rate", "us-east-1")).hasValue(100);
    assertThat(defaults.limit("RetireGrant request rate", "us-east-1")).hasValue(50);
    assertThat(defaults.limit("GetKeyLastUsage request rate", "us-east-1")).hasValue(5);
    assertThat(defaults.limit("GetParametersForImport request rate", "us-east-1")).hasValue(1);
    assertThat(defaults.limit(RequestQuotas.SYMMETRIC_CRYPTOGRAPHY, "us-east-1")).hasValue(10_000);
    assertThat(defaults.limit(RequestQuotas.RSA_CRYPTOGRAPHY, "us-east-1")).hasValue(1_000);
    assertThat(defaults.limit(RequestQuotas.ECC_CRYPTOGRAPHY, "us-east-1")).hasValue(1_000);
    assertThat(defaults.limit(RequestQuotas.ML_DSA_CRYPTOGRAPHY, "us-east-1")).hasValue(1_000);
    assertThat(defaults.limit("Encrypt request rate", "us-east-1")).isEmpty();
    assertThat(
            defaults
                .withLimit(RequestQuotas.SYMMETRIC_CRYPTOGRAPHY, "us-east-1", 100_000)
                .limit(RequestQuotas.SYMMETRIC_CRYPTOGRAPHY, "US-EAST-1"))
        .hasValue(100_000);
    assertThat(
            defaults.without("CreateKey request rate").limit("CreateKey request rate", "us-east-1"))
        .isEmpty();
  }

  @Test
  void withLimit_rejectsRatesThatAreNotPositive() {
    assertThatThrownBy(() -> RequestQuotas.none().withLimit("CreateKey request rate", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rate [0.0] of quota [CreateKey request rate] is not a positive number of requests per"
                + " second");
    assertThatThrownBy(() -> RequestQuotas.none().withLimit(" ", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quota name [] is blank; use a name such as \"CreateKey request rate\"");
  }

  @Test
  void cryptographicQuota_isSharedPerKeyType() {
    // given
    LocalKms kms =
        LocalKms.builder()
            .clock(clock)
            .requestQuotas(
                RequestQuotas.none()
                    .withLimit(RequestQuotas.SYMMETRIC_CRYPTOGRAPHY, 2)
                    .withLimit(RequestQuotas.RSA_CRYPTOGRAPHY, 1))
            .build();
    try (KmsClient client = noRetryKms(kms)) {
      String symmetric = client.createKey().keyMetadata().keyId();
      String rsa =
          client
              .createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY))
              .keyMetadata()
              .keyId();
      SdkBytes data = SdkBytes.fromUtf8String("data");

      // then: Encrypt and GenerateDataKey share the symmetric bucket
      SdkBytes blob = client.encrypt(b -> b.keyId(symmetric).plaintext(data)).ciphertextBlob();
      client.generateDataKey(b -> b.keyId(symmetric).keySpec(DataKeySpec.AES_256));
      KmsException throttled =
          thrown(
              KmsException.class,
              () -> client.decrypt(b -> b.ciphertextBlob(blob).keyId(symmetric)));
      assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
      // the RSA bucket is separate
      client.sign(
          b ->
              b.keyId(rsa).message(data).signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256));
      assertThat(
              thrown(
                      KmsException.class,
                      () ->
                          client.sign(
                              b ->
                                  b.keyId(rsa)
                                      .message(data)
                                      .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)))
                  .awsErrorDetails()
                  .errorCode())
          .isEqualTo("ThrottlingException");
      // management operations are not cryptographic
      client.describeKey(b -> b.keyId(symmetric));
    }
  }
}

package dev.kmsposture.testkit.kms;

import static dev.kmsposture.testkit.kms.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.policy.AccountId;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.TrailAlreadyExistsException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DependencyTimeoutException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.sts.StsClient;

/** Injected faults as the real SDK meets them, in-process and over HTTP. */
class FaultInjectionTest {
  private static final String KMS_THROTTLING =
      "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.";

  /** A KMS client that does not retry, so each injected fault surfaces. */
  private static KmsClient noRetryKms(LocalKms kms) {
    return KmsClient.builder()
        .httpClient(kms.httpClient())
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1"))
        .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
        .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void throttlingTwice_theSdkRetriesThrough(Transport transport) {
    // given
    LocalKms kms =
        LocalKms.builder()
            .fault(
                Fault.throttling()
                    .forService("cloudtrail")
                    .forOperations("DescribeTrails")
                    .times(2))
            .build();
    try (Transport.Session session = transport.open(kms);
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      // when: the SDK's standard retry strategy makes up to three attempts
      cloudTrail.describeTrails();

      // then
      assertThat(kms.faults().injected())
          .extracting(InjectedFault::operation, InjectedFault::errorCode)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("DescribeTrails", "ThrottlingException"),
              org.assertj.core.groups.Tuple.tuple("DescribeTrails", "ThrottlingException"));
    }
  }

  @Test
  void kmsThrottling_isA400ThrottlingExceptionAndIsJournaled() {
    // given
    LocalKms kms = LocalKms.builder().fault(Fault.throttling().forOperations("ListKeys")).build();

    // when
    KmsException error;
    try (KmsClient client = noRetryKms(kms)) {
      error = thrown(KmsException.class, client::listKeys);
    }

    // then
    assertThat(error.statusCode()).isEqualTo(400);
    assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
    assertThat(error.awsErrorDetails().errorMessage()).isEqualTo(KMS_THROTTLING);
    assertThat(kms.journal().entries())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.operation()).isEqualTo("ListKeys");
              assertThat(entry.errorCode()).isEqualTo("ThrottlingException");
              assertThat(entry.errorMessage()).isEqualTo(KMS_THROTTLING);
              assertThat(entry.requestId()).isEqualTo(error.requestId());
            });
  }

  @Test
  void serviceErrors_areTheModelledKmsFaults() {
    LocalKms kms =
        LocalKms.builder()
            .fault(Fault.serviceError().forOperations("ListKeys"))
            .fault(
                Fault.serviceError(503, "DependencyTimeoutException", "The system timed out")
                    .forOperations("ListAliases"))
            .build();
    try (KmsClient client = noRetryKms(kms)) {
      KmsInternalException internal = thrown(KmsInternalException.class, client::listKeys);
      assertThat(internal.statusCode()).isEqualTo(500);
      DependencyTimeoutException timeout =
          thrown(DependencyTimeoutException.class, client::listAliases);
      assertThat(timeout.statusCode()).isEqualTo(503);
      assertThat(timeout.awsErrorDetails().errorMessage()).isEqualTo("The system timed out");
    }
    assertThat(kms.journal().entries())
        .extracting(JournalEntry::errorCode)
        .containsExactly("KMSInternalException", "DependencyTimeoutException");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void errorAfterCommit_theChangeIsMadeAndTheRetryMeetsIt(Transport transport) {
    // given
    LocalKms kms =
        LocalKms.builder()
            .fault(
                Fault.errorAfterCommit()
                    .forService("cloudtrail")
                    .forOperations("CreateTrail")
                    .times(1))
            .build();
    try (Transport.Session session = transport.open(kms);
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      // when: the first attempt creates the trail and answers 500; the SDK retries
      TrailAlreadyExistsException retried =
          thrown(
              TrailAlreadyExistsException.class,
              () -> cloudTrail.createTrail(b -> b.name("audit").s3BucketName("audit-logs")));

      // then
      assertThat(retried.awsErrorDetails().errorMessage())
          .isEqualTo("Trail audit already exists for customer: 123456789012");
      assertThat(cloudTrail.describeTrails().trailList()).hasSize(1);
      assertThat(kms.faults().injected())
          .singleElement()
          .satisfies(
              fault -> {
                assertThat(fault.fault().kind()).isEqualTo(Fault.Kind.ERROR_AFTER_COMMIT);
                assertThat(fault.errorCode()).isEqualTo("InternalFailure");
              });
    }
  }

  @Test
  void timeoutAfterCommit_inProcess_isAReadTimeoutAfterTheChange() {
    // given
    LocalKms kms =
        LocalKms.builder()
            .fault(
                Fault.timeoutAfterCommit(Duration.ofMillis(50))
                    .forService("cloudtrail")
                    .forOperations("CreateTrail"))
            .build();
    try (CloudTrailClient cloudTrail =
        CloudTrailClient.builder()
            .httpClient(kms.httpClient())
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1"))
            .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
            .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
            .build()) {
      // when
      SdkClientException timeout =
          thrown(
              SdkClientException.class,
              () -> cloudTrail.createTrail(b -> b.name("audit").s3BucketName("audit-logs")));

      // then
      assertThat(timeout).hasRootCauseInstanceOf(SocketTimeoutException.class);
      kms.faults().clear();
      assertThat(cloudTrail.describeTrails().trailList())
          .extracting(t -> t.name())
          .containsExactly("audit");
    }
  }

  @Test
  void timeoutAfterCommit_overHttp_dropsTheConnectionAfterTheChange() {
    LocalKms kms =
        LocalKms.builder()
            .fault(Fault.timeoutAfterCommit(Duration.ZERO).forService("sts").times(1))
            .build();
    try (LocalKmsServer server = LocalKmsServer.start(kms);
        StsClient sts =
            StsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(server.endpoint())
                .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build()) {
      thrown(SdkClientException.class, sts::getCallerIdentity);
      assertThat(sts.getCallerIdentity().account()).isEqualTo("123456789012");
    }
  }

  @Test
  void latency_delaysTheRequest() {
    LocalKms kms =
        LocalKms.builder().fault(Fault.latency(Duration.ofMillis(300)).forService("sts")).build();
    try (StsClient sts = kms.stsClient(Region.US_EAST_1)) {
      long start = System.nanoTime();
      sts.getCallerIdentity();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
    assertThat(kms.faults().injected())
        .singleElement()
        .satisfies(f -> assertThat(f.errorCode()).isEmpty());
  }

  @Test
  void faults_matchAccountsAndRegions() {
    // given
    AccountId other = AccountId.of("111122223333");
    LocalKms kms =
        LocalKms.builder()
            .caller("AKIDOTHER", Caller.root(other))
            .fault(
                Fault.serviceError().forService("sts").forAccounts(other).forRegions("eu-west-1"))
            .build();

    // then
    try (StsClient defaultEu = kms.stsClient(Region.EU_WEST_1);
        StsClient otherUs = kms.stsClient(Region.US_EAST_1, "AKIDOTHER");
        StsClient otherEu = kms.stsClient(Region.EU_WEST_1, "AKIDOTHER")) {
      assertThat(defaultEu.getCallerIdentity().account()).isEqualTo("123456789012");
      assertThat(otherUs.getCallerIdentity().account()).isEqualTo("111122223333");
      assertThat(
              thrown(
                      software.amazon.awssdk.services.sts.model.StsException.class,
                      otherEu::getCallerIdentity)
                  .statusCode())
          .isEqualTo(500);
    }
  }

  @Test
  void faults_canBeChangedWhileRunning() {
    LocalKms kms = LocalKms.create();
    Fault fault = Fault.serviceError().forService("cloudtrail");

    kms.faults().add(fault);
    assertThat(kms.faults().list()).containsExactly(fault);
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      thrown(CloudTrailException.class, cloudTrail::describeTrails);
      assertThat(kms.faults().remove(fault)).isTrue();
      assertThat(cloudTrail.describeTrails().trailList()).isEmpty();
    }
    assertThat(kms.faults().list()).isEmpty();
    // every attempt the SDK made met the fault
    assertThat(kms.faults().injected())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.fault()).isEqualTo(fault));
    kms.faults().clearInjected();
    assertThat(kms.faults().injected()).isEmpty();
  }

  @Test
  void reseed_replaysTheSameHits() {
    LocalKms kms =
        LocalKms.builder()
            .faultSeed(7)
            .fault(Fault.throttling().forOperations("ListKeys").withProbability(0.5))
            .build();
    List<Boolean> first = listKeysHits(kms, 40);
    kms.faults().reseed(7);
    List<Boolean> replay = listKeysHits(kms, 40);
    kms.faults().reseed(8);
    List<Boolean> otherSeed = listKeysHits(kms, 40);

    assertThat(replay).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
    assertThat(first).contains(true, false);
  }

  private static List<Boolean> listKeysHits(LocalKms kms, int calls) {
    List<Boolean> hits = new java.util.ArrayList<>();
    try (KmsClient client = noRetryKms(kms)) {
      for (int i = 0; i < calls; i++) {
        try {
          client.listKeys();
          hits.add(false);
        } catch (KmsException e) {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
          hits.add(true);
        }
      }
    }
    return hits;
  }

  @Test
  void fault_rejectsBadSettingsWithClearMessages() {
    assertThatThrownBy(() -> Fault.throttling().withProbability(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probability [0.0] is not in (0, 1]");
    assertThatThrownBy(() -> Fault.throttling().times(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("times [0] is below 1");
    assertThatThrownBy(() -> Fault.serviceError(404, "NotFound", "gone"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service error status [404] is not 5xx; use 500-599");
    assertThatThrownBy(() -> Fault.latency(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latency max [PT1S] is below min [PT2S]");
    assertThatThrownBy(() -> Fault.throttling().forService("s3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service [s3] is not emulated; use kms, cloudtrail, sts or organizations");
    assertThat(Fault.throttling().forOperations("Decrypt").withProbability(0.25).times(3))
        .hasToString("Fault[THROTTLING on kms [Decrypt] p=0.25 times=3]");
  }

  @Test
  void errorAfterCommit_onCreateKey_leavesTheKeyAndJournalsTheError() {
    // given
    LocalKms kms =
        LocalKms.builder()
            .fault(Fault.errorAfterCommit().forOperations("CreateKey").times(1))
            .build();
    try (KmsClient client = noRetryKms(kms)) {
      // when
      KmsInternalException error = thrown(KmsInternalException.class, client::createKey);

      // then: the key was made although the caller saw a failure
      assertThat(error.statusCode()).isEqualTo(500);
      assertThat(client.listKeys().keys()).hasSize(1);
      assertThat(kms.journal().entries(e -> e.operation().equals("CreateKey")))
          .singleElement()
          .satisfies(
              entry -> {
                assertThat(entry.errorCode()).isEqualTo("KMSInternalException");
                assertThat(entry.errorMessage()).contains("internal exception");
                assertThat(entry.requestId()).isEqualTo(error.requestId());
              });
    }
  }

  @Test
  void errorAfterCommit_onCreateKey_aRetryingClientMakesASecondKey() {
    LocalKms kms =
        LocalKms.builder()
            .fault(Fault.errorAfterCommit().forOperations("CreateKey").times(1))
            .build();
    try (KmsClient client = kms.kmsClient(Region.US_EAST_1)) {
      client.createKey();

      // CreateKey is not idempotent: the SDK's retry made another key
      assertThat(client.listKeys().keys()).hasSize(2);
    }
  }
}

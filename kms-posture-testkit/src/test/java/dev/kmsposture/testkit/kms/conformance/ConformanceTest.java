package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.LocalKms;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The base of every conformance class: the transport parameter, a fresh embedded KMS per test on a
 * {@link TestClock}, and SDK clients for it. Expected responses and errors are written from the KMS
 * API reference and the Developer Guide (and, where noted, from responses recorded against AWS).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.kmsposture.testkit.kms.conformance.ConformanceModes#modes")
abstract class ConformanceTest {
  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  static final String ACCOUNT = "123456789012";
  static final String OTHER_ACCOUNT = "210987654321";

  @SuppressWarnings("NullAway.Init") // set by JUnit before each test
  @Parameter
  KmsTransport transport;

  final TestClock clock = new TestClock(START);
  private final List<AutoCloseable> open = new ArrayList<>();

  @SuppressWarnings("NullAway.Init") // built on first use by kms()
  private LocalKms kms;

  @SuppressWarnings("NullAway.Init") // built with kms
  private KmsTransport.Connection connection;

  /** The KMS of this test, built on first use with default options. */
  LocalKms kms() {
    if (kms == null) {
      kms(b -> b);
    }
    return kms;
  }

  /** Builds this test's KMS with extra options (call before any client). */
  LocalKms kms(UnaryOperator<LocalKms.Builder> options) {
    if (kms != null) {
      throw new IllegalStateException("the KMS of this test is already built");
    }
    LocalKms.Builder b =
        LocalKms.builder()
            .clock(clock)
            .caller(
                "AKIAOTHERACCOUNT0001",
                Caller.root(dev.kmsposture.policy.AccountId.of(OTHER_ACCOUNT)))
            .caller("AKIAALICE0000000001", Caller.of("arn:aws:iam::" + ACCOUNT + ":user/alice"))
            .caller("AKIABOB00000000001", Caller.of("arn:aws:iam::" + ACCOUNT + ":role/bob"));
    kms = options.apply(b).build();
    connection = transport.connect(kms);
    return kms;
  }

  /** A client in us-east-1 as the root of {@link #ACCOUNT}. */
  KmsClient client() {
    return client(Region.US_EAST_1);
  }

  KmsClient client(Region region) {
    return client(region, LocalKms.DEFAULT_ACCESS_KEY_ID);
  }

  /**
   * A client that signs with {@code accessKeyId}: AKIAOTHERACCOUNT0001 (root of the other account),
   * AKIAALICE0000000001 (user alice), AKIABOB00000000001 (role bob).
   */
  KmsClient client(Region region, String accessKeyId) {
    kms();
    KmsClient c = connection.client(region, accessKeyId);
    open.add(c);
    return c;
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (connection != null) {
      connection.close();
    }
  }

  /**
   * Runs {@code call} and returns the KMS error it raised, checking code and message; an empty
   * {@code message} is an error AWS sends without a message (recorded), which the SDK reports as
   * none.
   */
  static <T extends KmsException> T error(
      Class<T> type, String code, String message, ThrowingCallable call) {
    T e = catchThrowableOfType(type, call);
    assertThat(e).as("expected %s", code).isNotNull();
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    if (message.isEmpty()) {
      assertThat(e.awsErrorDetails().errorMessage()).isNull();
    } else {
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    }
    assertThat(e.statusCode()).isEqualTo(400);
    return e;
  }

  /** Runs {@code call} and returns the KMS error it raised, checking its code only. */
  static <T extends KmsException> T error(Class<T> type, String code, ThrowingCallable call) {
    T e = catchThrowableOfType(type, call);
    assertThat(e).as("expected %s", code).isNotNull();
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    return e;
  }

  static String keyArn(String region, String account, String keyId) {
    return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
  }
}

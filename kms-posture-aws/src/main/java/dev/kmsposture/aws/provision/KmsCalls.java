package dev.kmsposture.aws.provision;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * How the provisioner makes KMS calls: which failures mean "try again", which may hide a change
 * that was made, and the bounded waiting for KMS's eventual consistency.
 */
final class KmsCalls {
  private KmsCalls() {}

  /** Sleeps between attempts; tests replace it. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * The per-request configuration that turns the client's own retries off, for calls the SDK must
   * not repeat blindly: {@code CreateKey} has no idempotency token, so an SDK retry after a lost
   * answer creates a second key the caller never hears of. The provisioner retries these itself,
   * after looking for the key the lost answer may have created.
   */
  static AwsRequestOverrideConfiguration noRetries() {
    return AwsRequestOverrideConfiguration.builder()
        .addPlugin(
            config ->
                config.overrideConfiguration(
                    (java.util.function.Consumer<
                            software.amazon.awssdk.core.client.config.ClientOverrideConfiguration
                                .Builder>)
                        c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())))
        .build();
  }

  /** The AWS error code of {@code e}, or empty when it is not a service error. */
  static String errorCode(Throwable e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      String code = a.awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  /** Whether {@code e} is KMS (or the SDK) saying "too many requests". */
  static boolean isThrottling(Throwable e) {
    return e instanceof AwsServiceException a && a.isThrottlingException();
  }

  /**
   * Whether the call may have made its change although it failed: the service answered 5xx, or no
   * answer came (a timeout, a dropped connection). A 4xx answer other than throttling means the
   * request was refused before anything changed.
   */
  static boolean mayHaveCommitted(Throwable e) {
    if (e instanceof AwsServiceException a) {
      return a.statusCode() >= 500;
    }
    return e instanceof SdkClientException;
  }

  /** Whether {@code e} is worth another attempt later (throttling, 5xx, no answer). */
  static boolean isTransient(Throwable e) {
    return isThrottling(e) || mayHaveCommitted(e);
  }

  /**
   * Whether {@code e} is KMS's eventual consistency right after a key was created or replicated:
   * the key not found yet, or still {@code Creating}.
   */
  static boolean isNotYetConsistent(Throwable e) {
    return e instanceof NotFoundException || e instanceof KmsInvalidStateException;
  }

  /** A one-line description of a failed call: the error code and the service's message. */
  static String reason(Throwable e) {
    if (e instanceof AwsServiceException a) {
      String code = errorCode(a);
      String detail = a.awsErrorDetails() != null ? a.awsErrorDetails().errorMessage() : null;
      String message = detail != null ? detail : Objects.requireNonNullElse(a.getMessage(), "");
      return (code.isEmpty() ? "HTTP " + a.statusCode() : code) + ": " + oneLine(message);
    }
    if (e instanceof SdkException) {
      return "no answer (" + oneLine(String.valueOf(e.getMessage())) + ")";
    }
    return e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage()));
  }

  private static String oneLine(String s) {
    String t = s.replace('\n', ' ').replace('\r', ' ').strip();
    return t.length() <= 300 ? t : t.substring(0, 297) + "...";
  }

  /**
   * Calls {@code call} until it succeeds, retrying only KMS's eventual-consistency errors ({@link
   * #isNotYetConsistent}) until {@code within} has passed; every other failure is thrown at once.
   */
  static <T> T untilConsistent(Supplier<T> call, Duration within, Duration pause, Sleeper sleeper) {
    long deadline = System.nanoTime() + within.toNanos();
    Duration wait = pause;
    while (true) {
      try {
        return call.get();
      } catch (SdkException e) {
        if (!isNotYetConsistent(e) || System.nanoTime() - deadline >= 0) {
          throw e;
        }
      }
      sleep(sleeper, wait);
      wait = min(wait.multipliedBy(2), Duration.ofSeconds(5));
    }
  }

  static void sleep(Sleeper sleeper, Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException(
          "interrupted while waiting for KMS; the provisioning run stops here");
    }
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Whether a KMS error code names access being refused. */
  static boolean isAccessDenied(Throwable e) {
    return errorCode(e).toLowerCase(Locale.ROOT).contains("accessdenied");
  }
}

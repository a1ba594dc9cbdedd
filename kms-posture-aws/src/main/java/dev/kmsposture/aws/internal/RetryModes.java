package dev.kmsposture.aws.internal;

import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * Tells the retry mode of a client the caller built, for the scan's statistics: the scanner
 * recommends {@code RetryMode.ADAPTIVE_V2}, which slows a client down when the service throttles
 * it, so that a scan gives way to the production traffic that shares the account's quotas.
 */
public final class RetryModes {
  /** The mode the scanner recommends. */
  public static final String RECOMMENDED = "ADAPTIVE_V2";

  private RetryModes() {}

  /**
   * The retry mode of {@code client}: the mode it was built with, the strategy it was given ({@code
   * ADAPTIVE_V2}, {@code STANDARD}, {@code LEGACY} or the strategy's class), or {@code default}
   * when it leaves retries to the SDK's defaults (which read {@code AWS_RETRY_MODE} and the
   * profile, and are {@code LEGACY} unless set).
   */
  public static String of(SdkClient client) {
    ClientOverrideConfiguration o;
    try {
      o = client.serviceClientConfiguration().overrideConfiguration();
    } catch (RuntimeException e) {
      // a hand-written client without a configuration
      return "unknown";
    }
    if (o == null) {
      return "default";
    }
    if (o.retryMode().isPresent()) {
      return o.retryMode().get().name();
    }
    if (o.retryStrategy().isPresent()) {
      String name = o.retryStrategy().get().getClass().getSimpleName();
      if (name.contains("Adaptive")) {
        return "ADAPTIVE_V2";
      }
      if (name.contains("Standard")) {
        return "STANDARD";
      }
      if (name.contains("Legacy")) {
        return "LEGACY";
      }
      return name;
    }
    if (o.retryPolicy().isPresent()) {
      return o.retryPolicy().get().retryMode().name();
    }
    return "default";
  }
}

package dev.kmsposture.testkit.internal.wire;

import dev.kmsposture.testkit.kms.Caller;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Who each access key acts as: the callers a test mapped, the temporary credentials STS handed out
 * (which expire on the emulator's clock), and a fallback for every other key.
 *
 * <p>Thread-safe.
 */
public final class CallerDirectory {
  private record Entry(Caller caller, @Nullable Instant expiresAt) {}

  private final Map<String, Entry> byAccessKey = new ConcurrentHashMap<>();
  private final Caller fallback;
  private final Clock clock;

  /**
   * Creates a directory.
   *
   * @param callers the long-term access keys and who they act as
   * @param fallback who every other access key acts as
   * @param clock the emulator's clock, against which temporary credentials expire
   */
  public CallerDirectory(Map<String, Caller> callers, Caller fallback, Clock clock) {
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.clock = Objects.requireNonNull(clock, "clock");
    callers.forEach(this::put);
  }

  /** Makes {@code accessKeyId} act as {@code caller} until changed. */
  public void put(String accessKeyId, Caller caller) {
    byAccessKey.put(
        Objects.requireNonNull(accessKeyId, "accessKeyId"),
        new Entry(Objects.requireNonNull(caller, "caller"), null));
  }

  /** Makes the temporary {@code accessKeyId} act as {@code caller} until {@code expiresAt}. */
  public void putTemporary(String accessKeyId, Caller caller, Instant expiresAt) {
    byAccessKey.put(
        Objects.requireNonNull(accessKeyId, "accessKeyId"),
        new Entry(
            Objects.requireNonNull(caller, "caller"),
            Objects.requireNonNull(expiresAt, "expiresAt")));
  }

  /**
   * Returns who {@code accessKeyId} acts as.
   *
   * @throws AwsServiceError {@code ExpiredTokenException} for temporary credentials past their
   *     expiry
   */
  public Caller resolve(String accessKeyId) {
    Entry entry = byAccessKey.get(accessKeyId);
    if (entry == null) {
      return fallback;
    }
    Instant expiresAt = entry.expiresAt();
    if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
      throw AwsServiceError.client(
          "ExpiredTokenException", "The security token included in the request is expired");
    }
    return entry.caller();
  }
}

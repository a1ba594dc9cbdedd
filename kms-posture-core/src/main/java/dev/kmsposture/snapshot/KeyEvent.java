package dev.kmsposture.snapshot;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A CloudTrail event about a key that rules read: {@code DisableKey}, {@code EnableKey}, {@code
 * ScheduleKeyDeletion} (with its {@code pendingWindowInDays}), {@code CancelKeyDeletion}, and
 * failed calls such as a {@code Decrypt} that got {@code DisabledException}.
 *
 * @param time when it happened
 * @param eventName the API operation, such as {@code DisableKey}
 * @param errorCode the error code of a failed call, or null
 * @param pendingWindowInDays for {@code ScheduleKeyDeletion}, the waiting period requested, or null
 * @param principalArn who made the call, or null
 */
public record KeyEvent(
    Instant time,
    String eventName,
    @Nullable String errorCode,
    @Nullable Integer pendingWindowInDays,
    @Nullable String principalArn) {

  /** Checks the required parts. */
  public KeyEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(eventName, "eventName");
  }
}

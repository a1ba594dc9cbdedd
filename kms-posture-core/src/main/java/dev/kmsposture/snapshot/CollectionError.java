package dev.kmsposture.snapshot;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A failure while collecting the snapshot that is not tied to one key part (for example {@code
 * ListKeys} denied in a Region).
 *
 * @param region the Region, or null for the account
 * @param operation the API operation that failed
 * @param message what went wrong
 */
public record CollectionError(@Nullable String region, String operation, String message) {
  /** Checks the required parts. */
  public CollectionError {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(message, "message");
  }
}

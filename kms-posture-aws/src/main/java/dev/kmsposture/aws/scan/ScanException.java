package dev.kmsposture.aws.scan;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A scan could not produce a snapshot at all: the account could not be told, or every Region failed
 * before a key was found. Failures of one Region or one key part do not throw; they are recorded in
 * the snapshot ({@code collectionErrors}, {@code unreadable}).
 */
public final class ScanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String message;
  private final @Nullable String account;
  private final @Nullable String region;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   * @param account the account, or null when it is not known
   * @param region the Region, or null when the failure is not tied to one
   * @param cause the underlying failure, or null
   */
  public ScanException(
      String message,
      @Nullable String account,
      @Nullable String region,
      @Nullable Throwable cause) {
    super(message, cause);
    this.message = message;
    this.account = account;
    this.region = region;
  }

  /** What went wrong and what to do; never null. */
  @Override
  public String getMessage() {
    return message;
  }

  /** The account the scan was for, when known. */
  public Optional<String> account() {
    return Optional.ofNullable(account);
  }

  /** The Region the failure is tied to, if any. */
  public Optional<String> region() {
    return Optional.ofNullable(region);
  }
}

package dev.kmsposture.internal.text;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The checks the values' builders share, so that every builder words its refusals alike: a blank
 * text names the value in brackets and what is accepted; a missing value names the setter to call.
 */
public final class BuilderChecks {
  private BuilderChecks() {}

  /**
   * Returns {@code value} when it is not blank.
   *
   * @param param the setter's parameter, named when the value is null
   * @param what the value in words, such as {@code key spec}
   * @param accepted what is accepted, such as {@code a KMS key spec such as SYMMETRIC_DEFAULT}
   * @throws NullPointerException if the value is null
   * @throws IllegalArgumentException if the value is blank
   */
  public static String notBlank(String value, String param, String what, String accepted) {
    Objects.requireNonNull(value, param);
    if (value.isBlank()) {
      throw new IllegalArgumentException(
          String.format("%s [%s] is blank; expected %s", what, value, accepted));
    }
    return value;
  }

  /**
   * Returns {@code value} when it was set.
   *
   * @param subject what is built, such as {@code key metadata}
   * @param what the missing value in words
   * @param setter the setter that sets it, such as {@code keySpec(...)}
   * @throws IllegalStateException if the value is null
   */
  public static <T> T required(String subject, @Nullable T value, String what, String setter) {
    if (value == null) {
      throw missing(subject, what, setter);
    }
    return value;
  }

  /** Returns the refusal of a build whose {@code what} was not set with {@code setter}. */
  public static IllegalStateException missing(String subject, String what, String setter) {
    return new IllegalStateException(
        String.format("%s has no %s; set it with %s before build()", subject, what, setter));
  }
}

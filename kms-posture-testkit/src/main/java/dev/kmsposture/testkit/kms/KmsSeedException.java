package dev.kmsposture.testkit.kms;

import java.util.Objects;

/**
 * A seed that cannot be applied or read: the message names where (the file, and the field as a path
 * such as {@code keys[2].rotation.periodInDays}) and what is wrong.
 */
public final class KmsSeedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the field's path, such as {@code keys[0].aliases[1]}; empty for the whole seed
   * @param problem what is wrong and what is accepted
   */
  public KmsSeedException(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = Objects.requireNonNull(field, "field");
  }

  /**
   * Creates the exception with a cause.
   *
   * @param field the field's path
   * @param problem what is wrong
   * @param cause the underlying failure
   */
  public KmsSeedException(String field, String problem, Throwable cause) {
    super(field.isEmpty() ? problem : field + ": " + problem, cause);
    this.field = Objects.requireNonNull(field, "field");
  }

  /** The path of the field at fault, such as {@code keys[0].aliases[1]}; empty for the seed. */
  public String field() {
    return field;
  }
}

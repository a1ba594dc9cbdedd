package dev.kmsposture.leastprivilege;

import java.util.Objects;

/**
 * A role file (or the {@code policy} part of a key blueprint) that cannot be read or whose values
 * the {@link KeyPolicyBuilder} refuses. The message names the document and the JSON Pointer of the
 * offending field, such as {@code role file [roles.yaml] at /users/1: user [not-an-arn] is not an
 * IAM role or user ARN …}; for malformed text it gives the line and column instead.
 */
public final class RoleFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String pointer;

  /**
   * Creates the exception.
   *
   * @param message the whole message, naming the document and the field
   * @param pointer the JSON Pointer of the field in the document, or empty for the whole document
   * @param cause what the reader or builder threw, or null
   */
  public RoleFileException(
      String message, String pointer, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
    this.pointer = Objects.requireNonNull(pointer, "pointer");
  }

  /**
   * Returns the JSON Pointer of the offending field, or empty when the whole document is at fault.
   */
  public String pointer() {
    return pointer;
  }
}

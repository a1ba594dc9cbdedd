package dev.kmsposture.blueprint;

import java.util.Objects;

/**
 * A key blueprint document that cannot be read: malformed YAML or JSON (with line and column), a
 * field given twice, an unknown field (listing the known ones), a value of the wrong type, or a
 * value the blueprint's rules refuse. The message names the document and the JSON Pointer of the
 * field, and says what is accepted, such as {@code blueprint [payments.yaml] at
 * /rotation/periodDays: rotation period [30] days is out of range; KMS accepts 90 to 2560 days}.
 */
public final class BlueprintParseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String pointer;

  /**
   * Creates the exception.
   *
   * @param message the message, naming the document and the field
   * @param pointer the JSON Pointer of the field, or empty when the whole document is at fault
   * @param cause what was refused, or null
   */
  public BlueprintParseException(
      String message, String pointer, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
    this.pointer = Objects.requireNonNull(pointer, "pointer");
  }

  /** Returns the JSON Pointer of the offending field, or empty for the whole document. */
  public String pointer() {
    return pointer;
  }
}

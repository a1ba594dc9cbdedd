package dev.kmsposture.internal.json;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Malformed JSON, or a duplicate key, at a JSON Pointer. */
public final class JsonSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @serial the JSON Pointer where reading stopped
   */
  private final String pointer;

  /**
   * Creates the exception.
   *
   * @param pointer where reading stopped
   * @param message what was wrong
   * @param cause the parser's exception, if any
   */
  public JsonSyntaxException(String pointer, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.pointer = pointer;
  }

  /** Returns what was wrong (never null: every constructor takes a message). */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage());
  }

  /** Returns the JSON Pointer where reading stopped. */
  public String pointer() {
    return pointer;
  }
}

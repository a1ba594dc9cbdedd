package dev.kmsposture.internal.json;

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
  public JsonSyntaxException(String pointer, String message, Throwable cause) {
    super(message, cause);
    this.pointer = pointer;
  }

  /** Returns the JSON Pointer where reading stopped. */
  public String pointer() {
    return pointer;
  }
}

package dev.kmsposture.snapshot;

import java.util.Objects;

/** A snapshot JSON document that is malformed or does not follow the snapshot schema. */
public final class SnapshotParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @serial the JSON Pointer of the offending field
   */
  private final String pointer;

  /**
   * Creates the exception.
   *
   * @param pointer the JSON Pointer of the offending field ({@code ""} for the document)
   * @param problem what was wrong and what was expected
   * @param cause the underlying failure
   */
  public SnapshotParseException(String pointer, String problem, Throwable cause) {
    super("invalid snapshot at [" + (pointer.isEmpty() ? "/" : pointer) + "]: " + problem, cause);
    this.pointer = Objects.requireNonNull(pointer, "pointer");
  }

  /**
   * Creates the exception for a problem found by reading, not by a failure underneath.
   *
   * @param pointer the JSON Pointer of the offending field ({@code ""} for the document)
   * @param problem what was wrong and what was expected
   */
  public SnapshotParseException(String pointer, String problem) {
    super("invalid snapshot at [" + (pointer.isEmpty() ? "/" : pointer) + "]: " + problem);
    this.pointer = Objects.requireNonNull(pointer, "pointer");
  }

  /** Returns the JSON Pointer of the offending field. */
  public String pointer() {
    return pointer;
  }
}

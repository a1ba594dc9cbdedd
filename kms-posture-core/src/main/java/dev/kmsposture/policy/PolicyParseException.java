package dev.kmsposture.policy;

import java.util.Objects;

/**
 * A key-policy document that KMS would reject, or that cannot be read without losing meaning. The
 * message says what was found and what was expected; {@link #pointer()} locates it as a JSON
 * Pointer (RFC 6901), for example {@code /Statement/2/Condition/StringEquals}.
 */
public final class PolicyParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @serial the JSON Pointer of the offending element; empty for the whole document
   */
  private final String pointer;

  /**
   * @serial what was wrong, without the pointer
   */
  private final String problem;

  /**
   * Creates an exception for the element at {@code pointer}.
   *
   * @param pointer the JSON Pointer of the offending element ({@code ""} for the whole document)
   * @param problem what was wrong and what was expected, as a lower-case fragment
   */
  public PolicyParseException(String pointer, String problem) {
    super(format(pointer, problem));
    this.pointer = Objects.requireNonNull(pointer, "pointer");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /**
   * Creates an exception for the element at {@code pointer}, keeping the underlying cause.
   *
   * @param pointer the JSON Pointer of the offending element
   * @param problem what was wrong and what was expected
   * @param cause the underlying failure
   */
  public PolicyParseException(String pointer, String problem, Throwable cause) {
    super(format(pointer, problem), cause);
    this.pointer = Objects.requireNonNull(pointer, "pointer");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** Returns the JSON Pointer of the offending element; {@code ""} means the whole document. */
  public String pointer() {
    return pointer;
  }

  /** Returns what was wrong and what was expected, without the location. */
  public String problem() {
    return problem;
  }

  private static String format(String pointer, String problem) {
    return "invalid key policy at [" + (pointer.isEmpty() ? "/" : pointer) + "]: " + problem;
  }
}

package dev.kmsposture.cli;

/**
 * The user gave input that a command cannot use: a missing or unreadable file, a malformed policy,
 * a value out of range. The command line prints the message, without a stack trace, and exits with
 * {@link ExitCode#BAD_INPUT}.
 *
 * <p>The message is the whole story for the user: say what was wrong, the offending value in
 * brackets, and what is accepted, for example {@code input file [policy.json] does not exist}.
 */
final class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, as a lower-case fragment that names the offending input
   */
  public BadInputException(String message) {
    super(message);
  }

  /**
   * Creates the exception, keeping the failure that revealed the bad input (shown with {@code
   * --debug}).
   *
   * @param message what was wrong, as a lower-case fragment that names the offending input
   * @param cause the underlying failure
   */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Returns the exception for a validation failure whose message already says what was wrong (a
   * builder's or parser's message, in the project's style); a failure without a message is
   * described by its type.
   *
   * @param cause the failure, shown with {@code --debug}
   */
  static BadInputException from(Exception cause) {
    String message = cause.getMessage();
    return new BadInputException(message != null ? message : cause.toString(), cause);
  }
}

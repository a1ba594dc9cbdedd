package dev.kmsposture.testkit.internal;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The message of a failed assertion on one statement, decision or finding: {@code Expecting
 * <subject>:}, the value, {@code to <expectation>} and {@code but <what it is>}.
 */
public final class ShouldMatch extends BasicErrorMessageFactory {
  private ShouldMatch(String subject, String value, String expectation, String actual) {
    super(
        "%nExpecting %s:%n  %s%nto %s%nbut %s",
        unquotedString(subject),
        unquotedString(value),
        unquotedString(expectation),
        unquotedString(actual));
  }

  /**
   * The message when {@code value} (a rendered {@code subject}: statement, decision, finding) does
   * not meet {@code expectation}.
   */
  public static ErrorMessageFactory shouldMatch(
      String subject, String value, String expectation, String actual) {
    return new ShouldMatch(subject, value, expectation, actual);
  }
}

package dev.kmsposture.access;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why an {@link AccessAnalysis} verdict came out as it did: the statement it rests on (index, Sid
 * and JSON Pointer), what it says as a value ({@link ReasonCode}), and one sentence rendered for
 * people. Code decides on the {@code code}; the {@code message} is for reading only.
 *
 * @param statementIndex the zero-based index of the statement in the policy
 * @param sid the statement's Sid, or null when it has none
 * @param pointer the JSON Pointer of the statement, such as {@code /Statement/2}
 * @param code what the reason says
 * @param message one sentence that says what the statement does and why it matters
 */
public record StatementReason(
    int statementIndex, @Nullable String sid, String pointer, ReasonCode code, String message) {

  /** Validates the parts. */
  public StatementReason {
    if (statementIndex < 0) {
      throw new IllegalArgumentException(
          String.format("statement index [%d] is negative; expected 0 or more", statementIndex));
    }
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** Returns the statement's Sid, when it has one. */
  public Optional<String> sidIfPresent() {
    return Optional.ofNullable(sid);
  }

  /** Returns a short name of the statement: {@code /Statement/2 (Sid "Admins")}. */
  public String statementName() {
    return sid == null ? pointer : pointer + " (Sid \"" + sid + "\")";
  }

  /** Returns the statement name and the message, such as {@code /Statement/2 (Sid "X"): …}. */
  @Override
  public String toString() {
    return statementName() + ": " + message;
  }
}

package dev.kmsposture.access;

import dev.kmsposture.policy.StatementPlace;
import java.util.Objects;

/**
 * Why an {@link AccessAnalysis} verdict came out as it did: the statement it rests on (its {@link
 * StatementPlace}), what it says as a value ({@link ReasonCode}), and one sentence rendered for
 * people. Code decides on the {@code code}; the {@code message} is for reading only.
 *
 * @param place the statement's place in the key policy, such as {@code /Statement/2}
 * @param code what the reason says
 * @param message one sentence that says what the statement does and why it matters
 */
public record StatementReason(StatementPlace place, ReasonCode code, String message) {

  /** Validates the parts. */
  public StatementReason {
    Objects.requireNonNull(place, "place");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** Returns the same reason with another code and message, about the same statement. */
  StatementReason with(ReasonCode otherCode, String otherMessage) {
    return new StatementReason(place, otherCode, otherMessage);
  }

  /** Returns the statement name and the message, such as {@code /Statement/2 (Sid "X"): …}. */
  @Override
  public String toString() {
    return place.name() + ": " + message;
  }
}

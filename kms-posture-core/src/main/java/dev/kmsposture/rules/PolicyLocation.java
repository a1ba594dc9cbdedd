package dev.kmsposture.rules;

import dev.kmsposture.policy.StatementPlace;
import java.util.Objects;

/**
 * Where in a key policy a finding points: the statement's place (index, Sid and a JSON Pointer) and
 * a fingerprint of the statement that survives reordering.
 *
 * @param place the statement's place; its pointer may name an element inside the statement, such as
 *     {@code /Statement/1/Principal}
 * @param statementFingerprint the Sid, or a hash of the statement's canonical JSON when it has
 *     none: stable when statements are reordered or reformatted
 */
public record PolicyLocation(StatementPlace place, String statementFingerprint) {
  /** Checks the parts. */
  public PolicyLocation {
    Objects.requireNonNull(place, "place");
    Objects.requireNonNull(statementFingerprint, "statementFingerprint");
  }

  /** Returns the place as people read it: {@code statement #1 [Sid] (/Statement/1)}. */
  @Override
  public String toString() {
    return place.toString();
  }
}

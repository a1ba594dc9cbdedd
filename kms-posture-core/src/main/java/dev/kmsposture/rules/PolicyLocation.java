package dev.kmsposture.rules;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where in a key policy a finding points: the statement's index and Sid, and a JSON Pointer.
 *
 * @param statementIndex the statement's index in the policy
 * @param sid the statement's Sid, or null
 * @param pointer the JSON Pointer, such as {@code /Statement/1/Principal}
 * @param statementFingerprint the Sid, or a hash of the statement's canonical JSON when it has
 *     none: stable when statements are reordered or reformatted
 */
public record PolicyLocation(
    int statementIndex, @Nullable String sid, String pointer, String statementFingerprint) {
  /** Checks the parts. */
  public PolicyLocation {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(statementFingerprint, "statementFingerprint");
    if (statementIndex < 0) {
      throw new IllegalArgumentException("statement index must not be negative: " + statementIndex);
    }
  }

  @Override
  public String toString() {
    return "statement #"
        + statementIndex
        + (sid == null ? "" : " [" + sid + "]")
        + " ("
        + pointer
        + ")";
  }
}

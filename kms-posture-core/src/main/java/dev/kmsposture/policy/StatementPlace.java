package dev.kmsposture.policy;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A statement's place in a policy: its zero-based index, its Sid and a JSON Pointer to it or to an
 * element inside it. Every type that points at a statement holds one: the access model's statement
 * references and reasons, and a finding's location.
 *
 * <p>Immutable and thread-safe.
 *
 * @param index the statement's zero-based index in its policy's {@code Statement} list
 * @param sid the statement's Sid, or null when it has none
 * @param pointer the JSON Pointer of the statement, such as {@code /Statement/2}, or of an element
 *     inside it, such as {@code /Statement/2/Principal}
 */
public record StatementPlace(int index, @Nullable String sid, String pointer) {

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public StatementPlace {
    Objects.requireNonNull(pointer, "pointer");
    if (index < 0) {
      throw new IllegalArgumentException(
          String.format("statement index [%d] is negative; expected 0 or more", index));
    }
  }

  /**
   * Returns the place of statement {@code index} of {@code policy}, with its Sid and its pointer.
   *
   * @throws IndexOutOfBoundsException if the policy has no statement {@code index}
   */
  public static StatementPlace of(KeyPolicy policy, int index) {
    return new StatementPlace(index, policy.statements().get(index).sid(), policy.pointerOf(index));
  }

  /** Returns the statement's Sid, when it has one. */
  public Optional<String> sidIfPresent() {
    return Optional.ofNullable(sid);
  }

  /** Returns the same statement with another pointer, such as one to an element inside it. */
  public StatementPlace at(String otherPointer) {
    return new StatementPlace(index, sid, otherPointer);
  }

  /** Returns a short name of the place: {@code /Statement/2 (Sid "Admins")}. */
  public String name() {
    return sid == null ? pointer : pointer + " (Sid \"" + sid + "\")";
  }

  /** Returns the place as people read it: {@code statement #2 [Admins] (/Statement/2)}. */
  @Override
  public String toString() {
    return "statement #" + index + (sid == null ? "" : " [" + sid + "]") + " (" + pointer + ")";
  }
}

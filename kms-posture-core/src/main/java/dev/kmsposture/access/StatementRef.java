package dev.kmsposture.access;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A reference to one statement that took part in a {@link Decision}: which policy or grant it comes
 * from, its position, its Sid and its JSON Pointer.
 *
 * @param kind what kind of document the statement comes from: {@link AccessSource#KEY_POLICY} for
 *     the key policy, {@link AccessSource#IAM_DELEGATION} for an identity policy (which counts only
 *     through the key policy's delegation to IAM), {@link AccessSource#GRANT} for a grant
 * @param source the document as people read it: {@code key policy}, {@code identity policy NAME} or
 *     {@code grant GRANT_ID}
 * @param index the statement's index in its policy, or -1 for a grant
 * @param sid the statement's Sid, or null when it has none (and for a grant)
 * @param pointer the statement's JSON Pointer in its policy document ({@code /Statement/1}), or
 *     empty for a grant
 */
public record StatementRef(
    AccessSource kind, String source, int index, @Nullable String sid, String pointer) {

  /** Validates the parts. */
  public StatementRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pointer, "pointer");
    if (index < -1) {
      throw new IllegalArgumentException(
          String.format("statement index [%d] is negative; expected -1 or more", index));
    }
  }

  /**
   * Returns the reference as people read it, such as {@code key policy statement #1 [AllowUse]
   * (/Statement/1)} or {@code grant 0123abcd}.
   */
  public String describe() {
    if (index < 0) {
      return source;
    }
    return source
        + " statement #"
        + index
        + (sid == null || sid.isEmpty() ? "" : " [" + sid + "]")
        + " ("
        + pointer
        + ")";
  }
}

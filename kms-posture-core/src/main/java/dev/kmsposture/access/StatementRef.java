package dev.kmsposture.access;

import dev.kmsposture.policy.StatementPlace;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A reference to one statement that took part in a {@link Decision}: which policy or grant it comes
 * from and the statement's place in it.
 *
 * @param kind what kind of document the statement comes from: {@link AccessSource#KEY_POLICY} for
 *     the key policy, {@link AccessSource#IAM_DELEGATION} for an identity policy (which counts only
 *     through the key policy's delegation to IAM), {@link AccessSource#GRANT} for a grant
 * @param source the document as people read it: {@code key policy}, {@code identity policy NAME} or
 *     {@code grant GRANT_ID}
 * @param place the statement's place (index, Sid and JSON Pointer) in its policy document, or null
 *     for a grant, which has no statements
 */
public record StatementRef(AccessSource kind, String source, @Nullable StatementPlace place) {

  /** Validates the parts. */
  public StatementRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
  }

  /**
   * Returns the statement's index in the key policy when this reference is to one of the key
   * policy's statements, and empty for an identity policy's statement or a grant.
   */
  public OptionalInt keyPolicyIndex() {
    StatementPlace p = place;
    return kind == AccessSource.KEY_POLICY && p != null
        ? OptionalInt.of(p.index())
        : OptionalInt.empty();
  }

  /**
   * Returns the reference as people read it, such as {@code key policy statement #1 [AllowUse]
   * (/Statement/1)} or {@code grant 0123abcd}.
   */
  public String describe() {
    StatementPlace p = place;
    if (p == null) {
      return source;
    }
    String sid = p.sid();
    return source
        + " statement #"
        + p.index()
        + (sid == null || sid.isEmpty() ? "" : " [" + sid + "]")
        + " ("
        + p.pointer()
        + ")";
  }
}

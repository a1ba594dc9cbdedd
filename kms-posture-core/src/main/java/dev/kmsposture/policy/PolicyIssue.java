package dev.kmsposture.policy;

import java.util.Objects;

/**
 * Something a key policy says that KMS accepts but that is wrong or risky, found by {@link
 * KeyPolicy#validate()}. Each issue has a kind, the JSON Pointer of the element it is about, and a
 * message that says what is wrong and what to do.
 *
 * @param kind what kind of issue
 * @param pointer the JSON Pointer of the element, such as {@code /Statement/1/Condition}
 * @param message the explanation, a lower-case fragment naming the offending value
 */
public record PolicyIssue(Kind kind, String pointer, String message) {

  /** How much an issue matters, in the words of the KMS security checklist. */
  public enum Level {
    /** Must be fixed: the policy grants or denies something other than it appears to. */
    CRITICAL,
    /** Should be fixed. */
    RECOMMENDED,
    /** Worth knowing. */
    OPTIONAL
  }

  /** The kinds of issue validation reports. */
  public enum Kind {
    /** The document has no {@code Version}: policy variables are literal text (2008 rules). */
    MISSING_VERSION(Level.RECOMMENDED),
    /** {@code Version} is {@code 2008-10-17}: policy variables are literal text. */
    LEGACY_VERSION(Level.RECOMMENDED),
    /**
     * A statement has no {@code Action}/{@code NotAction}: KMS accepts it, but it has no effect.
     */
    MISSING_ACTION(Level.RECOMMENDED),
    /**
     * A statement has no {@code Resource}/{@code NotResource}: KMS accepts it, but it has no
     * effect.
     */
    MISSING_RESOURCE(Level.RECOMMENDED),
    /** An {@code Action} array is empty: the statement matches no action. */
    EMPTY_ACTION(Level.RECOMMENDED),
    /** A {@code Resource} array is empty: the statement matches no resource. */
    EMPTY_RESOURCE(Level.RECOMMENDED),
    /**
     * A condition has an empty value list: it never matches (except under IfExists/ForAllValues).
     */
    EMPTY_CONDITION_VALUES(Level.CRITICAL),
    /** {@code "Condition": {}} or an empty operator block: it restricts nothing. */
    EMPTY_CONDITION_BLOCK(Level.OPTIONAL),
    /** A {@code Federated} or {@code CanonicalUser} principal: not valid in a key policy. */
    INVALID_PRINCIPAL_TYPE(Level.RECOMMENDED),
    /** A principal with a wildcard that is not the whole value: IAM accepts only {@code *}. */
    PARTIAL_WILDCARD_PRINCIPAL(Level.CRITICAL),
    /** A principal value IAM does not recognise as a principal. */
    UNRECOGNIZED_PRINCIPAL(Level.RECOMMENDED),
    /** An IAM unique id: the named principal was deleted, so the statement names nobody. */
    ORPHANED_PRINCIPAL(Level.RECOMMENDED),
    /**
     * {@code Allow} with {@code NotPrincipal}: not supported by AWS; it would allow nearly
     * everyone.
     */
    ALLOW_WITH_NOT_PRINCIPAL(Level.CRITICAL),
    /** Two statements share a Sid. */
    DUPLICATE_SID(Level.RECOMMENDED),
    /** A condition operator IAM does not know. */
    UNKNOWN_CONDITION_OPERATOR(Level.CRITICAL),
    /**
     * A condition value its operator cannot read, so it never matches: an IP address or CIDR block
     * that is not one ({@code 999.1.1.1/33}), a date that is not ISO 8601 or epoch seconds, a
     * number that is not a number ({@code thirty}, {@code NaN}), a boolean other than true or
     * false, base64 that does not decode. An Allow then grants less and a Deny protects less than
     * it reads.
     */
    INVALID_CONDITION_VALUE(Level.CRITICAL),
    /**
     * A policy variable that is not closed (<code>${aws:username</code>) or names no key: IAM reads
     * it as literal text, so the value matches only itself.
     */
    MALFORMED_POLICY_VARIABLE(Level.CRITICAL),
    /** A {@code kms:} action that is not in the KMS catalog (a typo never matches). */
    UNKNOWN_ACTION(Level.RECOMMENDED),
    /** An action of another service: a key policy only governs KMS actions on this key. */
    NON_KMS_ACTION(Level.OPTIONAL),
    /**
     * An action a key policy cannot authorize (e.g. {@code kms:CreateKey}, {@code
     * kms:ListAliases}).
     */
    ACTION_NOT_AUTHORIZABLE_BY_KEY_POLICY(Level.OPTIONAL),
    /** A statement that can never match anything. */
    STATEMENT_NEVER_MATCHES(Level.RECOMMENDED),
    /**
     * A {@code Resource} other than {@code *} or this key's ARN: in a key policy it never matches.
     */
    RESOURCE_NOT_THIS_KEY(Level.RECOMMENDED);

    private final Level level;

    Kind(Level level) {
      this.level = level;
    }

    /** Returns how much this kind of issue matters. */
    public Level level() {
      return level;
    }
  }

  /** Checks that no part is null. */
  public PolicyIssue {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }

  /** Returns the level of this issue's kind. */
  public Level level() {
    return kind.level();
  }

  @Override
  public String toString() {
    return level() + " " + kind + " at " + (pointer.isEmpty() ? "/" : pointer) + ": " + message;
  }
}

package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who a key-policy Allow gives access to, as a value: what kind of principal (or class of
 * principals) it is, the principal as written, its account when it names one, and where the access
 * comes from. {@link #label()} renders it for people ({@code account 111122223333 (via IAM)},
 * {@code anyone matching …}); code decides on the other components.
 *
 * @param kind what kind of principal the statement names
 * @param value the principal as written in the policy ({@code *}, an ARN, an account id, a service
 *     name, the listed principals of a {@code NotPrincipal})
 * @param account the account the principal names or belongs to, or null when it names none (a
 *     wildcard, a service, an unrecognized value)
 * @param source {@link AccessSource#IAM_DELEGATION} for an account principal (its IAM policies
 *     decide), {@link AccessSource#KEY_POLICY} otherwise
 * @param label the grantee as people read it, as listed in {@link AccessEntry#principal()}
 */
public record Grantee(
    Kind kind, String value, @Nullable AccountId account, AccessSource source, String label) {

  /** What kind of principal a statement names. */
  public enum Kind {
    /** Everyone ({@code "*"}, {@code {"AWS": "*"}}), possibly narrowed by conditions. */
    ANYONE,
    /** Everyone except the principals of a {@code NotPrincipal} (Allow with NotPrincipal). */
    ANYONE_EXCEPT,
    /** An account: its root ARN or bare id; the account's IAM policies decide. */
    ACCOUNT,
    /** A partial-wildcard pattern, such as {@code arn:aws:iam::*:root}, read broadly. */
    PATTERN,
    /** A user, role, role session or federated user, by ARN. */
    PRINCIPAL,
    /** An AWS service principal. */
    SERVICE,
    /** A unique id ({@code AROA…}) that IAM leaves when the named principal was deleted. */
    DELETED,
    /** A value IAM would not recognize as a principal. */
    UNRECOGNIZED,
    /** A federated or canonical-user principal, which key policies do not accept. */
    INVALID;

    /** Returns whether no caller can act as a grantee of this kind. */
    public boolean isNobody() {
      return this == DELETED || this == UNRECOGNIZED || this == INVALID;
    }
  }

  /** Checks the parts. */
  public Grantee {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(label, "label");
  }

  /** Returns the account the grantee names or belongs to, when it names one. */
  public Optional<AccountId> accountIfPresent() {
    return Optional.ofNullable(account);
  }

  /** Returns whether the grantee is the account {@code account} itself (through IAM). */
  public boolean isAccount(AccountId account) {
    return kind == Kind.ACCOUNT && account.equals(this.account);
  }

  /** Returns the label. */
  @Override
  public String toString() {
    return label;
  }
}

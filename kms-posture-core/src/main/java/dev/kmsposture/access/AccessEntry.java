package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Objects;

/**
 * One row of the "who can do what" table of an {@link AccessAnalysis}: a principal (or a class of
 * principals), the key actions the policy allows it, and the conditions that still restrict it.
 *
 * <p>Rows come from Allow statements. A Deny statement can take some of the access away again; the
 * table does not subtract it (see {@link AccessAnalysis#entries()}).
 *
 * @param grantee who, as a value; {@link #principal()} renders it
 * @param actions the KMS actions allowed, wildcards and {@code NotAction} expanded to the catalog
 *     actions a key policy can authorize, canonical spelling, sorted by name
 * @param conditions the statement's conditions, one human-readable line each, such as {@code
 *     StringEquals kms:CallerAccount ["111122223333"]}; empty when unconditional
 * @param statements the Allow statements this row comes from
 */
public record AccessEntry(
    Grantee grantee,
    List<KmsAction> actions,
    List<String> conditions,
    List<StatementReason> statements) {

  /** Copies the lists. */
  public AccessEntry {
    Objects.requireNonNull(grantee, "grantee");
    actions = List.copyOf(actions);
    conditions = List.copyOf(conditions);
    statements = List.copyOf(statements);
  }

  /**
   * Returns who, as people read it: a role, user or session ARN, a service principal, {@code
   * account 111122223333 (via IAM)}, {@code anyone}, {@code anyone except …}, or a pattern, deleted
   * or unrecognized principal, described as such ({@link Grantee#label()}).
   */
  public String principal() {
    return grantee.label();
  }

  /**
   * Returns whether the row names an account: the key policy then lets the account's IAM policies
   * decide which of its users and roles get the access ({@link AccessSource#IAM_DELEGATION}).
   */
  public boolean delegatedToIam() {
    return grantee.source() == AccessSource.IAM_DELEGATION;
  }

  /** Returns whether the access holds without any condition. */
  public boolean isUnconditional() {
    return conditions.isEmpty();
  }
}

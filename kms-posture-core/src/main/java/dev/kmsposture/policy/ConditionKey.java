package dev.kmsposture.policy;

import java.util.Locale;
import java.util.Objects;

/**
 * A condition key such as {@code kms:ViaService} or {@code aws:PrincipalOrgID}. An open value: any
 * key parses. Condition key names are case-insensitive in IAM; this record keeps the spelling as
 * written (so a policy round-trips) and compares meaning through {@link #normalized()}.
 *
 * @param name the key as written
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html">IAM
 *     JSON policy elements: Condition</a>
 */
public record ConditionKey(String name) implements Comparable<ConditionKey> {
  /** {@code kms:ViaService}: the AWS service that made the request on the caller's behalf. */
  public static final ConditionKey KMS_VIA_SERVICE = new ConditionKey("kms:ViaService");

  /** {@code kms:CallerAccount}: the account of the caller. */
  public static final ConditionKey KMS_CALLER_ACCOUNT = new ConditionKey("kms:CallerAccount");

  /** {@code kms:GrantIsForAWSResource}: true when an integrated AWS service creates the grant. */
  public static final ConditionKey KMS_GRANT_IS_FOR_AWS_RESOURCE =
      new ConditionKey("kms:GrantIsForAWSResource");

  /** {@code aws:PrincipalArn}: the ARN of the calling principal (for a session, its role). */
  public static final ConditionKey AWS_PRINCIPAL_ARN = new ConditionKey("aws:PrincipalArn");

  /** {@code aws:PrincipalAccount}: the account of the calling principal. */
  public static final ConditionKey AWS_PRINCIPAL_ACCOUNT = new ConditionKey("aws:PrincipalAccount");

  /** {@code aws:PrincipalOrgID}: the organization of the calling principal's account. */
  public static final ConditionKey AWS_PRINCIPAL_ORG_ID = new ConditionKey("aws:PrincipalOrgID");

  /** {@code aws:PrincipalOrgPaths}: the organization paths of the calling principal's account. */
  public static final ConditionKey AWS_PRINCIPAL_ORG_PATHS =
      new ConditionKey("aws:PrincipalOrgPaths");

  /** Validates the name. */
  public ConditionKey {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("condition key [] is empty; expected e.g. kms:ViaService");
    }
  }

  /** Returns the key named {@code name}. */
  public static ConditionKey of(String name) {
    return new ConditionKey(name);
  }

  /**
   * Returns the name in lower case: two keys mean the same when their normalized names are equal.
   */
  public String normalized() {
    return name.toLowerCase(Locale.ROOT);
  }

  /** Returns whether this key means the same as {@code other} (letter case ignored). */
  public boolean sameKeyAs(ConditionKey other) {
    return name.equalsIgnoreCase(other.name);
  }

  /** Returns whether this key means the same as the key named {@code otherName}. */
  public boolean sameKeyAs(String otherName) {
    return name.equalsIgnoreCase(otherName);
  }

  /** Orders keys by normalized name, then by spelling. */
  @Override
  public int compareTo(ConditionKey other) {
    int c = normalized().compareTo(other.normalized());
    return c != 0 ? c : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}

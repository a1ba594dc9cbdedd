package dev.kmsposture.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * The condition keys that narrow a wildcard principal ({@code "Principal": "*"}) to known callers:
 * a positive condition on one of them with fixed values lets in only callers that carry one of the
 * values, so the statement no longer reaches everyone. This is the one list the library keeps; the
 * access analysis, the public and cross-account verdicts and the policy builders read it.
 *
 * <p>Source: IAM User Guide, "AWS global condition context keys" ({@code aws:PrincipalAccount},
 * {@code aws:PrincipalArn}, {@code aws:PrincipalOrgID}, {@code aws:PrincipalOrgPaths}, {@code
 * aws:SourceAccount}, {@code aws:SourceArn}, {@code aws:SourceOrgID}, {@code aws:SourceOrgPaths},
 * {@code aws:SourceVpc}, {@code aws:SourceVpce}, {@code aws:SourceIp}: "properties of the
 * principal", "properties of the network", "properties of the resource a service acts for"), and
 * the KMS Developer Guide, "AWS KMS condition keys" ({@code kms:CallerAccount}: "the AWS account of
 * the caller"). Keys that do <em>not</em> narrow the caller, although they are often mistaken for
 * it: {@code kms:ViaService} (it names the service that calls for the principal, not the
 * principal's account; KMS Developer Guide, "kms:ViaService"), and the encryption context, which
 * the caller chooses.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html">AWS
 *     global condition context keys</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account">kms:CallerAccount</a>
 */
public enum NarrowingKey {
  /** {@code kms:CallerAccount}: the account of the caller. */
  KMS_CALLER_ACCOUNT("kms:CallerAccount", Scope.ACCOUNT, ValueKind.ACCOUNT_ID, "111122223333"),
  /** {@code aws:PrincipalAccount}: the account of the calling principal. */
  AWS_PRINCIPAL_ACCOUNT(
      "aws:PrincipalAccount", Scope.ACCOUNT, ValueKind.ACCOUNT_ID, "111122223333"),
  /** {@code aws:PrincipalArn}: the ARN of the calling principal (for a session, its role). */
  AWS_PRINCIPAL_ARN(
      "aws:PrincipalArn", Scope.ACCOUNT, ValueKind.ARN, "arn:aws:iam::111122223333:role/App"),
  /** {@code aws:PrincipalOrgID}: the organization of the calling principal's account. */
  AWS_PRINCIPAL_ORG_ID(
      "aws:PrincipalOrgID", Scope.ORGANIZATION, ValueKind.ORGANIZATION, "o-a1b2c3d4e5"),
  /**
   * {@code aws:PrincipalOrgPaths}: the organization paths of the calling principal's account
   * (multivalued).
   */
  AWS_PRINCIPAL_ORG_PATHS(
      "aws:PrincipalOrgPaths",
      Scope.ORGANIZATION,
      ValueKind.ORGANIZATION_PATH,
      "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"),
  /** {@code aws:SourceAccount}: the account of the resource an AWS service acts for. */
  AWS_SOURCE_ACCOUNT("aws:SourceAccount", Scope.ACCOUNT, ValueKind.ACCOUNT_ID, "111122223333"),
  /** {@code aws:SourceArn}: the ARN of the resource an AWS service acts for. */
  AWS_SOURCE_ARN(
      "aws:SourceArn",
      Scope.ACCOUNT,
      ValueKind.ARN,
      "arn:aws:cloudtrail:us-east-1:111122223333:trail/management"),
  /**
   * {@code aws:SourceOrgID}: the organization of the account that owns the resource an AWS service
   * acts for.
   */
  AWS_SOURCE_ORG_ID("aws:SourceOrgID", Scope.ORGANIZATION, ValueKind.ORGANIZATION, "o-a1b2c3d4e5"),
  /**
   * {@code aws:SourceOrgPaths}: the organization paths of the account that owns the resource an AWS
   * service acts for (multivalued).
   */
  AWS_SOURCE_ORG_PATHS(
      "aws:SourceOrgPaths",
      Scope.ORGANIZATION,
      ValueKind.ORGANIZATION_PATH,
      "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"),
  /** {@code aws:SourceVpce}: the VPC endpoint the request came through. */
  AWS_SOURCE_VPCE("aws:SourceVpce", Scope.NETWORK, ValueKind.TEXT, "vpce-1a2b3c4d"),
  /** {@code aws:SourceVpc}: the VPC the request came from. */
  AWS_SOURCE_VPC("aws:SourceVpc", Scope.NETWORK, ValueKind.TEXT, "vpc-1a2b3c4d"),
  /**
   * {@code aws:SourceIp}: the caller's public IP address; it narrows only with ranges no broader
   * than /8 (IPv4) or /32 (IPv6), which name a known network.
   */
  AWS_SOURCE_IP("aws:SourceIp", Scope.NETWORK, ValueKind.IP_RANGE, "203.0.113.0/24");

  /** What a key narrows the caller to. */
  public enum Scope {
    /** Known accounts or principals (the key's values name them). */
    ACCOUNT,
    /** An organization, or a part of one. */
    ORGANIZATION,
    /** A network origin: which accounts call from it is not known. */
    NETWORK
  }

  /** What the key's values are. */
  public enum ValueKind {
    /** A 12-digit account id. */
    ACCOUNT_ID,
    /** An ARN, whose fifth part is an account id. */
    ARN,
    /** An organization id ({@code o-…}). */
    ORGANIZATION,
    /** An organization path ({@code o-…/r-…/ou-…/}). */
    ORGANIZATION_PATH,
    /** An IP address or CIDR range. */
    IP_RANGE,
    /** Any other identifier. */
    TEXT
  }

  // ConditionKey is an immutable record of strings.
  @SuppressWarnings("ImmutableEnumChecker")
  private final ConditionKey key;

  // The key's normalized name, made once: of(String) compares every key's with the name asked.
  private final String lower;
  private final Scope scope;
  private final ValueKind valueKind;
  private final String example;

  NarrowingKey(String name, Scope scope, ValueKind valueKind, String example) {
    this.key = ConditionKey.of(name);
    this.lower = key.normalized();
    this.scope = scope;
    this.valueKind = valueKind;
    this.example = example;
  }

  /** Returns the condition key, as AWS spells it. */
  public ConditionKey key() {
    return key;
  }

  /** Returns what the key narrows the caller to. */
  public Scope scope() {
    return scope;
  }

  /** Returns what the key's values are. */
  public ValueKind valueKind() {
    return valueKind;
  }

  /** Returns whether the key narrows to accounts or an organization (not only a network). */
  public boolean narrowsToAccounts() {
    return scope != Scope.NETWORK;
  }

  /** Returns an example value, as the documentation and the tests use it. */
  public String example() {
    return example;
  }

  private static final NarrowingKey[] VALUES = values();

  /** Returns the narrowing key named {@code name} (letter case ignored), if it is one. */
  public static Optional<NarrowingKey> of(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (NarrowingKey k : VALUES) {
      if (k.lower.equals(lower)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** Returns the narrowing key that {@code key} is, if it is one. */
  public static Optional<NarrowingKey> of(ConditionKey key) {
    return of(key.name());
  }
}

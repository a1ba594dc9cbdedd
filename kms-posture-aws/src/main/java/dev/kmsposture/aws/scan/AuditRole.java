package dev.kmsposture.aws.scan;

import dev.kmsposture.policy.AccountId;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The read-only audit role the organization scan assumes in each account other than its own: named,
 * or given as an ARN pattern with a path, and optionally guarded by an external id.
 *
 * <pre>{@code
 * AuditRole.named("KmsPostureAudit");
 * AuditRole.arnPattern("arn:aws:iam::{account}:role/security/KmsPostureAudit")
 *     .withExternalId("posture-2026");
 * }</pre>
 *
 * <p>There is no default. {@code OrganizationAccountAccessRole} has administrator rights and exists
 * only in accounts created through Organizations; a scan needs a dedicated role that can only read
 * (for KMS: {@code kms:List*}, {@code kms:Describe*}, {@code kms:GetKeyPolicy}, {@code
 * kms:GetKeyRotationStatus}, {@code kms:GetKeyLastUsage}; for CloudTrail: {@code
 * cloudtrail:DescribeTrails}, {@code cloudtrail:GetTrailStatus}, {@code
 * cloudtrail:GetEventSelectors}, {@code cloudtrail:ListEventDataStores}, {@code
 * cloudtrail:GetEventDataStore}, {@code cloudtrail:LookupEvents}), named by the user.
 */
public final class AuditRole {
  /** IAM role names: 1 to 64 of letters, digits and {@code +=,.@_-}. */
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

  private static final Pattern PATTERN =
      Pattern.compile(
          "arn:(aws|aws-cn|aws-us-gov|\\{partition\\}):iam::\\{account\\}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");

  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  private final String pattern;
  private final @Nullable String externalId;

  private AuditRole(String pattern, @Nullable String externalId) {
    this.pattern = pattern;
    this.externalId = externalId;
  }

  /**
   * The role named {@code name}, without a path: {@code arn:PARTITION:iam::ACCOUNT:role/NAME}.
   *
   * @throws IllegalArgumentException if {@code name} is not an IAM role name
   */
  public static AuditRole named(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "role name [%s] is not an IAM role name; expected 1 to 64 letters, digits or +=,.@_-"
                  + " (give a role with a path as an ARN pattern)",
              name));
    }
    return new AuditRole("arn:{partition}:iam::{account}:role/" + name, null);
  }

  /**
   * The role at {@code pattern}, an IAM role ARN with {@code {account}} where the account id goes
   * (and optionally {@code {partition}}), such as {@code
   * arn:aws:iam::{account}:role/security/KmsPostureAudit}.
   *
   * @throws IllegalArgumentException if {@code pattern} is not such an ARN
   */
  public static AuditRole arnPattern(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    if (!PATTERN.matcher(pattern).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "role ARN pattern [%s] is not an IAM role ARN with {account} for the account id;"
                  + " expected arn:aws:iam::{account}:role/path/NAME",
              pattern));
    }
    return new AuditRole(pattern, null);
  }

  /**
   * Returns this role assumed with {@code externalId} ({@code sts:ExternalId}, 2 to 1,224
   * characters), as the role's trust policy requires.
   *
   * @throws IllegalArgumentException if {@code externalId} is not a valid external id
   */
  public AuditRole withExternalId(String externalId) {
    Objects.requireNonNull(externalId, "externalId");
    if (!EXTERNAL_ID.matcher(externalId).matches()) {
      throw new IllegalArgumentException(
          "external id is not 2 to 1,224 letters, digits or +=,.@:/_-");
    }
    return new AuditRole(pattern, externalId);
  }

  /** The role's ARN in {@code account} of {@code partition}. */
  public String roleArn(AccountId account, String partition) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(partition, "partition");
    return pattern.replace("{account}", account.value()).replace("{partition}", partition);
  }

  /** The external id, if one is required. */
  public Optional<String> externalId() {
    return Optional.ofNullable(externalId);
  }

  /** The pattern, with {@code {account}} (and possibly {@code {partition}}). */
  public String pattern() {
    return pattern;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditRole that
        && pattern.equals(that.pattern)
        && Objects.equals(externalId, that.externalId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern, externalId);
  }

  @Override
  public String toString() {
    // the external id is a shared secret of sorts: never printed
    return "AuditRole[" + pattern + (externalId == null ? "" : ", with external id") + "]";
  }
}

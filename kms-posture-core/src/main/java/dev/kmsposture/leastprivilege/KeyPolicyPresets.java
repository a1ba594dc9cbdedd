package dev.kmsposture.leastprivilege;

import dev.kmsposture.policy.AccountId;
import java.util.List;
import java.util.Objects;

/**
 * Documented starting points for key policies, built with {@link KeyPolicyBuilder}.
 *
 * <ul>
 *   <li>{@link #productionData productionData(...)}: the reference shape of a production data key
 *       from the KMS checklist — named roles with specific actions, use restricted with {@code
 *       kms:ViaService}, a separate security-admin statement, no root {@code kms:*};
 *   <li>{@link #awsDefault(AccountId)}: the AWS default key policy, for comparison.
 * </ul>
 */
public final class KeyPolicyPresets {
  private KeyPolicyPresets() {}

  /**
   * Returns the reference shape of a production data key (KMS checklist, "Reference Architectures:
   * Production data CMK"), statement by statement:
   *
   * <ol>
   *   <li>{@code BreakGlassRoot}: the account root restricted with {@code ArnEquals
   *       aws:PrincipalArn} to the security admin role, for the administration actions only — see
   *       below;
   *   <li>{@code KeyAdministrators}: the security admin role, full administration, no use;
   *   <li>{@code KeyUsersVia<Service>}: the application role and the backup role, the symmetric
   *       encryption actions, only through {@code services} in {@code regions} ({@code
   *       kms:ViaService}) and only from this account ({@code kms:CallerAccount});
   *   <li>{@code GrantsForAwsResources}: the application and backup roles may create, list and
   *       revoke grants only for AWS resources ({@code kms:GrantIsForAWSResource}), which EBS, RDS,
   *       AWS Backup and other integrated services need;
   *   <li>{@code AuditorsReadOnly}: the audit role, the explicit read-only list including {@code
   *       GetKeyRotationStatus} (the checklist requires the audit role to read rotation status).
   * </ol>
   *
   * <p>Break-glass: {@link BreakGlass#rootRestrictedTo(String) root restricted to the security
   * admin role}, not {@link BreakGlass#none()}. A role named as a principal is stored by its unique
   * id, so if the security admin role is deleted and re-created the {@code KeyAdministrators}
   * statement no longer matches it and, with no break-glass, the key could only be recovered
   * through AWS Support; the {@code aws:PrincipalArn} condition compares the ARN as text and keeps
   * matching the re-created role. The statement carries the administration actions only, so there
   * is still no root {@code kms:*} and no use by the administrator.
   *
   * @param account the key's account
   * @param applicationRole the application role ARN, which uses the key through {@code services}
   * @param services the AWS services that legitimately use the key
   * @param regions the Regions of those services
   * @param backupRole the backup role ARN, which uses the key through the same services
   * @param auditRole the audit role ARN (read-only)
   * @param securityAdminRole the security team's role ARN (administration)
   * @throws IllegalArgumentException if an ARN is not a role or user, or a list is empty
   * @throws IllegalStateException if a role is in another account
   * @throws InsecurePolicyException if two roles coincide so that an administrator could use the
   *     key
   */
  public static BuiltKeyPolicy productionData(
      AccountId account,
      String applicationRole,
      List<AwsService> services,
      List<String> regions,
      String backupRole,
      String auditRole,
      String securityAdminRole) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(applicationRole, "applicationRole");
    Objects.requireNonNull(backupRole, "backupRole");
    Objects.requireNonNull(auditRole, "auditRole");
    Objects.requireNonNull(securityAdminRole, "securityAdminRole");
    return KeyPolicyBuilder.forAccount(account)
        .breakGlass(BreakGlass.rootRestrictedTo(securityAdminRole))
        .administrators(securityAdminRole)
        .addServiceUsers(List.of(applicationRole, backupRole), services, regions)
        .grantUsers(applicationRole, backupRole)
        .auditors(auditRole)
        .build();
  }

  /**
   * Returns the AWS default key policy — the policy KMS gives a key created without one: {@code Id
   * key-default-1} and one statement, {@code Enable IAM User Permissions}, that gives {@code kms:*}
   * to the account root and so delegates the key to every IAM policy in the account. It carries
   * exactly one {@link BuilderFinding.Code#ROOT_DELEGATION} finding. Use it for comparison, not for
   * production keys.
   *
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html">Default
   *     key policy</a>
   */
  public static BuiltKeyPolicy awsDefault(AccountId account) {
    Objects.requireNonNull(account, "account");
    return KeyPolicyBuilder.forAccount(account)
        .policyId("key-default-1")
        .breakGlass(BreakGlass.awsDefault())
        .build();
  }
}

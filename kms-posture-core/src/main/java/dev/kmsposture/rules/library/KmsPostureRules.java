package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Rule;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalogue of built-in rules: one constant per rule, {@link #all()} for every rule, {@link
 * #blocking()} for the critical ones, and {@link #byId(RuleId)} to look a rule up by id or former
 * id.
 *
 * <pre>{@code
 * PostureReport report = PostureEngine.builder()
 *     .ruleSet(KmsPostureRules.all())
 *     .build()
 *     .check(snapshot);
 * }</pre>
 */
public final class KmsPostureRules {
  private KmsPostureRules() {}

  /** Flags "Rotation is disabled on the CMK named prod-customer-pii" (critical). */
  public static final RotationDisabled ROTATION_DISABLED = new RotationDisabled();

  /** Flags a rotation period above {@code maxRotationPeriodDays}, or a stalled rotation. */
  public static final RotationPeriodTooLong ROTATION_PERIOD_TOO_LONG = new RotationPeriodTooLong();

  /**
   * Flags asymmetric, HMAC, imported or custom-key-store keys whose material is older than {@code
   * keyMaterialMaxAgeDays}.
   */
  public static final KeyMaterialTooOld KEY_MATERIAL_TOO_OLD = new KeyMaterialTooOld();

  /** Flags "The CMK arn:… has no alias", or only aliases such as {@code alias/key1} (critical). */
  public static final AliasMissingOrMeaningless ALIAS_MISSING_OR_MEANINGLESS =
      new AliasMissingOrMeaningless();

  /** Flags aliases that point at a disabled, pending-deletion or pending-import key. */
  public static final AliasPointsAtUnusableKey ALIAS_POINTS_AT_UNUSABLE_KEY =
      new AliasPointsAtUnusableKey();

  /** Flags a key with an empty or generic ("test", "key") description (critical). */
  public static final DescriptionMissing DESCRIPTION_MISSING = new DescriptionMissing();

  /** Flags "The CMK named … is missing required tags Owner, DataClassification". */
  public static final RequiredTagsMissing REQUIRED_TAGS_MISSING = new RequiredTagsMissing();

  /** Flags a multi-Region key without a justification tag, or outside the allowed Regions. */
  public static final MultiRegionKeyUnjustified MULTI_REGION_KEY_UNJUSTIFIED =
      new MultiRegionKeyUnjustified();

  /** Flags a replica whose policy, aliases, tags or state differ from its primary's. */
  public static final MultiRegionReplicaInconsistent MULTI_REGION_REPLICA_INCONSISTENT =
      new MultiRegionReplicaInconsistent();

  /** Flags a key pending deletion, with the days left (critical). */
  public static final KeyPendingDeletion KEY_PENDING_DELETION = new KeyPendingDeletion();

  /** Flags a deletion scheduled with a waiting period under {@code minDeletionWindowDays}. */
  public static final DeletionWindowTooShort DELETION_WINDOW_TOO_SHORT =
      new DeletionWindowTooShort();

  /** Flags a deletion scheduled without the key being disabled and unused for a business cycle. */
  public static final DeletionScheduledWithoutDisabling DELETION_SCHEDULED_WITHOUT_DISABLING =
      new DeletionScheduledWithoutDisabling();

  /**
   * Flags a key policy without a {@code kms:ScheduleKeyDeletionPendingWindowInDays} guard
   * (optional).
   */
  public static final MinimumDeletionWindowNotEnforced MINIMUM_DELETION_WINDOW_NOT_ENFORCED =
      new MinimumDeletionWindowNotEnforced();

  /** Reports a disabled, pending-import or unavailable key (optional). */
  public static final KeyDisabled KEY_DISABLED = new KeyDisabled();

  /** Flags an enabled key unused for {@code unusedDays}, or never used (optional). */
  public static final KeyUnused KEY_UNUSED = new KeyUnused();

  /** Flags "a CMK that nobody can explain": no alias, no owner tag, no recorded use (critical). */
  public static final UnexplainedKey UNEXPLAINED_KEY = new UnexplainedKey();

  /** Flags imported key material that expires within {@code importExpiryWarningDays}. */
  public static final ImportedKeyMaterialExpiring IMPORTED_KEY_MATERIAL_EXPIRING =
      new ImportedKeyMaterialExpiring();

  /** Flags resources encrypted with an {@code aws/<service>} key. */
  public static final AwsManagedKeyForSensitiveData AWS_MANAGED_KEY_FOR_SENSITIVE_DATA =
      new AwsManagedKeyForSensitiveData();

  /** Flags resources encrypted with a disabled or pending-deletion key (critical). */
  public static final ResourceKeyUnusable RESOURCE_KEY_UNUSABLE = new ResourceKeyUnusable();

  /** Flags a key whose kms:ViaService conditions refuse a service whose resources use it. */
  public static final ResourceServiceRefusedByViaService RESOURCE_SERVICE_REFUSED_BY_VIA_SERVICE =
      new ResourceServiceRefusedByViaService();

  /** Flags an account where no multi-Region trail logs KMS calls including crypto operations. */
  public static final KmsEventsNotLogged KMS_EVENTS_NOT_LOGGED = new KmsEventsNotLogged();

  /** Flags a key policy that lets anyone use or manage the key (critical). */
  public static final KeyPolicyPublic KEY_POLICY_PUBLIC = new KeyPolicyPublic();

  /** Flags key-policy access for accounts outside trustedAccounts / trustedOrganizations. */
  public static final CrossAccountAccessUntrusted CROSS_ACCOUNT_ACCESS_UNTRUSTED =
      new CrossAccountAccessUntrusted();

  /** Flags the unrestricted root kms:* statement kept on a production key (break-glass advice). */
  public static final RootDelegationOnProductionKey ROOT_DELEGATION_ON_PRODUCTION_KEY =
      new RootDelegationOnProductionKey();

  /** Flags principals that can both administer and use the key. */
  public static final KeyAdministratorsCanUseKey KEY_ADMINISTRATORS_CAN_USE_KEY =
      new KeyAdministratorsCanUseKey();

  /** Flags kms:CreateGrant allowed without kms:GrantIsForAWSResource. */
  public static final CreateGrantWithoutAwsResourceCondition
      CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION = new CreateGrantWithoutAwsResourceCondition();

  /** Flags direct use of a key meant for an AWS service (no kms:ViaService). */
  public static final UsageWithoutViaService USAGE_WITHOUT_VIA_SERVICE =
      new UsageWithoutViaService();

  /** Flags a key policy nobody can change any more (critical). */
  public static final KeyPolicyLockoutRisk KEY_POLICY_LOCKOUT_RISK = new KeyPolicyLockoutRisk();

  /** Flags an audit role that cannot read rotation status, policy and metadata (critical). */
  public static final AuditRoleCannotReadKey AUDIT_ROLE_CANNOT_READ_KEY =
      new AuditRoleCannotReadKey();

  /** Flags grants to principals in untrusted accounts, or to deleted principals. */
  public static final GrantToUntrustedPrincipal GRANT_TO_UNTRUSTED_PRINCIPAL =
      new GrantToUntrustedPrincipal();

  /** Flags grants that allow re-delegation or lack an encryption-context constraint. */
  public static final GrantTooBroad GRANT_TOO_BROAD = new GrantTooBroad();

  /** Flags a key policy that does not parse or has critical or recommended validation issues. */
  public static final KeyPolicyInvalid KEY_POLICY_INVALID = new KeyPolicyInvalid();

  /** Rotation, naming, lifecycle, usage, multi-Region and logging rules. */
  private static final List<Rule> LIFECYCLE_AND_HYGIENE =
      List.of(
          ROTATION_DISABLED,
          ROTATION_PERIOD_TOO_LONG,
          KEY_MATERIAL_TOO_OLD,
          ALIAS_MISSING_OR_MEANINGLESS,
          ALIAS_POINTS_AT_UNUSABLE_KEY,
          DESCRIPTION_MISSING,
          REQUIRED_TAGS_MISSING,
          MULTI_REGION_KEY_UNJUSTIFIED,
          MULTI_REGION_REPLICA_INCONSISTENT,
          KEY_PENDING_DELETION,
          DELETION_WINDOW_TOO_SHORT,
          DELETION_SCHEDULED_WITHOUT_DISABLING,
          MINIMUM_DELETION_WINDOW_NOT_ENFORCED,
          KEY_DISABLED,
          KEY_UNUSED,
          UNEXPLAINED_KEY,
          IMPORTED_KEY_MATERIAL_EXPIRING,
          AWS_MANAGED_KEY_FOR_SENSITIVE_DATA,
          RESOURCE_KEY_UNUSABLE,
          RESOURCE_SERVICE_REFUSED_BY_VIA_SERVICE,
          KMS_EVENTS_NOT_LOGGED);

  // ---- Policy, access and grant rules (written alongside): the integrator adds their constants
  // above and lists them here, in catalogue order. ----
  /** Key-policy, access and grant rules. */
  private static final List<Rule> POLICY_AND_ACCESS =
      List.of(
          KEY_POLICY_PUBLIC,
          CROSS_ACCOUNT_ACCESS_UNTRUSTED,
          ROOT_DELEGATION_ON_PRODUCTION_KEY,
          KEY_ADMINISTRATORS_CAN_USE_KEY,
          CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION,
          USAGE_WITHOUT_VIA_SERVICE,
          KEY_POLICY_LOCKOUT_RISK,
          AUDIT_ROLE_CANNOT_READ_KEY,
          GRANT_TO_UNTRUSTED_PRINCIPAL,
          GRANT_TOO_BROAD,
          KEY_POLICY_INVALID);

  private static final RuleSet ALL = build();

  private static RuleSet build() {
    List<Rule> rules = new ArrayList<>(POLICY_AND_ACCESS);
    rules.addAll(LIFECYCLE_AND_HYGIENE);
    return RuleSet.of(rules);
  }

  /** Returns every built-in rule, in catalogue order. */
  public static RuleSet all() {
    return ALL;
  }

  /** Returns the critical rules: the ones a build or a provisioning check should block on. */
  public static RuleSet blocking() {
    return ALL.atLeast(Severity.CRITICAL);
  }

  /** Returns the rule with id {@code id}, or whose former ids include it. */
  public static Optional<Rule> byId(RuleId id) {
    Objects.requireNonNull(id, "id");
    for (Rule r : ALL.rules()) {
      if (r.id().equals(id) || r.info().aliases().contains(id)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}

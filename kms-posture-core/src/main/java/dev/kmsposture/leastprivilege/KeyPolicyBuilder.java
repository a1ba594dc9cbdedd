package dev.kmsposture.leastprivilege;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionKey;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.Effect;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds a least-privilege key policy from roles, and refuses to build one that is insecure.
 *
 * <p>Each role becomes one statement (or one per service, account or Region) with a stable,
 * readable Sid, in a fixed order; principals, actions and condition values are sorted and
 * deduplicated, so the same inputs always give byte-identical JSON and two versions diff cleanly:
 *
 * <table>
 *   <caption>Statements, in order</caption>
 *   <tr><th>Sid</th><th>role</th></tr>
 *   <tr><td>{@code BreakGlassRoot} / {@code Enable IAM User Permissions}</td>
 *       <td>{@link #breakGlass(BreakGlass)}</td></tr>
 *   <tr><td>{@code KeyAdministrators}</td><td>{@link #administrators(String...)}</td></tr>
 *   <tr><td>{@code KeyUsers}</td><td>{@link #users(String...)}</td></tr>
 *   <tr><td>{@code KeyUsersViaS3}, … </td>
 *       <td>{@link #addServiceUsers(Collection, Collection, Collection)}</td></tr>
 *   <tr><td>{@code CloudWatchLogsUsEast1}, …</td>
 *       <td>{@link #addCloudWatchLogs(String, String...)}</td></tr>
 *   <tr><td>{@code GrantsForAwsResources}</td><td>{@link #grantUsers(String...)}</td></tr>
 *   <tr><td>{@code CrossAccountUse111122223333}, {@code CrossAccountGrants111122223333}</td>
 *       <td>{@link #crossAccountUsers(String...)}</td></tr>
 *   <tr><td>{@code AuditorsReadOnly}, {@code ExternalAuditorsReadOnly}</td>
 *       <td>{@link #auditors(String...)}</td></tr>
 *   <tr><td>the statement's own Sid</td>
 *       <td>{@link #insecureAddStatement(Statement, String)}</td></tr>
 * </table>
 *
 * <pre>{@code
 * BuiltKeyPolicy built = KeyPolicyBuilder.forAccount(AccountId.of("111122223333"))
 *     .administrators("arn:aws:iam::111122223333:role/KeyAdmin")
 *     .addServiceUsers(List.of("arn:aws:iam::111122223333:role/App"),
 *         List.of(AwsService.S3), List.of("us-east-1"))
 *     .auditors("arn:aws:iam::111122223333:role/Audit")
 *     .caller("arn:aws:iam::111122223333:role/KeyAdmin")
 *     .build();
 * String json = built.toJson();
 * }</pre>
 *
 * <p>{@link #build()} checks what it generated, cross-checks the result with {@link
 * dev.kmsposture.access.AccessAnalysis}, and throws {@link InsecurePolicyException} when the policy
 * would be public, would lock everyone out (no statement allows {@code kms:PutKeyPolicy}) or lock
 * out the {@link #caller(String) caller} (KMS's own lockout safety check), would let a principal
 * both administer and use the key (unless {@link #acknowledgeAdminCanUse(String) acknowledged}),
 * would exceed 32 KB, or would give {@code kms:*} to anyone but the break-glass statement.
 *
 * <p><b>Administration is a path to use.</b> As AWS warns, a principal that can change the key
 * policy ({@code PutKeyPolicy}), the key's tags (when access depends on tags) or its aliases (when
 * IAM policies grant by alias) can give itself use of the key. The builder keeps use and
 * administration in separate statements; that separation is only as strong as the control over who
 * may administer.
 *
 * <p>Misuse (a bad ARN, a missing account, conflicting roles) throws {@link
 * IllegalArgumentException} or {@link IllegalStateException}. Not thread-safe.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html">Default
 *     key policy</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/least-privilege.html">Least-privilege
 *     permissions</a>
 */
public final class KeyPolicyBuilder {
  private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");

  private @Nullable AccountId account;
  private String partition = "aws";
  private KeyKind keyKind = KeyKind.SYMMETRIC_DEFAULT;
  private boolean multiRegion;
  private final TreeSet<String> administrators = new TreeSet<>();
  private final TreeSet<String> users = new TreeSet<>();
  private final TreeSet<String> auditors = new TreeSet<>();
  private final TreeSet<String> grantUsers = new TreeSet<>();
  private final TreeSet<String> crossAccountUsers = new TreeSet<>();
  private boolean crossAccountGrants;
  // service name -> principal -> regions
  private final TreeMap<String, ServiceUsers> serviceUsers = new TreeMap<>();
  // region -> log-group names ("*" for all)
  private final TreeMap<String, TreeSet<String>> cloudWatchLogs = new TreeMap<>();
  private final TreeMap<String, TreeSet<String>> resourceTags = new TreeMap<>();
  private BreakGlass breakGlass = BreakGlass.none();
  private @Nullable String caller;
  private @Nullable String adminCanUseReason;
  private final TreeMap<String, Insecure> insecureStatements = new TreeMap<>();
  private final EnumMap<BuilderFinding.Code, String> overrides =
      new EnumMap<>(BuilderFinding.Code.class);
  private @Nullable String policyId;

  private KeyPolicyBuilder() {}

  /** Returns a builder; set the key's account with {@link #account(AccountId)}. */
  public static KeyPolicyBuilder builder() {
    return new KeyPolicyBuilder();
  }

  /** Returns a builder for a key in {@code account}. */
  public static KeyPolicyBuilder forAccount(AccountId account) {
    return builder().account(account);
  }

  /** Sets the account that owns the key. Required. */
  public KeyPolicyBuilder account(AccountId account) {
    this.account = Objects.requireNonNull(account, "account");
    return this;
  }

  /** Returns the account set with {@link #account(AccountId)}, if one is set. */
  public java.util.Optional<AccountId> configuredAccount() {
    return java.util.Optional.ofNullable(account);
  }

  /**
   * Returns the key kind set with {@link #keyKind(KeyKind)} ({@code SYMMETRIC_DEFAULT} by default).
   */
  public KeyKind configuredKeyKind() {
    return keyKind;
  }

  /**
   * Sets the partition of the root ARN and of every ARN given; {@code aws} by default.
   *
   * @throws IllegalArgumentException if {@code partition} is not {@code aws} or {@code aws-…}
   */
  public KeyPolicyBuilder partition(String partition) {
    Objects.requireNonNull(partition, "partition");
    if (!PARTITION.matcher(partition).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "partition [%s] is not valid; expected aws, aws-cn, aws-us-gov or another aws-…",
              partition));
    }
    this.partition = partition;
    return this;
  }

  /**
   * Sets the key's spec and usage, which decide the users' actions; {@link
   * KeyKind#SYMMETRIC_DEFAULT} by default.
   */
  public KeyPolicyBuilder keyKind(KeyKind keyKind) {
    this.keyKind = Objects.requireNonNull(keyKind, "keyKind");
    return this;
  }

  /**
   * Says whether the key is a multi-Region primary; false by default. The administrators (and a
   * restricted break-glass root) of a multi-Region key also get {@code kms:ReplicateKey}, which
   * creates replicas (KMS checks it in the primary's key policy); it is administration, not use —
   * the replica gets the policy the caller gives it, which an administrator could give anyway.
   *
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-auth.html">Controlling
   *     access to multi-Region keys</a>
   */
  public KeyPolicyBuilder multiRegion(boolean multiRegion) {
    this.multiRegion = multiRegion;
    return this;
  }

  private List<KmsAction> administration() {
    return multiRegion
        ? Actions.sorted(Actions.ADMINISTRATION, List.of(KmsAction.REPLICATE_KEY))
        : Actions.ADMINISTRATION;
  }

  /** Sets the policy's {@code Id} element; none by default. */
  public KeyPolicyBuilder policyId(String policyId) {
    this.policyId = Objects.requireNonNull(policyId, "policyId");
    return this;
  }

  // ---------------------------------------------------------------- administrators

  /**
   * Replaces the key administrators: IAM roles or users of the key's account that manage the key
   * but cannot use it. They get, listed explicitly, {@code CreateAlias}, {@code UpdateAlias},
   * {@code DeleteAlias}, {@code DescribeKey}, {@code EnableKey}, {@code DisableKey}, {@code
   * PutKeyPolicy}, {@code GetKeyPolicy}, {@code ListKeyPolicies}, {@code ListGrants}, {@code
   * RevokeGrant}, {@code TagResource}, {@code UntagResource}, {@code ListResourceTags}, {@code
   * UpdateKeyDescription}, {@code UpdatePrimaryRegion}, {@code ScheduleKeyDeletion}, {@code
   * CancelKeyDeletion}, {@code EnableKeyRotation}, {@code DisableKeyRotation}, {@code
   * GetKeyRotationStatus}, {@code ListKeyRotations}, {@code RotateKeyOnDemand}, {@code
   * GetKeyLastUsage} and {@code DeleteImportedKeyMaterial} — never {@code kms:Create*} (which
   * includes {@code CreateGrant}) and no cryptographic action.
   *
   * <p>AWS warns that whoever can change the key policy, the key's tags or its aliases can still
   * give themselves use of the key: an administrator is trusted with the key.
   *
   * @param arns IAM role or user ARNs in the key's account
   * @throws IllegalArgumentException if an ARN is not a role or user ARN, the account root, or a
   *     wildcard (the last two are reported by {@link #build()})
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators">Allows
   *     key administrators to administer the KMS key</a>
   */
  public KeyPolicyBuilder administrators(String... arns) {
    return administrators(Arrays.asList(arns));
  }

  /** Replaces the key administrators; see {@link #administrators(String...)}. */
  public KeyPolicyBuilder administrators(Collection<String> arns) {
    administrators.clear();
    arns.forEach(this::addAdministrator);
    return this;
  }

  /** Adds one key administrator; see {@link #administrators(String...)}. */
  public KeyPolicyBuilder addAdministrator(String arn) {
    administrators.add(checkPrincipal(arn, "administrator", false));
    return this;
  }

  // ---------------------------------------------------------------- users

  /**
   * Replaces the key users: IAM roles or users of the key's account that use the key directly,
   * without a {@code kms:ViaService} restriction. They get {@code DescribeKey} and the
   * cryptographic actions of the key's {@link #keyKind(KeyKind) kind} ({@link
   * KeyKind#userActions()}). Prefer {@link #addServiceUsers(Collection, Collection, Collection)}
   * when the principal uses the key only through AWS services.
   *
   * <p>AWS warns that whoever can change the key policy, the key's tags (see {@link
   * #requireResourceTag(String, String...)}) or its aliases can still give themselves use.
   *
   * @param arns IAM role or user ARNs in the key's account
   * @throws IllegalArgumentException if an ARN is not a role or user ARN, the account root, or a
   *     wildcard
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-users">Allows
   *     key users to use the KMS key</a>
   */
  public KeyPolicyBuilder users(String... arns) {
    return users(Arrays.asList(arns));
  }

  /** Replaces the key users; see {@link #users(String...)}. */
  public KeyPolicyBuilder users(Collection<String> arns) {
    users.clear();
    arns.forEach(this::addUser);
    return this;
  }

  /** Adds one key user; see {@link #users(String...)}. */
  public KeyPolicyBuilder addUser(String arn) {
    users.add(checkPrincipal(arn, "user", false));
    return this;
  }

  // ---------------------------------------------------------------- service users

  /**
   * Adds key users that may use the key only through {@code services} in {@code regions}: the
   * statement {@code KeyUsersVia<Service>} allows the key's user actions under {@code StringEquals
   * kms:ViaService} (for example {@code s3.us-east-1.amazonaws.com}) and {@code kms:CallerAccount}
   * pinned to the key's account ({@code kms:ViaService} alone does not restrict the caller's
   * account). A principal added for several services gets each; the same principal may not also be
   * a plain {@link #users(String...) user}, which would make the restriction meaningless.
   *
   * <p>AWS warns that whoever can change the key policy, the key's tags or its aliases can still
   * give themselves use.
   *
   * @param arns IAM role or user ARNs in the key's account
   * @param services the services, such as {@link AwsService#S3}
   * @param regions the Regions, such as {@code us-east-1}
   * @throws IllegalArgumentException if a list is empty, an ARN is not a role or user, or a Region
   *     is not a Region name
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service">kms:ViaService</a>
   */
  public KeyPolicyBuilder addServiceUsers(
      Collection<String> arns, Collection<AwsService> services, Collection<String> regions) {
    requireNonEmpty(arns, "service-user principals");
    requireNonEmpty(services, "services");
    requireNonEmpty(regions, "regions");
    List<String> checked = new ArrayList<>();
    for (String arn : arns) {
      checked.add(checkPrincipal(arn, "service user", false));
    }
    for (String region : regions) {
      AwsService.checkRegion(region);
    }
    for (AwsService service : services) {
      Objects.requireNonNull(service, "service");
      ServiceUsers su =
          serviceUsers.computeIfAbsent(service.name(), n -> new ServiceUsers(service));
      if (!su.service.equals(service)) {
        throw new IllegalArgumentException(
            String.format(
                "services [%s] and [%s] share the name [%s]; Sids must be unique",
                su.service.prefix(), service.prefix(), service.name()));
      }
      for (String arn : checked) {
        su.regionsByPrincipal.computeIfAbsent(arn, a -> new TreeSet<>()).addAll(regions);
      }
    }
    return this;
  }

  /**
   * Adds one key user restricted to {@code service} in {@code regions}; see {@link
   * #addServiceUsers(Collection, Collection, Collection)}.
   */
  public KeyPolicyBuilder addServiceUser(String arn, AwsService service, String... regions) {
    return addServiceUsers(List.of(arn), List.of(service), Arrays.asList(regions));
  }

  // ---------------------------------------------------------------- CloudWatch Logs

  /**
   * Lets CloudWatch Logs in {@code region} encrypt the named log groups with this key: the
   * statement {@code CloudWatchLogs<Region>} allows the service principal {@code
   * logs.REGION.amazonaws.com} the symmetric encryption actions, under {@code ArnLike
   * kms:EncryptionContext:aws:logs:arn} with {@code
   * arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME} (this is how Logs authorises log-group
   * encryption, per "Encrypt log data in CloudWatch Logs using AWS KMS"). Without log-group names,
   * every log group of the account in that Region ({@code log-group:*}). Roles that call Logs APIs
   * themselves use {@link AwsService#CLOUDWATCH_LOGS} as a service user instead.
   *
   * @param region the Region, such as {@code us-east-1}
   * @param logGroups log-group names; none for all log groups of the account in {@code region}
   * @throws IllegalArgumentException if {@code region} is not a Region name or a name is blank
   * @throws IllegalStateException if the key is not a symmetric encryption key (checked by build)
   * @see <a
   *     href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html">Encrypt
   *     log data in CloudWatch Logs using AWS KMS</a>
   */
  public KeyPolicyBuilder addCloudWatchLogs(String region, String... logGroups) {
    AwsService.checkRegion(region);
    TreeSet<String> names = cloudWatchLogs.computeIfAbsent(region, r -> new TreeSet<>());
    if (logGroups.length == 0) {
      names.add("*");
    }
    for (String g : logGroups) {
      Objects.requireNonNull(g, "logGroup");
      if (g.isBlank() || g.contains(":")) {
        throw new IllegalArgumentException(
            String.format(
                "log-group name [%s] is not valid; expected a name such as /app/prod, without colons",
                g));
      }
      names.add(g);
    }
    return this;
  }

  // ---------------------------------------------------------------- grant users

  /**
   * Replaces the grant users for AWS resources: principals of the key's account that may create,
   * list and revoke grants only when an integrated AWS service (EBS, RDS, …) creates the grant for
   * them — statement {@code GrantsForAwsResources}, {@code CreateGrant}, {@code ListGrants} and
   * {@code RevokeGrant} under {@code Bool kms:GrantIsForAWSResource true}.
   *
   * <p>A grant is a path to use; AWS warns that whoever can change the key policy, the key's tags
   * or its aliases can still give themselves use.
   *
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-service-integration">Allows
   *     key users to use the KMS key with AWS services</a>
   */
  public KeyPolicyBuilder grantUsers(String... arns) {
    return grantUsers(Arrays.asList(arns));
  }

  /** Replaces the grant users; see {@link #grantUsers(String...)}. */
  public KeyPolicyBuilder grantUsers(Collection<String> arns) {
    grantUsers.clear();
    arns.forEach(this::addGrantUser);
    return this;
  }

  /** Adds one grant user; see {@link #grantUsers(String...)}. */
  public KeyPolicyBuilder addGrantUser(String arn) {
    grantUsers.add(checkPrincipal(arn, "grant user", false));
    return this;
  }

  // ---------------------------------------------------------------- cross-account users

  /**
   * Replaces the cross-account users: external accounts (a 12-digit id or root ARN; the other
   * account then delegates to its own IAM policies) or roles and users of other accounts. Each
   * account gets a statement {@code CrossAccountUse<account>} with the key's user actions and
   * {@code DescribeKey}, pinned with {@code StringEquals kms:CallerAccount} to that account; with
   * {@link #crossAccountGrants(boolean)}, also {@code CrossAccountGrants<account>}.
   *
   * <p>AWS warns that whoever can change the key policy, the key's tags or its aliases can still
   * give themselves use.
   *
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html">Allowing
   *     users in other accounts to use a KMS key</a>
   */
  public KeyPolicyBuilder crossAccountUsers(String... accountsOrArns) {
    return crossAccountUsers(Arrays.asList(accountsOrArns));
  }

  /** Replaces the cross-account users; see {@link #crossAccountUsers(String...)}. */
  public KeyPolicyBuilder crossAccountUsers(Collection<String> accountsOrArns) {
    crossAccountUsers.clear();
    accountsOrArns.forEach(this::addCrossAccountUser);
    return this;
  }

  /**
   * Adds one cross-account user; see {@link #crossAccountUsers(String...)}.
   *
   * @throws IllegalArgumentException if the value is not an account id, role or user ARN, or names
   *     no account (such as {@code *})
   */
  public KeyPolicyBuilder addCrossAccountUser(String accountOrArn) {
    String checked = checkPrincipal(accountOrArn, "cross-account user", true);
    if (Principal.aws(checked).accountId().isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "cross-account user [%s] names no account; name a 12-digit account id or a role or"
                  + " user ARN of that account",
              accountOrArn));
    }
    crossAccountUsers.add(checked);
    return this;
  }

  /**
   * Sets whether cross-account users may also create, list and revoke grants for AWS resources
   * (statement {@code CrossAccountGrants<account>}, under {@code Bool kms:GrantIsForAWSResource
   * true} and the {@code kms:CallerAccount} pin); off by default.
   */
  public KeyPolicyBuilder crossAccountGrants(boolean enabled) {
    this.crossAccountGrants = enabled;
    return this;
  }

  // ---------------------------------------------------------------- auditors

  /**
   * Replaces the auditors: an explicit read-only list — {@code DescribeKey}, {@code GetKeyPolicy},
   * {@code GetKeyRotationStatus}, {@code GetKeyLastUsage}, {@code ListKeyRotations}, {@code
   * ListResourceTags}, {@code ListGrants} and {@code ListKeyPolicies} (statement {@code
   * AuditorsReadOnly}), never {@code kms:Get*} (which also grants {@code GetPublicKey} and {@code
   * GetParametersForImport}). {@code ListRetirableGrants} is IAM-only, so it is not in the key
   * policy.
   *
   * <p>An auditor in another account can only call {@code DescribeKey}, {@code
   * GetKeyRotationStatus} and {@code ListGrants} across accounts (statement {@code
   * ExternalAuditorsReadOnly}); reading the key policy needs a role in the key's account, and the
   * built policy carries a {@link BuilderFinding.Code#EXTERNAL_AUDITOR_LIMITED} note that says so.
   */
  public KeyPolicyBuilder auditors(String... arns) {
    return auditors(Arrays.asList(arns));
  }

  /** Replaces the auditors; see {@link #auditors(String...)}. */
  public KeyPolicyBuilder auditors(Collection<String> arns) {
    auditors.clear();
    arns.forEach(this::addAuditor);
    return this;
  }

  /** Adds one auditor; see {@link #auditors(String...)}. */
  public KeyPolicyBuilder addAuditor(String arn) {
    auditors.add(checkPrincipal(arn, "auditor", false));
    return this;
  }

  // ---------------------------------------------------------------- tags, break-glass, caller

  /**
   * Adds tag-based access for users: every use statement (key users, service users, grant users,
   * cross-account users) also requires {@code StringEquals aws:ResourceTag/KEY} to be one of {@code
   * values} on the key. Calling it again for the same tag key adds values.
   *
   * <p>Whoever can tag the key ({@code TagResource}, given to administrators) can then switch use
   * on and off: as AWS warns, tag control is a path to use.
   *
   * @throws IllegalArgumentException if the tag key is not valid, starts with {@code aws:}, or no
   *     value is given
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html">ABAC
   *     for AWS KMS</a>
   */
  public KeyPolicyBuilder requireResourceTag(String tagKey, String... values) {
    Objects.requireNonNull(tagKey, "tagKey");
    if (!TAG_KEY.matcher(tagKey).matches() || tagKey.toLowerCase(Locale.ROOT).startsWith("aws:")) {
      throw new IllegalArgumentException(
          String.format(
              "tag key [%s] is not valid; expected 1 to 128 letters, digits, spaces or _.:/=+-@,"
                  + " not starting with aws:",
              tagKey));
    }
    if (values.length == 0) {
      throw new IllegalArgumentException(
          String.format("tag [%s] needs at least one value to require", tagKey));
    }
    TreeSet<String> set = resourceTags.computeIfAbsent(tagKey, k -> new TreeSet<>());
    for (String v : values) {
      set.add(Objects.requireNonNull(v, "value"));
    }
    return this;
  }

  /**
   * Sets the break-glass choice; {@link BreakGlass#none()} by default (then at least one
   * administrator is required). See {@link BreakGlass} for the three choices.
   */
  public KeyPolicyBuilder breakGlass(BreakGlass breakGlass) {
    this.breakGlass = Objects.requireNonNull(breakGlass, "breakGlass");
    return this;
  }

  /**
   * Sets the ARN of the principal that will send the policy ({@code CreateKey} or {@code
   * PutKeyPolicy}), so that {@link #build()} runs KMS's lockout safety check: the caller must still
   * be able to call {@code PutKeyPolicy} under the new policy, directly (as a named principal, or a
   * session of a named role) or through the account root's delegation to IAM.
   *
   * @param arn a role, user, assumed-role session or root ARN
   * @throws IllegalArgumentException if {@code arn} is not an ARN
   */
  public KeyPolicyBuilder caller(String arn) {
    Objects.requireNonNull(arn, "arn");
    Principal.Aws p = Principal.aws(arn);
    if (p.arn().isEmpty() || p.accountId().isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "caller [%s] is not a principal ARN; expected e.g."
                  + " arn:aws:sts::111122223333:assumed-role/Deployer/session",
              arn));
    }
    this.caller = arn;
    return this;
  }

  // ---------------------------------------------------------------- escape hatches

  /**
   * Allows principals that both administer and use the key, for {@code reason}. The built policy
   * carries one {@link BuilderFinding.Code#ADMIN_CAN_USE_ACKNOWLEDGED} finding per such principal,
   * with the reason.
   *
   * @throws IllegalArgumentException if the reason is blank
   */
  public KeyPolicyBuilder acknowledgeAdminCanUse(String reason) {
    this.adminCanUseReason = requireReason(reason, "acknowledging that an administrator can use");
    return this;
  }

  /**
   * Adds a statement the roles cannot express, for {@code reason}. The statement needs a Sid that
   * no generated statement uses; it is written after the generated ones, in Sid order, and checked
   * like them (so a public or {@code kms:*} statement still blocks the build unless an {@link
   * InsecureOverride} lets that finding through). The built policy carries an {@link
   * BuilderFinding.Code#INSECURE_STATEMENT} finding with the reason.
   *
   * @throws IllegalArgumentException if the reason is blank or the statement has no Sid
   */
  public KeyPolicyBuilder insecureAddStatement(Statement statement, String reason) {
    Objects.requireNonNull(statement, "statement");
    String r = requireReason(reason, "adding a statement");
    String sid = statement.sid();
    if (sid == null || sid.isBlank()) {
      throw new IllegalArgumentException(
          "a statement added with insecureAddStatement needs a Sid, so that its trace names it");
    }
    insecureStatements.put(sid, new Insecure(statement, r));
    return this;
  }

  /**
   * Lets findings of {@code override.code()} through {@link #build()}. Each such finding stays in
   * the result as an {@link BuilderFinding.Code#INSECURE_OVERRIDE} finding with the reason.
   *
   * @throws IllegalArgumentException if the override acknowledges a posture rule rather than a
   *     builder finding (rule overrides apply to a key blueprint's validation)
   */
  public KeyPolicyBuilder insecureOverride(InsecureOverride override) {
    Objects.requireNonNull(override, "override");
    BuilderFinding.Code code =
        override
            .code()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        String.format(
                            "override of rule [%s] is not a builder finding; rule overrides"
                                + " apply to a key blueprint's validation, and the builder takes"
                                + " InsecureOverride.acknowledging(BuilderFinding.Code, reason)",
                            override.subject())));
    overrides.put(code, override.reason());
    return this;
  }

  // ---------------------------------------------------------------- build

  /**
   * Builds the policy and the findings that travel with it.
   *
   * @throws InsecurePolicyException if the policy would have a blocking finding (see the class
   *     documentation); the exception carries the findings
   * @throws IllegalStateException if the account is not set, or the roles conflict (an ARN of
   *     another partition, a principal of another account in a same-account role, a cross-account
   *     principal of the key's account, a principal both a plain user and a service user, an
   *     insecure statement whose Sid a generated statement uses, CloudWatch Logs on a key that is
   *     not a symmetric encryption key)
   */
  public BuiltKeyPolicy build() {
    AccountId acct = account;
    if (acct == null) {
      throw new IllegalStateException(
          "account is not set; call account(AccountId) or start with KeyPolicyBuilder.forAccount");
    }
    checkConsistency(acct);
    List<PolicyChecks.Part> parts = generate(acct);
    PolicyChecks checks = new PolicyChecks(acct, partition, caller);
    List<BuilderFinding> findings = new ArrayList<>(checks.check(parts));
    for (String auditor : auditors) {
      if (!inAccount(auditor, acct)) {
        findings.add(
            BuilderFinding.of(
                BuilderFinding.Code.EXTERNAL_AUDITOR_LIMITED,
                String.format(
                    "auditor [%s] is not in the key's account [%s]: KMS lets it call only"
                        + " DescribeKey, GetKeyRotationStatus and ListGrants across accounts"
                        + " (statement [ExternalAuditorsReadOnly]); reading the key policy, tags,"
                        + " rotations and last usage needs an audit role in account [%s]",
                    auditor, acct, acct)));
      }
    }
    KeyPolicy policy = null;
    if (!parts.isEmpty()) {
      KeyPolicy.Builder pb = KeyPolicy.builder();
      if (policyId != null) {
        pb.id(policyId);
      }
      for (PolicyChecks.Part part : parts) {
        pb.addStatement(part.statement());
      }
      policy = pb.build();
      findings.addAll(checks.checkSize(policy));
      Set<String> breakGlassSids = new TreeSet<>();
      for (PolicyChecks.Part part : parts) {
        if (part.origin() == PolicyChecks.Origin.BREAK_GLASS) {
          breakGlassSids.add(Objects.requireNonNull(part.statement().sid()));
        }
      }
      findings.addAll(AnalysisCrossCheck.check(policy, acct, caller, breakGlassSids, findings));
    }
    List<BuilderFinding> result = applyAcknowledgements(findings);
    if (policy == null || result.stream().anyMatch(BuilderFinding::isBlocking)) {
      throw new InsecurePolicyException(result);
    }
    return new BuiltKeyPolicy(policy, result);
  }

  /**
   * Builds the policy and returns it without the findings.
   *
   * @throws InsecurePolicyException as {@link #build()}
   * @throws IllegalStateException as {@link #build()}
   */
  public KeyPolicy buildPolicy() {
    return build().policy();
  }

  private List<BuilderFinding> applyAcknowledgements(List<BuilderFinding> findings) {
    List<BuilderFinding> out = new ArrayList<>();
    for (BuilderFinding f : findings) {
      if (f.code() == BuilderFinding.Code.ADMIN_CAN_USE && adminCanUseReason != null) {
        out.add(
            BuilderFinding.of(
                BuilderFinding.Code.ADMIN_CAN_USE_ACKNOWLEDGED,
                String.format("%s; acknowledged: %s", f.message(), adminCanUseReason)));
      } else if (f.isBlocking() && overrides.containsKey(f.code())) {
        out.add(
            BuilderFinding.of(
                BuilderFinding.Code.INSECURE_OVERRIDE,
                String.format(
                    "%s let through by InsecureOverride: %s; reason: %s",
                    f.code(), f.message(), overrides.get(f.code()))));
      } else {
        out.add(f);
      }
    }
    out.sort(
        (a, b) -> {
          int c = a.severity().compareTo(b.severity());
          if (c == 0) {
            c = a.code().compareTo(b.code());
          }
          return c != 0 ? c : a.message().compareTo(b.message());
        });
    return List.copyOf(new ArrayList<>(new java.util.LinkedHashSet<>(out)));
  }

  private void checkConsistency(AccountId acct) {
    List<String> all = new ArrayList<>();
    all.addAll(administrators);
    all.addAll(users);
    all.addAll(auditors);
    all.addAll(grantUsers);
    all.addAll(crossAccountUsers);
    for (ServiceUsers su : serviceUsers.values()) {
      all.addAll(su.regionsByPrincipal.keySet());
    }
    breakGlass.roleArn().ifPresent(all::add);
    for (String arn : all) {
      Principal.Aws p = Principal.aws(arn);
      if (p.partition().isPresent() && !p.partition().get().equals(partition)) {
        throw new IllegalStateException(
            String.format(
                "principal [%s] is in partition [%s], but the key's partition is [%s]; set"
                    + " partition(...) or fix the ARN",
                arn, p.partition().get(), partition));
      }
    }
    sameAccount(acct, administrators, "administrator");
    sameAccount(acct, users, "user");
    sameAccount(acct, grantUsers, "grant user");
    for (ServiceUsers su : serviceUsers.values()) {
      sameAccount(acct, su.regionsByPrincipal.keySet(), "service user");
    }
    breakGlass.roleArn().ifPresent(role -> sameAccount(acct, List.of(role), "break-glass role"));
    for (String arn : crossAccountUsers) {
      if (inAccount(arn, acct)) {
        throw new IllegalStateException(
            String.format(
                "cross-account user [%s] is in the key's own account [%s]; name it with users(...)"
                    + " or addServiceUsers(...)",
                arn, acct));
      }
    }
    for (ServiceUsers su : serviceUsers.values()) {
      for (String arn : su.regionsByPrincipal.keySet()) {
        if (users.contains(arn)) {
          throw new IllegalStateException(
              String.format(
                  "principal [%s] is both a key user and a service user of [%s]; a plain key user"
                      + " is not restricted by kms:ViaService, so name it in one role only",
                  arn, su.service.name()));
        }
      }
    }
    if (!cloudWatchLogs.isEmpty() && !keyKind.isSymmetricEncryption()) {
      throw new IllegalStateException(
          String.format(
              "CloudWatch Logs encrypts only with symmetric encryption keys, but the key kind is"
                  + " [%s]; use KeyKind.SYMMETRIC_DEFAULT",
              keyKind));
    }
  }

  private static void sameAccount(AccountId acct, Collection<String> arns, String role) {
    for (String arn : arns) {
      Principal.Aws p = Principal.aws(arn);
      if (p.accountId().isPresent() && !p.accountId().get().equals(acct)) {
        throw new IllegalStateException(
            String.format(
                "%s [%s] is in account [%s], not the key's account [%s]; name principals of other"
                    + " accounts with crossAccountUsers(...) or auditors(...)",
                role, arn, p.accountId().get(), acct));
      }
    }
  }

  private static boolean inAccount(String arn, AccountId acct) {
    return Principal.aws(arn).accountId().map(acct::equals).orElse(true);
  }

  // ---------------------------------------------------------------- generation

  private List<PolicyChecks.Part> generate(AccountId acct) {
    List<PolicyChecks.Part> parts = new ArrayList<>();
    String root = acct.rootArn(partition);
    switch (breakGlass.kind()) {
      case AWS_DEFAULT ->
          // AWS's own Sid for the default statement ("Enable IAM User Permissions" in the current
          // Developer Guide), so that readers and tools recognise it.
          parts.add(
              PolicyChecks.Part.breakGlass(
                  statement("Enable IAM User Permissions", List.of(root), List.of(KmsAction.ALL))
                      .build()));
      case ROOT_RESTRICTED ->
          parts.add(
              PolicyChecks.Part.breakGlass(
                  statement("BreakGlassRoot", List.of(root), administration())
                      .addCondition(
                          ConditionOperator.ARN_EQUALS,
                          ConditionKey.AWS_PRINCIPAL_ARN,
                          breakGlass.roleArn().orElseThrow())
                      .build()));
      case NONE -> {}
      default ->
          throw new IllegalStateException("bug in kms-posture: break-glass " + breakGlass.kind());
    }
    if (!administrators.isEmpty()) {
      parts.add(
          PolicyChecks.Part.of(
              statement("KeyAdministrators", administrators, administration()).build()));
    }
    List<KmsAction> use = keyKind.userActions();
    if (!users.isEmpty()) {
      parts.add(PolicyChecks.Part.of(tagged(statement("KeyUsers", users, use)).build()));
    }
    for (ServiceUsers su : serviceUsers.values()) {
      // Principals with the same Regions share a statement.
      Map<String, List<String>> byRegions = new TreeMap<>();
      Map<String, TreeSet<String>> regionsOf = new LinkedHashMap<>();
      for (Map.Entry<String, TreeSet<String>> e : su.regionsByPrincipal.entrySet()) {
        String k = String.join(",", e.getValue());
        byRegions.computeIfAbsent(k, x -> new ArrayList<>()).add(e.getKey());
        regionsOf.put(k, e.getValue());
      }
      for (Map.Entry<String, List<String>> e : byRegions.entrySet()) {
        TreeSet<String> regions = Objects.requireNonNull(regionsOf.get(e.getKey()));
        String sid = "KeyUsersVia" + su.service.name();
        if (byRegions.size() > 1) {
          sid += "In" + camel(regions);
        }
        String[] values = regions.stream().map(su.service::viaServiceValue).toArray(String[]::new);
        parts.add(
            PolicyChecks.Part.of(
                tagged(
                        statement(sid, e.getValue(), use)
                            .addCondition(
                                ConditionOperator.STRING_EQUALS,
                                ConditionKey.KMS_VIA_SERVICE,
                                values)
                            .addCondition(
                                ConditionOperator.STRING_EQUALS,
                                ConditionKey.KMS_CALLER_ACCOUNT,
                                acct.value()))
                    .build()));
      }
    }
    for (Map.Entry<String, TreeSet<String>> e : cloudWatchLogs.entrySet()) {
      String region = e.getKey();
      String[] arns =
          e.getValue().stream()
              .map(
                  g ->
                      "arn:"
                          + partition
                          + ":logs:"
                          + region
                          + ":"
                          + acct.value()
                          + ":log-group:"
                          + g)
              .toArray(String[]::new);
      parts.add(
          PolicyChecks.Part.of(
              Statement.builder()
                  .sid("CloudWatchLogs" + camel(List.of(region)))
                  .effect(Effect.ALLOW)
                  .addPrincipal(Principal.service("logs." + region + ".amazonaws.com"))
                  .actions(KeyKind.SYMMETRIC_DEFAULT.userActions())
                  .addResource("*")
                  .addCondition(
                      ConditionOperator.ARN_LIKE,
                      ConditionKey.of("kms:EncryptionContext:aws:logs:arn"),
                      arns)
                  .build()));
    }
    if (!grantUsers.isEmpty()) {
      parts.add(
          PolicyChecks.Part.of(
              tagged(
                      statement("GrantsForAwsResources", grantUsers, Actions.GRANTS)
                          .addCondition(grantIsForAwsResource()))
                  .build()));
    }
    TreeMap<String, TreeSet<String>> byAccount = new TreeMap<>();
    for (String p : crossAccountUsers) {
      String arn = AccountId.isAccountId(p) ? new AccountId(p).rootArn(partition) : p;
      String a = Principal.aws(arn).accountId().orElseThrow().value();
      byAccount.computeIfAbsent(a, x -> new TreeSet<>()).add(arn);
    }
    for (Map.Entry<String, TreeSet<String>> e : byAccount.entrySet()) {
      parts.add(
          PolicyChecks.Part.of(
              tagged(
                      statement("CrossAccountUse" + e.getKey(), e.getValue(), use)
                          .addCondition(
                              ConditionOperator.STRING_EQUALS,
                              ConditionKey.KMS_CALLER_ACCOUNT,
                              e.getKey()))
                  .build()));
      if (crossAccountGrants) {
        parts.add(
            PolicyChecks.Part.of(
                tagged(
                        statement("CrossAccountGrants" + e.getKey(), e.getValue(), Actions.GRANTS)
                            .addCondition(grantIsForAwsResource())
                            .addCondition(
                                ConditionOperator.STRING_EQUALS,
                                ConditionKey.KMS_CALLER_ACCOUNT,
                                e.getKey()))
                    .build()));
      }
    }
    TreeSet<String> localAuditors = new TreeSet<>();
    TreeSet<String> externalAuditors = new TreeSet<>();
    for (String a : auditors) {
      (inAccount(a, acct) ? localAuditors : externalAuditors).add(a);
    }
    if (!localAuditors.isEmpty()) {
      parts.add(
          PolicyChecks.Part.of(
              statement("AuditorsReadOnly", localAuditors, Actions.AUDIT).build()));
    }
    if (!externalAuditors.isEmpty()) {
      parts.add(
          PolicyChecks.Part.of(
              statement("ExternalAuditorsReadOnly", externalAuditors, Actions.EXTERNAL_AUDIT)
                  .build()));
    }
    Set<String> generatedSids = new TreeSet<>();
    for (PolicyChecks.Part p : parts) {
      generatedSids.add(Objects.requireNonNull(p.statement().sid()));
    }
    for (Insecure ins : insecureStatements.values()) {
      String sid = Objects.requireNonNull(ins.statement.sid());
      if (generatedSids.contains(sid)) {
        throw new IllegalStateException(
            String.format(
                "insecure statement Sid [%s] is also the Sid of a generated statement; choose"
                    + " another Sid",
                sid));
      }
      parts.add(PolicyChecks.Part.insecure(ins.statement, ins.reason));
    }
    return parts;
  }

  private Statement.Builder tagged(Statement.Builder b) {
    for (Map.Entry<String, TreeSet<String>> e : resourceTags.entrySet()) {
      b.addCondition(
          ConditionOperator.STRING_EQUALS,
          ConditionKey.of("aws:ResourceTag/" + e.getKey()),
          e.getValue().toArray(String[]::new));
    }
    return b;
  }

  private static Condition grantIsForAwsResource() {
    return Condition.of(ConditionOperator.BOOL, ConditionKey.KMS_GRANT_IS_FOR_AWS_RESOURCE, true);
  }

  private static Statement.Builder statement(
      String sid, Collection<String> principals, List<KmsAction> actions) {
    Statement.Builder b = Statement.builder().sid(sid).effect(Effect.ALLOW);
    for (String p : new TreeSet<>(principals)) {
      b.addAwsPrincipal(p);
    }
    return b.actions(actions).addResource("*");
  }

  // us-east-1 -> UsEast1
  // a Region name has no empty parts; trailing ones are dropped on purpose.
  @SuppressWarnings("StringSplitter")
  private static String camel(Collection<String> regions) {
    StringBuilder sb = new StringBuilder();
    for (String region : regions) {
      for (String part : region.split("-")) {
        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- argument checks

  private static String checkPrincipal(String arn, String role, boolean crossAccount) {
    Objects.requireNonNull(arn, role);
    Principal.Aws p = Principal.aws(arn);
    switch (p.kind()) {
      case ROLE, USER, EVERYONE, PARTIAL_WILDCARD -> {
        return arn;
      }
      case ACCOUNT -> {
        if (!crossAccount && role.equals("auditor")) {
          break;
        }
        return arn;
      }
      default -> {}
    }
    throw new IllegalArgumentException(
        String.format(
            "%s [%s] is not an IAM role or user ARN (it is %s); name the role, such as"
                + " arn:aws:iam::111122223333:role/NAME%s",
            role,
            arn,
            p.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
            crossAccount ? ", or the 12-digit account id" : ""));
  }

  private static String requireReason(String reason, String what) {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException(
          String.format(
              "the reason for %s is blank; write why (an ADR or ticket reference)", what));
    }
    return reason;
  }

  private static void requireNonEmpty(Collection<?> c, String what) {
    Objects.requireNonNull(c, what);
    if (c.isEmpty()) {
      throw new IllegalArgumentException(String.format("%s [] is empty; name at least one", what));
    }
  }

  private static final class ServiceUsers {
    final AwsService service;
    final TreeMap<String, TreeSet<String>> regionsByPrincipal = new TreeMap<>();

    ServiceUsers(AwsService service) {
      this.service = service;
    }
  }

  private static final class Insecure {
    final Statement statement;
    final String reason;

    Insecure(Statement statement, String reason) {
      this.statement = statement;
      this.reason = reason;
    }
  }
}

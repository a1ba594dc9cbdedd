package dev.kmsposture.testkit.assertj;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.AccessDiff;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Rule;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testkit.internal.ShouldDecideRequest;
import dev.kmsposture.testkit.internal.ShouldGrantNoNewAccess;
import dev.kmsposture.testkit.internal.ShouldGrantOnly;
import dev.kmsposture.testkit.internal.ShouldHaveNoFindings;
import dev.kmsposture.testkit.internal.ShouldHaveStatement;
import dev.kmsposture.testkit.internal.ShouldNotBePublic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.assertj.core.api.AbstractObjectAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on a {@link KeyPolicy}, in the policy's own vocabulary: who it allows and denies, in
 * which request context, whether it is public, whom it grants, what the rules find, and what a
 * change adds. Get one with {@link KmsPostureAssertions#assertThat(KeyPolicy)}.
 *
 * <pre>{@code
 * assertThat(policy)
 *     .inAccount(AccountId.of("111122223333"))
 *     .isNotPublic()
 *     .hasNoFindingsAtLeast(Severity.RECOMMENDED)
 *     .allows("arn:aws:iam::111122223333:role/App", "kms:Decrypt")
 *     .returnToPolicy()
 *     .denies("arn:aws:iam::444455556666:role/Partner", "kms:PutKeyPolicy");
 * }</pre>
 *
 * <p>Requests are decided by {@link KeyAccessEvaluator} on the key policy alone: a request the key
 * policy leaves to the caller's IAM policies (it names the account) is neither allowed nor denied
 * by it. The key's account is the one set with {@link #inAccount(AccountId)} or {@link
 * #forKey(String)}; without either, the one account the policy names (an {@link
 * IllegalStateException} says so when it names several).
 *
 * <p>An assertion is checked when it is called. Configuration methods ({@code inAccount}, {@code
 * forKey}, {@code withContext}, {@code withConfig}, {@code onProductionKey}) return a new assertion
 * and apply to the checks that follow them.
 *
 * @since 0.1.0
 */
public final class KeyPolicyAssert extends AbstractObjectAssert<KeyPolicyAssert, KeyPolicy> {
  /** The key-policy rules {@link #hasNoFindingsAtLeast(Severity)} runs. */
  static final List<Rule> POLICY_RULES =
      List.of(
          KmsPostureRules.KEY_POLICY_PUBLIC,
          KmsPostureRules.CROSS_ACCOUNT_ACCESS_UNTRUSTED,
          KmsPostureRules.ROOT_DELEGATION_ON_PRODUCTION_KEY,
          KmsPostureRules.KEY_ADMINISTRATORS_CAN_USE_KEY,
          KmsPostureRules.CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION,
          KmsPostureRules.USAGE_WITHOUT_VIA_SERVICE,
          KmsPostureRules.KEY_POLICY_LOCKOUT_RISK,
          KmsPostureRules.KEY_POLICY_INVALID);

  private static final Instant CHECKED_AT = Instant.parse("2026-11-28T12:00:00Z");
  private static final String KEY_ID = "00000000-0000-0000-0000-000000000000";

  private final @Nullable String keyArn;
  private final Map<String, List<String>> context;
  private final PostureConfig config;
  private final boolean production;

  KeyPolicyAssert(KeyPolicy actual) {
    this(actual, null, Map.of(), PostureConfig.defaults(), false);
  }

  private KeyPolicyAssert(
      KeyPolicy actual,
      @Nullable String keyArn,
      Map<String, List<String>> context,
      PostureConfig config,
      boolean production) {
    super(actual, KeyPolicyAssert.class);
    this.keyArn = keyArn;
    this.context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    this.config = config;
    this.production = production;
  }

  private KeyPolicyAssert copy(
      @Nullable String arn, Map<String, List<String>> ctx, PostureConfig cfg, boolean prod) {
    KeyPolicyAssert copy = new KeyPolicyAssert(actual, arn, ctx, cfg, prod);
    copy.info.useRepresentation(info.representation());
    copy.info.description(info.description());
    return copy;
  }

  // ---- configuration

  /**
   * Returns an assertion about the key in {@code account} (the key ARN is {@code
   * arn:aws:kms:us-east-1:ACCOUNT:key/00000000-0000-0000-0000-000000000000}).
   *
   * @param account the account that owns the key
   * @return a new assertion on the same policy
   * @since 0.1.0
   */
  public KeyPolicyAssert inAccount(AccountId account) {
    Objects.requireNonNull(account, "account");
    return copy(
        "arn:aws:kms:us-east-1:" + account.value() + ":key/" + KEY_ID, context, config, production);
  }

  /**
   * Returns an assertion about the key {@code keyArn}: its account owns the key, and requests name
   * it as their resource.
   *
   * @param keyArn the key ARN, such as {@code arn:aws:kms:us-east-1:111122223333:key/…}
   * @return a new assertion on the same policy
   * @throws IllegalArgumentException if {@code keyArn} is not a KMS key ARN
   * @since 0.1.0
   */
  public KeyPolicyAssert forKey(String keyArn) {
    Objects.requireNonNull(keyArn, "keyArn");
    Optional<Arn> arn = Arn.tryParse(keyArn);
    if (arn.isEmpty()
        || !arn.get().service().equals("kms")
        || !AccountId.isAccountId(arn.get().account())
        || !arn.get().resource().startsWith("key/")) {
      throw new IllegalArgumentException(
          String.format(
              "key ARN [%s] is not valid; expected arn:PARTITION:kms:REGION:ACCOUNT:key/ID",
              keyArn));
    }
    return copy(keyArn, context, config, production);
  }

  /**
   * Returns an assertion whose {@link #allows} and {@link #denies} checks send {@code key} with
   * {@code values} in the request context (added to any context set before).
   *
   * @param key the context key, such as {@code kms:ViaService}
   * @param values its values
   * @return a new assertion on the same policy
   * @since 0.1.0
   */
  public KeyPolicyAssert withContext(String key, String... values) {
    return copy(keyArn, addContext(context, key, values), config, production);
  }

  /**
   * Returns an assertion whose {@link #hasNoFindingsAtLeast(Severity)} runs the rules with {@code
   * config} (trusted accounts, audit roles, …) instead of the defaults.
   *
   * @param config the rule configuration
   * @return a new assertion on the same policy
   * @since 0.1.0
   */
  public KeyPolicyAssert withConfig(PostureConfig config) {
    return copy(keyArn, context, Objects.requireNonNull(config, "config"), production);
  }

  /**
   * Returns an assertion whose {@link #hasNoFindingsAtLeast(Severity)} judges the policy on a
   * production key (tagged {@code Environment=prod}), where more rules apply.
   *
   * @return a new assertion on the same policy
   * @since 0.1.0
   */
  public KeyPolicyAssert onProductionKey() {
    return copy(keyArn, context, config, true);
  }

  static Map<String, List<String>> addContext(
      Map<String, List<String>> context, String key, String... values) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(values, "values");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("context key [] is empty; expected e.g. kms:ViaService");
    }
    Map<String, List<String>> out = new LinkedHashMap<>(context);
    out.put(key, List.of(values));
    return out;
  }

  // ---- requests

  /**
   * Verifies that the key policy allows {@code principal} to call {@code action} on the key, with
   * the context set by {@link #withContext(String, String...)}. A request that needs a context
   * value is checked with the context first: {@code withContext("kms:ViaService", …).allows(…)};
   * {@link AccessAssert#when(String, String...)} after {@code allows} checks that it is also
   * allowed with more context.
   *
   * <pre>{@code
   * // passes: KeyUsers allows the App role to decrypt
   * assertThat(policy).allows("arn:aws:iam::111122223333:role/App", "kms:Decrypt");
   * // fails: no statement names the Partner role
   * assertThat(policy).allows("arn:aws:iam::444455556666:role/Partner", "kms:Decrypt");
   * }</pre>
   *
   * @param principal the caller: an ARN, an account id, a service principal or {@code anonymous}
   * @param action the action, such as {@code kms:Decrypt}
   * @return an assertion on the request, to add context or navigate to its decision
   * @throws AssertionError if the key policy does not allow the request
   * @since 0.1.0
   */
  public AccessAssert allows(String principal, String action) {
    return check(principal, KmsAction.of(Objects.requireNonNull(action, "action")), context, true);
  }

  /**
   * Verifies that the key policy allows {@code principal} to call {@code action}; see {@link
   * #allows(String, String)}.
   *
   * <pre>{@code
   * // passes
   * assertThat(policy).allows(appRole, KmsAction.DECRYPT);
   * // fails: App may not change the policy
   * assertThat(policy).allows(appRole, KmsAction.PUT_KEY_POLICY);
   * }</pre>
   *
   * @param principal the caller
   * @param action the action
   * @return an assertion on the request
   * @throws AssertionError if the key policy does not allow the request
   * @since 0.1.0
   */
  public AccessAssert allows(String principal, KmsAction action) {
    return check(principal, action, context, true);
  }

  /**
   * Verifies that the key policy denies {@code principal} the call {@code action}: explicitly, or
   * because no statement allows it and the policy does not leave it to the account's IAM policies.
   *
   * <pre>{@code
   * // passes: nothing lets the Partner role change the policy
   * assertThat(policy).denies("arn:aws:iam::444455556666:role/Partner", "kms:PutKeyPolicy");
   * // fails: KeyUsers allows the App role to decrypt
   * assertThat(policy).denies("arn:aws:iam::111122223333:role/App", "kms:Decrypt");
   * }</pre>
   *
   * @param principal the caller
   * @param action the action
   * @return an assertion on the request, to add context or navigate to its decision
   * @throws AssertionError if the key policy allows the request or leaves it to IAM
   * @since 0.1.0
   */
  public AccessAssert denies(String principal, String action) {
    return check(principal, KmsAction.of(Objects.requireNonNull(action, "action")), context, false);
  }

  /**
   * Verifies that the key policy denies {@code principal} the call {@code action}; see {@link
   * #denies(String, String)}.
   *
   * <pre>{@code
   * // passes
   * assertThat(policy).denies(partnerRole, KmsAction.PUT_KEY_POLICY);
   * // fails
   * assertThat(policy).denies(appRole, KmsAction.DECRYPT);
   * }</pre>
   *
   * @param principal the caller
   * @param action the action
   * @return an assertion on the request
   * @throws AssertionError if the key policy allows the request or leaves it to IAM
   * @since 0.1.0
   */
  public AccessAssert denies(String principal, KmsAction action) {
    return check(principal, action, context, false);
  }

  AccessAssert check(
      String principal, KmsAction action, Map<String, List<String>> ctx, boolean allow) {
    isNotNull();
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    AccessRequest.Builder b =
        AccessRequest.builder().principal(principal).action(action).resource(keyArn());
    ctx.forEach(b::putContext);
    AccessRequest request = b.build();
    Decision decision =
        KeyAccessEvaluator.builder().keyPolicy(actual).keyArn(keyArn()).build().evaluate(request);
    if (allow && !decision.isAllowed()) {
      throwAssertionError(ShouldDecideRequest.shouldAllow(actual, request, decision));
    }
    boolean denied =
        !decision.isAllowed()
            && !(decision.outcome() == Decision.Outcome.IMPLICITLY_DENIED
                && decision.delegatedToIam());
    if (!allow && !denied) {
      throwAssertionError(ShouldDecideRequest.shouldDeny(actual, request, decision));
    }
    return new AccessAssert(this, principal, action, ctx, allow, decision);
  }

  // ---- the policy as a whole

  /**
   * Verifies that the policy does not make the key public ({@link AccessAnalysis#isPublic()}): no
   * Allow reaches everyone without a condition that narrows the caller.
   *
   * <pre>{@code
   * // passes: a least-privilege policy
   * assertThat(KeyPolicyBuilder.forAccount(account).administrators(admin).buildPolicy()).isNotPublic();
   * // fails: {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
   * assertThat(publicPolicy).isNotPublic();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if the policy makes the key public
   * @since 0.1.0
   */
  public KeyPolicyAssert isNotPublic() {
    isNotNull();
    AccountId account = keyAccount();
    AccessAnalysis analysis = AccessAnalysis.of(actual, account);
    if (analysis.isPublic()) {
      throwAssertionError(
          ShouldNotBePublic.shouldNotBePublic(actual, account, analysis.publicStatements()));
    }
    return myself;
  }

  /**
   * Verifies that the policy's Allow statements name no principal but {@code principals}. Accounts
   * may be given as an id or a root ARN; {@code "*"} stands for the everyone principal. An Allow
   * with {@code NotPrincipal} grants everyone it does not name and always fails this check.
   * Statements without {@code Action} or {@code Resource}, which KMS ignores, are not counted.
   *
   * <pre>{@code
   * // passes: only the administrator and the App role are named
   * assertThat(policy).grantsOnly("arn:aws:iam::111122223333:role/KeyAdmin", "arn:aws:iam::111122223333:role/App");
   * // fails: the policy also delegates to the account root
   * assertThat(defaultPolicy).grantsOnly("arn:aws:iam::111122223333:role/KeyAdmin");
   * }</pre>
   *
   * @param principals the principals the policy may grant access to
   * @return this assertion
   * @throws AssertionError if an Allow statement names another principal, or uses NotPrincipal
   * @since 0.1.0
   */
  public KeyPolicyAssert grantsOnly(String... principals) {
    isNotNull();
    Objects.requireNonNull(principals, "principals");
    List<String> expected = List.of(principals);
    TreeSet<String> allowed = new TreeSet<>();
    for (String p : expected) {
      allowed.add(grantee(p));
    }
    List<String> unexpected = new ArrayList<>();
    for (int i = 0; i < actual.statements().size(); i++) {
      Statement s = actual.statements().get(i);
      if (!s.isAllow() || s.action() == null || s.resource() == null) {
        continue;
      }
      String where = " by " + describe(i, s);
      if (s.isNotPrincipal()) {
        unexpected.add("everyone except " + values(s.principals()) + where);
        continue;
      }
      for (Principal p : s.principals()) {
        if (!allowed.contains(grantee(p))) {
          unexpected.add(p.value() + where);
        }
      }
    }
    if (!unexpected.isEmpty()) {
      throwAssertionError(ShouldGrantOnly.shouldGrantOnly(actual, expected, unexpected));
    }
    return myself;
  }

  private static String grantee(Principal p) {
    if (p instanceof Principal.Aws aws && aws.kind() == Principal.AwsKind.ACCOUNT) {
      return aws.accountId().map(AccountId::value).orElse(aws.value());
    }
    return p.isEveryone() ? "*" : p.value();
  }

  private static String grantee(String text) {
    return grantee(
        text.equals("*")
            ? Principal.everyone()
            : text.endsWith(".amazonaws.com") ? Principal.service(text) : Principal.aws(text));
  }

  private static String values(List<Principal> principals) {
    List<String> out = new ArrayList<>();
    for (Principal p : principals) {
      out.add(p.value());
    }
    return out.toString();
  }

  static String describe(int index, Statement s) {
    String sid = s.sid();
    return "statement #"
        + index
        + (sid == null || sid.isEmpty() ? "" : " [" + sid + "]")
        + " (/Statement/"
        + index
        + ")";
  }

  /**
   * Verifies that kms-posture's key-policy rules find no active failure of at least {@code
   * severity}, judging the policy on a customer managed symmetric key in the key's account (a
   * production key after {@link #onProductionKey()}), with the rule configuration of {@link
   * #withConfig(PostureConfig)}. The rules: KeyPolicyPublic, CrossAccountAccessUntrusted,
   * RootDelegationOnProductionKey, KeyAdministratorsCanUseKey,
   * CreateGrantWithoutAwsResourceCondition, UsageWithoutViaService, KeyPolicyLockoutRisk and
   * KeyPolicyInvalid.
   *
   * <pre>{@code
   * // passes: the builder's policies pass every blocking rule
   * assertThat(KeyPolicyBuilder.forAccount(account).administrators(admin).users(app).buildPolicy())
   *     .hasNoFindingsAtLeast(Severity.CRITICAL);
   * // fails: a public policy is a CRITICAL finding
   * assertThat(publicPolicy).hasNoFindingsAtLeast(Severity.CRITICAL);
   * }</pre>
   *
   * @param severity the lowest severity that fails the check
   * @return this assertion
   * @throws AssertionError if a rule fails at {@code severity} or above
   * @since 0.1.0
   */
  public KeyPolicyAssert hasNoFindingsAtLeast(Severity severity) {
    isNotNull();
    Objects.requireNonNull(severity, "severity");
    List<Finding> failures = new ArrayList<>();
    for (Finding f : report().activeFailures()) {
      if (f.severity().isAtLeast(severity)) {
        failures.add(f);
      }
    }
    if (!failures.isEmpty()) {
      throwAssertionError(
          ShouldHaveNoFindings.shouldHaveNoFindingsAtLeast(actual, severity, failures));
    }
    return myself;
  }

  /** The report of the policy rules on a one-key snapshot holding the policy. */
  PostureReport report() {
    String arn = keyArn();
    KeyMetadata metadata =
        KeyMetadata.builder()
            .keyManager("CUSTOMER")
            .keySpec("SYMMETRIC_DEFAULT")
            .keyUsage("ENCRYPT_DECRYPT")
            .origin("AWS_KMS")
            .keyState(KeyMetadata.ENABLED)
            .creationDate(CHECKED_AT.minus(Duration.ofDays(30)))
            .description("the key whose policy is under test")
            .build();
    KeySnapshot key =
        KeySnapshot.builder(arn, metadata)
            .aliases(List.of("alias/policy-under-test"))
            .tags(production ? Map.of("Environment", "prod") : Map.of())
            .policy(actual.toJson())
            .build();
    AccountSnapshot snapshot = AccountSnapshot.of(key.account(), CHECKED_AT, List.of(key));
    return PostureEngine.builder()
        .ruleSet(RuleSet.of(POLICY_RULES))
        .config(config)
        .build()
        .check(snapshot);
  }

  /**
   * Verifies that the policy grants no access that {@code oldPolicy} did not, by {@link
   * AccessDiff#between(KeyPolicy, KeyPolicy, AccountId)}: what a test asserts before a policy
   * change ships.
   *
   * <pre>{@code
   * // passes: the new policy only adds a Deny statement
   * assertThat(withExtraDeny).grantsNoNewAccessComparedTo(current);
   * // fails: the new policy lets the Partner role decrypt
   * assertThat(withPartner).grantsNoNewAccessComparedTo(current);
   * }</pre>
   *
   * @param oldPolicy the policy before the change
   * @return this assertion
   * @throws AssertionError if the policy grants access {@code oldPolicy} did not
   * @since 0.1.0
   */
  public KeyPolicyAssert grantsNoNewAccessComparedTo(KeyPolicy oldPolicy) {
    isNotNull();
    Objects.requireNonNull(oldPolicy, "oldPolicy");
    AccessDiff diff = AccessDiff.between(oldPolicy, actual, keyAccount());
    if (diff.grantsNewAccess()) {
      throwAssertionError(
          ShouldGrantNoNewAccess.shouldGrantNoNewAccess(actual, oldPolicy, diff.addedSummary()));
    }
    return myself;
  }

  /**
   * Navigates to the statement with Sid {@code sid}; {@link StatementAssert#returnToPolicy()} comes
   * back.
   *
   * <pre>{@code
   * // passes
   * assertThat(policy).statement("KeyUsers").isAllow().returnToPolicy().isNotPublic();
   * // fails: the policy has no such statement
   * assertThat(policy).statement("BreakGlass");
   * }</pre>
   *
   * @param sid the statement's Sid
   * @return an assertion on the statement
   * @throws AssertionError if the policy has no statement with Sid {@code sid}
   * @since 0.1.0
   */
  public StatementAssert statement(String sid) {
    isNotNull();
    Objects.requireNonNull(sid, "sid");
    for (int i = 0; i < actual.statements().size(); i++) {
      Statement s = actual.statements().get(i);
      if (sid.equals(s.sid())) {
        return new StatementAssert(s, i, this);
      }
    }
    throwAssertionError(ShouldHaveStatement.shouldHaveStatement(actual, sid));
    throw new IllegalStateException("bug in kms-posture: the assertion did not throw");
  }

  // ---- the key

  String keyArn() {
    return keyArn != null
        ? keyArn
        : "arn:aws:kms:us-east-1:" + inferredAccount().value() + ":key/" + KEY_ID;
  }

  AccountId keyAccount() {
    return keyArn != null ? AccountId.of(keyArn.split(":", -1)[4]) : inferredAccount();
  }

  /** The one account the policy's account principals name, else the one account it names. */
  private AccountId inferredAccount() {
    TreeSet<String> roots = new TreeSet<>();
    TreeSet<String> all = new TreeSet<>();
    for (Statement s : actual.statements()) {
      for (Principal p : s.principals()) {
        if (p instanceof Principal.Aws aws) {
          aws.accountId()
              .ifPresent(
                  a -> {
                    all.add(a.value());
                    if (aws.kind() == Principal.AwsKind.ACCOUNT) {
                      roots.add(a.value());
                    }
                  });
        }
      }
    }
    if (roots.size() == 1) {
      return AccountId.of(roots.first());
    }
    if (all.size() == 1) {
      return AccountId.of(all.first());
    }
    throw new IllegalStateException(
        String.format(
            "cannot tell which account owns the key: the policy names accounts %s; call"
                + " inAccount(AccountId) or forKey(keyArn) first",
            all));
  }
}

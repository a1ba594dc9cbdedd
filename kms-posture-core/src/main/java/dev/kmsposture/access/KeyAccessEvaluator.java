package dev.kmsposture.access;

import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.PolicyVersion;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.policy.StatementPlace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a key's policies allow a request, the way AWS KMS does, and explains why.
 *
 * <p>The rules, with the AWS documentation each rests on:
 *
 * <ul>
 *   <li>An explicit Deny in the key policy or in a supplied identity policy wins over every Allow
 *       and every grant (IAM "Policy evaluation logic"; KMS "Grants": a grant never overrides a
 *       Deny). A Deny whose conditions cannot be decided (an unknown key value, an unknown
 *       operator) is treated as applying; an Allow in that state is not counted. The explanation
 *       says so.
 *   <li>Anonymous requests are never allowed (KMS "Key policies": every request to KMS is signed).
 *   <li>In the key's account, a key-policy Allow naming the caller's user, role, role session or
 *       {@code *} is sufficient; an Allow naming the account (root ARN or bare id) delegates to the
 *       caller's IAM policies, which are evaluated when supplied (KMS "Default key policy": "Allows
 *       access to the AWS account and enables IAM policies"). The root user itself is allowed by
 *       the account principal directly. Without supplied IAM policies the decision is {@code
 *       IMPLICITLY_DENIED} with {@link Decision#delegatedToIam()} set.
 *   <li>Across accounts, both the key policy and the caller's IAM policy must allow, and only the
 *       operations {@link KmsAction#isCrossAccount()} marks can be used (KMS "Allowing users in
 *       other accounts to use a KMS key"). An external account's root user needs no IAM policy. An
 *       AWS service principal belongs to no account of the key either, so the other operations are
 *       refused to it too (the API reference's per-operation "Cross-account use: No" asks for a
 *       caller in the key's account; every documented use of a key by a service principal —
 *       CloudTrail, CloudWatch Logs, SES — is of cross-account operations).
 *   <li>Grants allow their operations to their grantee; {@code EncryptionContextEquals} and {@code
 *       EncryptionContextSubset} constrain only the operations that take an encryption context on a
 *       symmetric encryption key (KMS "Grant constraints"; KMS rejects such constraints for other
 *       operations and for asymmetric keys, so they are read as not applying there).
 * </ul>
 *
 * <p>Principals (IAM "Principal", "NotPrincipal"): a role ARN matches its sessions whatever the
 * role's path; {@code *} (bare or under {@code AWS}) matches every principal, service principals
 * included (the two forms are equivalent; the broad reading errs towards "public"); a unique id
 * ({@code AROA…}) matches nobody; a partial wildcard, which IAM rejects, is read as broadly as it
 * could match (an account-root pattern with a wildcard account matches every principal of every
 * matching account, directly); {@code NotPrincipal} with Deny exempts a root user when its account
 * is listed, a user when its ARN is listed, a session only when both its session ARN and its role
 * ARN are listed, a role (which calls only through a session whose ARN the request does not give)
 * only when its ARN and a pattern covering all its sessions are listed, and never a caller with a
 * permissions boundary; {@code NotPrincipal} with Allow (not supported by AWS) allows everyone not
 * exempted by the same reading.
 *
 * <p>Conditions (IAM "Condition operators", "Multivalued context keys"): every operator; keys are
 * case-insensitive; values of one key are ORed, keys and operators ANDed; {@code IfExists} is true
 * when the key is absent; on an absent key a negated operator is true and a positive one false;
 * {@code ForAllValues:} is true on an empty or absent set and {@code ForAnyValue:} false; without a
 * qualifier a multi-valued key is read value by value (positive: any value matches; negated: no
 * value matches any policy value); an empty value list never matches (except an absent key under
 * {@code IfExists}/{@code ForAllValues:}); policy variables ({@code ${aws:username}}, any {@code
 * ${key}}, defaults, and the escapes {@code ${*}}, {@code ${?}}, {@code ${$}}) are substituted only
 * under Version 2012-10-17, and a variable without a value makes its value not match. An unknown
 * operator or an unknown key value cannot be decided: an Allow does not count, a Deny applies.
 *
 * <p>Service control policies, resource control policies, VPC endpoint policies, permissions
 * boundaries and session policies are not evaluated; {@link Decision#notSupplied()} lists them.
 *
 * <p>The key policy, identity policies and grants are compiled in {@link Builder#build()}. An
 * evaluator is immutable and thread-safe; {@link #evaluate(AccessRequest)} allocates only for the
 * decision it returns (and for policy variables and grants with constraints). The {@link Builder}
 * is not thread-safe.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html">Key
 *     policies in AWS KMS</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html">Policy
 *     evaluation logic</a>
 */
public final class KeyAccessEvaluator {

  private static final List<String> NOT_SUPPLIED =
      List.of(
          "service control policies (SCPs)",
          "resource control policies (RCPs)",
          "VPC endpoint policies",
          "permissions boundaries",
          "session policies");
  private static final List<String> NOT_SUPPLIED_WITH_IAM;

  static {
    List<String> l = new ArrayList<>(NOT_SUPPLIED);
    l.add("the caller's IAM policies");
    NOT_SUPPLIED_WITH_IAM = List.copyOf(l);
  }

  private static final String SUFFIX =
      " [not evaluated: SCPs, RCPs, VPC endpoint policies, permissions boundaries, session"
          + " policies]";
  private static final String SUFFIX_WITH_IAM =
      " [not evaluated: the caller's IAM policies, SCPs, RCPs, VPC endpoint policies, permissions"
          + " boundaries, session policies]";

  private static final Decision ANONYMOUS =
      new Decision(
          Decision.Outcome.IMPLICITLY_DENIED,
          false,
          List.of(),
          "IMPLICITLY_DENIED: anonymous requests are never allowed by AWS KMS" + SUFFIX,
          NOT_SUPPLIED);

  private final KeyPolicy keyPolicy;
  private final @Nullable String keyArn;
  private final @Nullable String keyAccount;
  private final boolean symmetric;
  private final CompiledStatement[] statements;
  private final boolean[] resourceMatchesKey;
  // Per statement: the catalog actions it covers, and the same masked by "Resource matches the
  // evaluator's key" (for statements whose Resource does not depend on the request). One array
  // load and one bit test skip a statement that cannot apply.
  private final long[] actionMasks;
  private final long[] keyMasks;
  private final Map<String, List<CompiledIdentity>> identityByArn;
  private final Map<String, List<CompiledIdentity>> identityByRole;
  private final CompiledGrant[] grants;
  private final List<Grant> grantList;
  private final Map<String, List<IdentityPolicy>> identityPolicies;
  // The key-policy statements that take part (null: all); see restrictedTo.
  private final boolean @Nullable [] active;

  private KeyAccessEvaluator(KeyAccessEvaluator base, boolean[] active) {
    this.keyPolicy = base.keyPolicy;
    this.keyArn = base.keyArn;
    this.keyAccount = base.keyAccount;
    this.symmetric = base.symmetric;
    this.statements = base.statements;
    this.resourceMatchesKey = base.resourceMatchesKey;
    this.actionMasks = base.actionMasks.clone();
    this.keyMasks = base.keyMasks.clone();
    for (int i = 0; i < statements.length; i++) {
      if (!active[i]) {
        actionMasks[i] = 0L;
        keyMasks[i] = 0L;
      }
    }
    this.identityByArn = base.identityByArn;
    this.identityByRole = base.identityByRole;
    this.grants = base.grants;
    this.grantList = base.grantList;
    this.identityPolicies = base.identityPolicies;
    this.active = active.clone();
  }

  private KeyAccessEvaluator(Builder b) {
    this.active = null;
    this.keyPolicy = Objects.requireNonNull(b.keyPolicy, "keyPolicy");
    this.keyArn = b.keyArn;
    this.keyAccount = b.keyArn == null ? null : accountOf(b.keyArn);
    this.symmetric = b.symmetric;
    boolean variables = keyPolicy.version() == PolicyVersion.V2012_10_17;
    List<Statement> list = keyPolicy.statements();
    this.statements = new CompiledStatement[list.size()];
    this.resourceMatchesKey = new boolean[list.size()];
    this.actionMasks = new long[list.size()];
    this.keyMasks = new long[list.size()];
    for (int i = 0; i < list.size(); i++) {
      Statement s = list.get(i);
      StatementRef ref =
          new StatementRef(AccessSource.KEY_POLICY, "key policy", StatementPlace.of(keyPolicy, i));
      statements[i] =
          new CompiledStatement(
              ref, s.isAllow(), s.action(), s.resource(), s.conditions(), s.principal(), variables);
    }
    this.identityByArn = new HashMap<>();
    this.identityByRole = new HashMap<>();
    Map<String, List<IdentityPolicy>> given = new java.util.TreeMap<>();
    for (Map.Entry<String, List<IdentityPolicy>> e : b.identity.entrySet()) {
      given.put(e.getKey(), List.copyOf(e.getValue()));
      for (IdentityPolicy p : e.getValue()) {
        CompiledIdentity c = new CompiledIdentity(p);
        identityByArn.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(c);
        String roleKey = roleKey(e.getKey());
        if (roleKey != null) {
          identityByRole.computeIfAbsent(roleKey, k -> new ArrayList<>()).add(c);
        }
      }
    }
    this.identityPolicies = java.util.Collections.unmodifiableMap(given);
    this.grantList = List.copyOf(b.grants);
    this.grants = new CompiledGrant[grantList.size()];
    for (int i = 0; i < grants.length; i++) {
      grants[i] = new CompiledGrant(grantList.get(i));
    }
    AccessRequest probe =
        AccessRequest.builder().principal("anonymous").action(KmsAction.DESCRIBE_KEY).build();
    for (int i = 0; i < statements.length; i++) {
      actionMasks[i] = statements[i].effectiveActionMask();
      boolean dynamic = statements[i].resourceDependsOnRequest();
      resourceMatchesKey[i] =
          keyArn != null && !dynamic && statements[i].resourceMatches(keyArn, probe);
      // Dynamic resources are checked per request, so their mask keeps every action.
      keyMasks[i] = dynamic || resourceMatchesKey[i] ? actionMasks[i] : 0L;
    }
  }

  // ---- package-private: the access analysis searches with the same compiled statements ----

  /**
   * Returns an evaluator that reads only the key-policy statements marked in {@code active} (by
   * index): the others are treated as absent. Decisions keep the statements' own indices.
   */
  KeyAccessEvaluator restrictedTo(boolean[] active) {
    if (active.length != statements.length) {
      throw new IllegalArgumentException(
          String.format(
              "active has %d entries; the policy has %d statements",
              active.length, statements.length));
    }
    return new KeyAccessEvaluator(this, active);
  }

  /** Returns the number of key-policy statements. */
  int statementCount() {
    return statements.length;
  }

  /** Returns key-policy statement {@code i}, compiled. */
  CompiledStatement compiled(int i) {
    return statements[i];
  }

  /**
   * Returns whether key-policy statement {@code i} can take part in {@code request}: it is active,
   * its Action covers the request's action and its Resource the evaluator's key. Principal and
   * conditions are not looked at.
   */
  boolean appliesToActionAndKey(int i, AccessRequest request) {
    if (active != null && !active[i]) {
      return false;
    }
    int index = request.actionIndex();
    if (index >= 0
        ? (actionMasks[i] & (1L << index)) == 0L
        : !statements[i].actionMatches(request)) {
      return false;
    }
    CompiledStatement s = statements[i];
    if (keyArn == null) {
      return s.resourceMatches(request.resource().orElse(""), request);
    }
    return s.resourceDependsOnRequest()
        ? s.resourceMatches(keyArn, request)
        : resourceMatchesKey[i];
  }

  /**
   * As {@link #appliesToActionAndKey} for a request of the catalog action at {@code actionIndex}
   * ({@link ActionIndex}) on the evaluator's key, without the request: 1 or 0, or -1 when the
   * answer depends on the rest of the request (a Resource with a policy variable, or no key ARN).
   */
  int appliesToCatalogActionOnKey(int i, int actionIndex) {
    if (active != null && !active[i]) {
      return 0;
    }
    if ((actionMasks[i] & (1L << actionIndex)) == 0L) {
      return 0;
    }
    if (keyArn == null || statements[i].resourceDependsOnRequest()) {
      return -1;
    }
    return resourceMatchesKey[i] ? 1 : 0;
  }

  private static @Nullable String accountOf(String arn) {
    return Arn.tryParse(arn).map(Arn::account).filter(a -> !a.isEmpty()).orElse(null);
  }

  // "ACCOUNT:ROLENAME" for a role ARN, so that a session finds its role's policies without a path.
  private static @Nullable String roleKey(String principalArn) {
    Arn arn = Arn.tryParse(principalArn).orElse(null);
    if (arn == null) {
      return null;
    }
    String res = arn.resource();
    if (arn.service().equals("iam") && res.startsWith("role/")) {
      return arn.account() + ":" + res.substring(res.lastIndexOf('/') + 1);
    }
    if (arn.service().equals("sts") && res.startsWith("assumed-role/")) {
      int slash = res.indexOf('/', 13);
      if (slash > 13) {
        return arn.account() + ":" + res.substring(13, slash);
      }
    }
    return null;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Evaluates {@code request} against {@code keyPolicy} alone (no identity policies, no grants), on
   * the key the request names.
   *
   * @throws IllegalArgumentException if the request names no key ({@link AccessRequest#resource()})
   */
  public static Decision evaluate(KeyPolicy keyPolicy, AccessRequest request) {
    Objects.requireNonNull(keyPolicy, "keyPolicy");
    Objects.requireNonNull(request, "request");
    return builder().keyPolicy(keyPolicy).build().evaluate(request);
  }

  /** Returns the key policy. */
  public KeyPolicy keyPolicy() {
    return keyPolicy;
  }

  /** Returns the identity policies supplied, by principal ARN (sorted). */
  public Map<String, List<IdentityPolicy>> identityPolicies() {
    return identityPolicies;
  }

  /** Returns the grants supplied. */
  public List<Grant> grants() {
    return grantList;
  }

  /**
   * Decides {@code request}.
   *
   * @throws IllegalArgumentException if neither the evaluator nor the request names the key
   */
  public Decision evaluate(AccessRequest request) {
    Objects.requireNonNull(request, "request");
    String requested = request.resource().orElse(null);
    String arn;
    String account;
    boolean useCache;
    if (requested == null || requested.equals(keyArn)) {
      if (keyArn == null) {
        throw new IllegalArgumentException(
            String.format(
                "request [%s] names no key and the evaluator has no key ARN; set"
                    + " AccessRequest.Builder.resource or KeyAccessEvaluator.Builder.keyArn",
                request.principal()));
      }
      arn = keyArn;
      account = keyAccount;
      useCache = true;
    } else {
      arn = requested;
      account = request.resourceAccount();
      useCache = false;
    }

    // 1. The key policy: the first applicable Deny decides; remember the allows and a near miss.
    CompiledStatement directAllow = null;
    CompiledStatement accountAllow = null;
    CompiledStatement nearMiss = null;
    int nearMissCode = 0;
    int actionIndex = request.actionIndex();
    long bit = actionIndex < 0 ? 0L : 1L << actionIndex;
    long[] masks = useCache ? keyMasks : actionMasks;
    for (int i = 0; i < statements.length; i++) {
      if (bit != 0L && (masks[i] & bit) == 0L) {
        continue;
      }
      CompiledStatement s = statements[i];
      if (bit == 0L && (!s.actionMatches(request) || (active != null && !active[i]))) {
        continue;
      }
      if ((useCache && !s.resourceDependsOnRequest())
          ? !resourceMatchesKey[i]
          : !s.resourceMatches(arn, request)) {
        continue;
      }
      int pm = s.principalMatch(request);
      if (pm == PrincipalPattern.NONE) {
        continue;
      }
      int code = s.conditions(request);
      int result = code & 3;
      if (!s.allow) {
        if (result != CompiledCondition.NO_MATCH) {
          return denied(s, code, request);
        }
      } else if (result == CompiledCondition.MATCH) {
        if (pm == PrincipalPattern.DIRECT) {
          if (directAllow == null) {
            directAllow = s;
          }
        } else if (accountAllow == null) {
          accountAllow = s;
        }
      } else if (nearMiss == null) {
        nearMiss = s;
        nearMissCode = code;
      }
    }

    // 2. The caller's identity policies: a Deny decides; remember the first Allow.
    List<CompiledIdentity> identity = identityFor(request);
    CompiledStatement identityAllow = null;
    boolean identitySupplied = identity != null;
    if (identity != null) {
      for (CompiledIdentity policy : identity) {
        for (CompiledStatement s : policy.statements) {
          if (!s.actionMatches(request) || !s.resourceMatches(arn, request)) {
            continue;
          }
          int code = s.conditions(request);
          int result = code & 3;
          if (!s.allow) {
            if (result != CompiledCondition.NO_MATCH) {
              return denied(s, code, request);
            }
          } else if (result == CompiledCondition.MATCH && identityAllow == null) {
            identityAllow = s;
          }
        }
      }
    }

    if (request.isAnonymous()) {
      return ANONYMOUS;
    }

    KmsAction action = request.action();
    String callerAccount = request.account();
    boolean service = request.kind() == AccessRequest.CallerKind.SERVICE;
    boolean cross =
        !service && callerAccount != null && account != null && !callerAccount.equals(account);
    boolean root = request.kind() == AccessRequest.CallerKind.ROOT;

    if ((cross || service) && !request.isCrossAccountAction()) {
      String keyAccountId = account;
      String from =
          service
              ? "caller "
                  + request.principal()
                  + " is an AWS service principal, in no account of the key"
              : "caller account " + callerAccount + ", key account " + keyAccountId;
      return new Decision(
          Decision.Outcome.IMPLICITLY_DENIED,
          false,
          List.of(),
          NOT_SUPPLIED,
          Decision.Reason.lazy(
              sb ->
                  sb.append("IMPLICITLY_DENIED: ")
                      .append(action)
                      .append(" cannot be used across accounts (")
                      .append(from)
                      .append(
                          "); only cryptographic operations, CreateGrant, DescribeKey,"
                              + " GetKeyRotationStatus, GetPublicKey, ListGrants, RetireGrant and"
                              + " RevokeGrant can")
                      .append(SUFFIX)));
    }

    CompiledStatement keyAllow = directAllow != null ? directAllow : accountAllow;
    if (keyAllow != null) {
      boolean delegated = directAllow == null && !root;
      if (!cross && !delegated) {
        return allowed(keyAllow, request, null);
      }
      if (cross && root) {
        return allowed(keyAllow, request, null);
      }
      if (identityAllow != null) {
        return allowed(keyAllow, request, identityAllow);
      }
      // The decision rests on the caller's IAM policies.
      Decision viaGrant = grant(request);
      if (viaGrant != null) {
        return viaGrant;
      }
      return delegatedDenial(request, keyAllow, cross, account, identitySupplied);
    }

    Decision viaGrant = grant(request);
    if (viaGrant != null) {
      return viaGrant;
    }
    return implicitlyDenied(request, arn, identityAllow, nearMiss, nearMissCode);
  }

  private static Decision delegatedDenial(
      AccessRequest request,
      CompiledStatement keyAllow,
      boolean cross,
      @Nullable String account,
      boolean identitySupplied) {
    return new Decision(
        Decision.Outcome.IMPLICITLY_DENIED,
        true,
        keyAllow.refs,
        identitySupplied ? NOT_SUPPLIED : NOT_SUPPLIED_WITH_IAM,
        Decision.Reason.lazy(
            sb -> delegatedText(sb, request, keyAllow, cross, account, identitySupplied)));
  }

  private static void delegatedText(
      StringBuilder sb,
      AccessRequest request,
      CompiledStatement keyAllow,
      boolean cross,
      @Nullable String account,
      boolean identitySupplied) {
    String callerAccount = request.account();
    KmsAction action = request.action();
    if (cross) {
      sb.append("IMPLICITLY_DENIED: cross-account request from account ")
          .append(callerAccount)
          .append(" to a key in account ")
          .append(account)
          .append(": ")
          .append(keyAllow.label)
          .append(" allows it, but the caller's IAM policies must allow it too");
    } else {
      sb.append("IMPLICITLY_DENIED: ")
          .append(keyAllow.label)
          .append(" delegates to the IAM policies of account ")
          .append(callerAccount);
    }
    if (identitySupplied) {
      sb.append("; the identity policies supplied for ")
          .append(request.principal())
          .append(" do not allow ")
          .append(action)
          .append(SUFFIX);
    } else {
      sb.append("; no identity policy was supplied for ")
          .append(request.principal())
          .append(", so the caller's IAM policies would decide")
          .append(SUFFIX_WITH_IAM);
    }
  }

  private @Nullable List<CompiledIdentity> identityFor(AccessRequest r) {
    if (identityByArn.isEmpty()) {
      return null;
    }
    List<CompiledIdentity> direct = identityByArn.get(r.callerArn());
    if (r.kind() == AccessRequest.CallerKind.ROOT && direct == null) {
      direct = identityByArn.get(r.principal());
    }
    List<CompiledIdentity> role = null;
    if (r.kind() == AccessRequest.CallerKind.SESSION || r.kind() == AccessRequest.CallerKind.ROLE) {
      role = identityByRole.get(r.account() + ":" + r.roleName());
    }
    if (role == null || role == direct) {
      return direct;
    }
    if (direct == null) {
      return role;
    }
    List<CompiledIdentity> both = new ArrayList<>(direct);
    for (CompiledIdentity c : role) {
      if (!both.contains(c)) {
        both.add(c);
      }
    }
    return both;
  }

  private @Nullable Decision grant(AccessRequest request) {
    for (CompiledGrant g : grants) {
      String why = g.allows(request, symmetric);
      if (why != null) {
        return new Decision(
            Decision.Outcome.ALLOWED,
            false,
            g.refs,
            NOT_SUPPLIED,
            Decision.Reason.lazy(
                sb ->
                    sb.append("ALLOWED by ")
                        .append(g.ref.source())
                        .append(": grantee ")
                        .append(request.principal())
                        .append(" matches, operation ")
                        .append(request.action().name().substring(4))
                        .append(" is granted")
                        .append(why)
                        .append(SUFFIX)));
      }
    }
    return null;
  }

  private static Decision allowed(
      CompiledStatement key, AccessRequest request, @Nullable CompiledStatement identity) {
    if (identity == null) {
      return new Decision(
          Decision.Outcome.ALLOWED,
          false,
          key.refs,
          NOT_SUPPLIED,
          Decision.Reason.lazy(sb -> allowedText(sb, key, request, null)));
    }
    return new Decision(
        Decision.Outcome.ALLOWED,
        true,
        List.of(key.ref, identity.ref),
        NOT_SUPPLIED,
        Decision.Reason.lazy(sb -> allowedText(sb, key, request, identity)));
  }

  private static void allowedText(
      StringBuilder sb,
      CompiledStatement key,
      AccessRequest request,
      @Nullable CompiledStatement identity) {
    sb.append("ALLOWED by ").append(key.label);
    if (identity == null) {
      sb.append(": principal ").append(request.principal());
      if (key.notPrincipal) {
        sb.append(" is not excluded by NotPrincipal (Allow with NotPrincipal is not supported by")
            .append(" AWS; read as everyone except the named)");
      } else {
        int p = key.matchingPattern(request);
        PrincipalPattern pattern = p < 0 || key.principals == null ? null : key.principals[p];
        if (pattern != null && pattern.type == PrincipalPattern.Type.ACCOUNT) {
          sb.append(" (the account's root user) matches ").append(pattern.value);
        } else if (pattern != null
            && (pattern.type == PrincipalPattern.Type.WILDCARD
                || pattern.type == PrincipalPattern.Type.WILDCARD_ACCOUNT)) {
          sb.append(" matches the partial wildcard ")
              .append(pattern.value)
              .append(" (not accepted by IAM; read as broadly as it could match)");
        } else {
          sb.append(" matches");
          if (pattern != null) {
            sb.append(' ').append(pattern.value);
          }
        }
      }
      sb.append(", action ").append(request.action()).append(" matches, ");
      conditionsHold(sb, key, request);
      sb.append(SUFFIX);
      return;
    }
    sb.append(" (which lets IAM policies allow account ")
        .append(request.account())
        .append(") and ")
        .append(identity.label)
        .append(": action ")
        .append(request.action())
        .append(" matches, ");
    conditionsHold(sb, identity, request);
    sb.append(SUFFIX);
  }

  private static void conditionsHold(StringBuilder sb, CompiledStatement s, AccessRequest r) {
    if (s.conditions.length == 0) {
      sb.append("no conditions");
      return;
    }
    sb.append("conditions hold (");
    for (int i = 0; i < s.conditions.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      appendKeyValue(sb, s.conditions[i], r);
    }
    sb.append(')');
  }

  private static void appendKeyValue(StringBuilder sb, CompiledCondition c, AccessRequest r) {
    sb.append(c.keyName());
    List<String> v = r.lookupLower(c.lowerKey);
    if (v == AccessRequest.UNKNOWN) {
      sb.append(" unknown");
    } else if (v == null) {
      sb.append(" absent");
    } else if (v.size() == 1) {
      sb.append('=').append(v.get(0));
    } else {
      sb.append('=').append(v);
    }
  }

  private static void describeCondition(
      StringBuilder sb, CompiledCondition c, int result, AccessRequest r) {
    sb.append("condition ").append(c.source.operator()).append(' ').append(c.keyName());
    if (result == CompiledCondition.CANNOT_TELL) {
      sb.append(" cannot be evaluated (");
      if (!c.isKnownOperator()) {
        sb.append("operator ").append(c.source.operator()).append(" is unknown");
      } else if (r.lookupLower(c.lowerKey) == AccessRequest.UNKNOWN) {
        sb.append(c.keyName()).append(" is unknown");
        if (c.lowerKey.equals("aws:principalarn")) {
          sb.append(": the role path of session ").append(r.principal()).append(" was not given");
        }
      } else {
        sb.append("a policy variable's value is unknown");
      }
      sb.append(')');
    } else {
      sb.append(" does not hold (request: ");
      List<String> v = r.lookupLower(c.lowerKey);
      sb.append(v == null ? "absent" : v.size() == 1 ? v.get(0) : v.toString()).append(')');
    }
  }

  private static Decision denied(CompiledStatement s, int code, AccessRequest request) {
    return new Decision(
        Decision.Outcome.EXPLICITLY_DENIED,
        false,
        s.refs,
        NOT_SUPPLIED,
        Decision.Reason.lazy(sb -> deniedText(sb, s, code, request)));
  }

  private static void deniedText(
      StringBuilder sb, CompiledStatement s, int code, AccessRequest request) {
    sb.append("EXPLICITLY_DENIED by ").append(s.label).append(": principal ");
    sb.append(request.principal());
    if (s.principals == null) {
      sb.append(" (the identity policy's holder)");
    } else if (s.notPrincipal) {
      sb.append(" is not exempted by NotPrincipal");
      if (request.hasPermissionsBoundary()) {
        sb.append(" (it has a permissions boundary, which a Deny with NotPrincipal always denies)");
      }
    } else {
      sb.append(" matches");
    }
    sb.append(", action ").append(request.action()).append(" matches, ");
    if ((code & 3) == CompiledCondition.CANNOT_TELL) {
      describeCondition(sb, s.conditions[code >>> 2], CompiledCondition.CANNOT_TELL, request);
      sb.append(", so this Deny is treated as applying");
    } else {
      conditionsHold(sb, s, request);
    }
    sb.append(SUFFIX);
  }

  private static Decision implicitlyDenied(
      AccessRequest request,
      String arn,
      @Nullable CompiledStatement identityAllow,
      @Nullable CompiledStatement nearMiss,
      int nearMissCode) {
    List<StatementRef> refs =
        identityAllow != null ? identityAllow.refs : nearMiss != null ? nearMiss.refs : List.of();
    return new Decision(
        Decision.Outcome.IMPLICITLY_DENIED,
        false,
        refs,
        NOT_SUPPLIED,
        Decision.Reason.lazy(
            sb -> implicitText(sb, request, arn, identityAllow, nearMiss, nearMissCode)));
  }

  private static void implicitText(
      StringBuilder sb,
      AccessRequest request,
      String arn,
      @Nullable CompiledStatement identityAllow,
      @Nullable CompiledStatement nearMiss,
      int nearMissCode) {
    sb.append("IMPLICITLY_DENIED: no statement allows ")
        .append(request.principal())
        .append(" to ")
        .append(request.action())
        .append(" on ")
        .append(arn);
    if (identityAllow != null) {
      sb.append("; ")
          .append(identityAllow.label)
          .append(" allows it, but the key policy does not let IAM policies allow account ")
          .append(request.account());
    } else if (nearMiss != null) {
      sb.append("; nearest: ").append(nearMiss.label).append(" matches principal and action but ");
      int result = nearMissCode & 3;
      describeCondition(sb, nearMiss.conditions[nearMissCode >>> 2], result, request);
      if (result == CompiledCondition.CANNOT_TELL) {
        sb.append(", so this Allow is not counted");
      }
    }
    sb.append(SUFFIX);
  }

  /** An identity policy compiled for evaluation. */
  private static final class CompiledIdentity {
    final CompiledStatement[] statements;

    CompiledIdentity(IdentityPolicy p) {
      boolean variables = p.version() == PolicyVersion.V2012_10_17;
      statements = new CompiledStatement[p.statements().size()];
      for (int i = 0; i < statements.length; i++) {
        IdentityPolicy.IdentityStatement s = p.statements().get(i);
        StatementRef ref =
            new StatementRef(
                AccessSource.IAM_DELEGATION,
                "identity policy " + p.name(),
                new StatementPlace(i, s.sid(), p.pointerOf(i)));
        statements[i] =
            new CompiledStatement(
                ref,
                s.effect() == dev.kmsposture.policy.Effect.ALLOW,
                s.action(),
                s.resource(),
                s.conditions(),
                null,
                variables);
      }
    }
  }

  /** A grant compiled for evaluation. */
  private static final class CompiledGrant {
    private static final long EC_OPERATIONS =
        ActionIndex.maskOf(
            List.of(
                KmsAction.ENCRYPT,
                KmsAction.DECRYPT,
                KmsAction.RE_ENCRYPT_FROM,
                KmsAction.RE_ENCRYPT_TO,
                KmsAction.GENERATE_DATA_KEY,
                KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
                KmsAction.GENERATE_DATA_KEY_PAIR,
                KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT));
    private static final String EC_PREFIX = "kms:encryptioncontext:";

    final StatementRef ref;
    final List<StatementRef> refs;
    final PrincipalPattern grantee;
    final long mask;
    final Grant grant;

    CompiledGrant(Grant g) {
      this.grant = g;
      this.ref = new StatementRef(AccessSource.GRANT, "grant " + g.grantId(), null);
      this.refs = List.of(ref);
      this.grantee = PrincipalPattern.ofGrantee(g.granteePrincipal());
      List<KmsAction> ops = new ArrayList<>();
      for (String op : g.operations()) {
        ops.add(KmsAction.of("kms:" + op));
      }
      this.mask = ActionIndex.maskOf(ops);
    }

    /** Returns null when the grant does not allow the request, else the explanation's tail. */
    @Nullable String allows(AccessRequest r, boolean symmetric) {
      int index = r.actionIndex();
      if (index < 0 || (mask & (1L << index)) == 0) {
        return null;
      }
      int m = grantee.match(r);
      if (m != PrincipalPattern.DIRECT
          && !(m == PrincipalPattern.ACCOUNT && grantee.type == PrincipalPattern.Type.ACCOUNT)) {
        return null;
      }
      boolean constrained =
          !grant.encryptionContextEquals().isEmpty() || !grant.encryptionContextSubset().isEmpty();
      if (!constrained) {
        return "";
      }
      if (!symmetric || (EC_OPERATIONS & (1L << index)) == 0) {
        return " (its encryption context constraint does not apply to this operation)";
      }
      Map<String, String> context = new HashMap<>();
      for (Map.Entry<String, List<String>> e : r.context().entrySet()) {
        String k = e.getKey();
        if (k.length() > EC_PREFIX.length()
            && k.regionMatches(true, 0, EC_PREFIX, 0, EC_PREFIX.length())
            && e.getValue().size() == 1) {
          context.put(
              k.substring(EC_PREFIX.length()).toLowerCase(Locale.ROOT), e.getValue().get(0));
        }
      }
      Map<String, String> required =
          grant.encryptionContextEquals().isEmpty()
              ? grant.encryptionContextSubset()
              : grant.encryptionContextEquals();
      for (Map.Entry<String, String> e : required.entrySet()) {
        String v = context.get(e.getKey().toLowerCase(Locale.ROOT));
        if (v == null || !v.equals(e.getValue())) {
          return null;
        }
      }
      if (!grant.encryptionContextEquals().isEmpty() && context.size() != required.size()) {
        return null;
      }
      return grant.encryptionContextEquals().isEmpty()
          ? " and the encryption context includes its EncryptionContextSubset"
          : " and the encryption context equals its EncryptionContextEquals";
    }
  }

  /** Builds a {@link KeyAccessEvaluator}. Not thread-safe. */
  public static final class Builder {
    private @Nullable KeyPolicy keyPolicy;
    private @Nullable String keyArn;
    private boolean symmetric = true;
    private final Map<String, List<IdentityPolicy>> identity = new java.util.LinkedHashMap<>();
    private final List<Grant> grants = new ArrayList<>();

    private Builder() {}

    /** Sets the key policy (required). */
    public Builder keyPolicy(KeyPolicy keyPolicy) {
      this.keyPolicy = Objects.requireNonNull(keyPolicy, "keyPolicy");
      return this;
    }

    /**
     * Sets the key's ARN, used when a request names no key; its account decides same-account versus
     * cross-account.
     */
    public Builder keyArn(String keyArn) {
      Objects.requireNonNull(keyArn, "keyArn");
      if (Arn.tryParse(keyArn).isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                "key ARN [%s] is not an ARN; expected" + " arn:aws:kms:REGION:ACCOUNT:key/KEY_ID",
                keyArn));
      }
      this.keyArn = keyArn;
      return this;
    }

    /**
     * Sets whether the key is a symmetric encryption key (the default, true). Grant encryption
     * context constraints apply only to symmetric encryption keys.
     */
    public Builder symmetricEncryptionKey(boolean symmetric) {
      this.symmetric = symmetric;
      return this;
    }

    /**
     * Adds an identity policy of the principal {@code principalArn} (a user, a role, a session, or
     * a role ARN whose sessions it applies to).
     */
    public Builder addIdentityPolicy(String principalArn, IdentityPolicy policy) {
      Objects.requireNonNull(principalArn, "principalArn");
      Objects.requireNonNull(policy, "policy");
      identity.computeIfAbsent(principalArn, k -> new ArrayList<>()).add(policy);
      return this;
    }

    /** Adds a grant on the key. */
    public Builder addGrant(Grant grant) {
      grants.add(Objects.requireNonNull(grant, "grant"));
      return this;
    }

    /**
     * Compiles the policies into an evaluator.
     *
     * @throws IllegalStateException if the key policy is not set
     */
    public KeyAccessEvaluator build() {
      if (keyPolicy == null) {
        throw new IllegalStateException("keyPolicy is not set");
      }
      return new KeyAccessEvaluator(this);
    }
  }
}

package dev.kmsposture.leastprivilege;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionKey;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.NarrowingKey;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The builder's own checks, computed from the statements it generated (and any insecure ones): it
 * knows exactly what it emits, so these do not need the access evaluator.
 */
final class PolicyChecks {

  /** One statement and where it came from. */
  record Part(Origin origin, Statement statement, @Nullable String reason) {
    static Part of(Statement s) {
      return new Part(Origin.ROLE, s, null);
    }

    static Part breakGlass(Statement s) {
      return new Part(Origin.BREAK_GLASS, s, null);
    }

    static Part insecure(Statement s, String reason) {
      return new Part(Origin.INSECURE, s, reason);
    }
  }

  /** Where a statement came from. */
  enum Origin {
    BREAK_GLASS,
    ROLE,
    INSECURE
  }

  private final AccountId account;
  private final String partition;
  private final @Nullable String caller;

  PolicyChecks(AccountId account, String partition, @Nullable String caller) {
    this.account = account;
    this.partition = partition;
    this.caller = caller;
  }

  List<BuilderFinding> check(List<Part> parts) {
    List<BuilderFinding> out = new ArrayList<>();
    for (Part part : parts) {
      Statement s = part.statement();
      if (part.origin() == Origin.INSECURE) {
        out.add(
            BuilderFinding.of(
                BuilderFinding.Code.INSECURE_STATEMENT,
                String.format(
                    "statement [%s] was added with insecureAddStatement; reason: %s",
                    s.sid(), part.reason())));
      }
      if (!s.isAllow()) {
        continue;
      }
      publicPrincipal(s).ifPresent(out::add);
      if (part.origin() != Origin.BREAK_GLASS) {
        if (s.isNotAction() || s.actions().stream().anyMatch(PolicyChecks::isAll)) {
          out.add(
              BuilderFinding.of(
                  BuilderFinding.Code.KMS_ALL_OUTSIDE_BREAK_GLASS,
                  String.format(
                      "statement [%s] allows %s, which only the break-glass statement may do",
                      s.sid(), s.isNotAction() ? "everything but its NotAction list" : "kms:*")));
        }
        if (!s.isNotAction()
            && s.actions().stream().anyMatch(a -> a.matches(KmsAction.CREATE_GRANT))
            && s.conditions().stream().noneMatch(PolicyChecks::grantIsForAwsResource)) {
          out.add(
              BuilderFinding.of(
                  BuilderFinding.Code.CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION,
                  String.format(
                      "statement [%s] allows kms:CreateGrant without Bool"
                          + " kms:GrantIsForAWSResource true, so the grantee could pass the key's"
                          + " use on to any principal; use grantUsers(...)",
                      s.sid())));
        }
        for (Principal p : s.principals()) {
          if (!s.isNotPrincipal() && isOwnRoot(p)) {
            out.add(
                BuilderFinding.of(
                    BuilderFinding.Code.ROOT_PRINCIPAL_OUTSIDE_BREAK_GLASS,
                    String.format(
                        "statement [%s] names the account root [%s], which hands the statement to"
                            + " every IAM policy in account [%s]; name roles, or choose"
                            + " breakGlass(...)",
                        s.sid(), p.value(), account)));
          }
        }
      } else if (s.actions().stream().anyMatch(PolicyChecks::isAll)) {
        out.add(
            BuilderFinding.of(
                BuilderFinding.Code.ROOT_DELEGATION,
                String.format(
                    "statement [%s] gives kms:* to the account root [%s]: every IAM policy in"
                        + " account [%s] that allows KMS actions can use and manage this key; for"
                        + " a production key prefer BreakGlass.rootRestrictedTo(role) or"
                        + " BreakGlass.none()",
                    s.sid(), account.rootArn(partition), account)));
      }
    }
    out.addAll(adminCanUse(parts));
    out.addAll(lockout(parts));
    return out;
  }

  List<BuilderFinding> checkSize(KeyPolicy policy) {
    long size = policy.compactSize();
    if (size > KeyPolicy.MAX_BYTES) {
      return List.of(
          BuilderFinding.of(
              BuilderFinding.Code.POLICY_TOO_LARGE,
              String.format(
                  "the policy is [%d] bytes as compact JSON, over the KMS limit of %d bytes; use"
                      + " fewer principals (for example one role per workload), or tag-based"
                      + " access",
                  size, KeyPolicy.MAX_BYTES)));
    }
    return List.of();
  }

  private static boolean grantIsForAwsResource(Condition c) {
    return c.operator().name().equals("Bool")
        && c.key().sameKeyAs(ConditionKey.KMS_GRANT_IS_FOR_AWS_RESOURCE)
        && c.valueTexts().equals(List.of("true"));
  }

  private static boolean isAll(KmsAction a) {
    return a.matches(KmsAction.PUT_KEY_POLICY) && a.matches(KmsAction.DECRYPT);
  }

  private boolean isOwnRoot(Principal p) {
    return p instanceof Principal.Aws aws
        && aws.kind() == Principal.AwsKind.ACCOUNT
        && aws.accountId().map(account::equals).orElse(false);
  }

  private static Optional<BuilderFinding> publicPrincipal(Statement s) {
    String who = null;
    if (s.isNotPrincipal()) {
      who = "NotPrincipal (every principal but those listed)";
    } else {
      for (Principal p : s.principals()) {
        boolean wild =
            p.isEveryone()
                || (p instanceof Principal.Aws aws
                    && aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD);
        if (wild) {
          who = p.value();
          break;
        }
      }
    }
    if (who == null || narrowed(s)) {
      return Optional.empty();
    }
    return Optional.of(
        BuilderFinding.of(
            BuilderFinding.Code.PUBLIC_PRINCIPAL,
            String.format(
                "statement [%s] allows principal [%s] without a condition that limits the caller's"
                    + " account or organization: the key would be public",
                s.sid(), who)));
  }

  private static boolean narrowed(Statement s) {
    for (Condition c : s.conditions()) {
      if (!c.operator().isNegated()
          && !c.operator().ifExists()
          && NarrowingKey.of(c.key()).map(NarrowingKey::narrowsToAccounts).orElse(false)
          && !c.values().isEmpty()
          && c.valueTexts().stream().noneMatch(v -> v.contains("*") || v.contains("?"))) {
        return true;
      }
    }
    return false;
  }

  // Administration: any management action that is neither read-only nor grant management (which
  // grant users hold for AWS resources). Use: a cryptographic action or CreateGrant.
  private static boolean administers(KmsAction a) {
    for (KmsAction admin : Actions.ADMINISTRATION) {
      if (!Actions.AUDIT.contains(admin) && !Actions.GRANTS.contains(admin) && a.matches(admin)) {
        return true;
      }
    }
    return false;
  }

  private static boolean uses(KmsAction a) {
    if (a.matches(KmsAction.CREATE_GRANT)) {
      return true;
    }
    for (KmsAction c : KmsAction.cryptographic()) {
      if (a.matches(c)) {
        return true;
      }
    }
    return false;
  }

  private static List<BuilderFinding> adminCanUse(List<Part> parts) {
    Map<String, String> adminSid = new TreeMap<>();
    Map<String, String> useSid = new TreeMap<>();
    for (Part part : parts) {
      Statement s = part.statement();
      if (part.origin() == Origin.BREAK_GLASS || !s.isAllow() || s.isNotPrincipal()) {
        continue;
      }
      boolean admin = s.isNotAction() || s.actions().stream().anyMatch(PolicyChecks::administers);
      boolean use = s.isNotAction() || s.actions().stream().anyMatch(PolicyChecks::uses);
      for (Principal p : s.principals()) {
        if (admin) {
          adminSid.putIfAbsent(p.value(), s.sid());
        }
        if (use) {
          useSid.putIfAbsent(p.value(), s.sid());
        }
      }
    }
    List<BuilderFinding> out = new ArrayList<>();
    for (Map.Entry<String, String> e : adminSid.entrySet()) {
      String use = useSid.get(e.getKey());
      if (use != null) {
        out.add(
            BuilderFinding.of(
                BuilderFinding.Code.ADMIN_CAN_USE,
                String.format(
                    "principal [%s] administers the key (statement [%s]) and uses it (statement"
                        + " [%s]); keep the roles apart, or call acknowledgeAdminCanUse(reason)",
                    e.getKey(), e.getValue(), use)));
      }
    }
    return out;
  }

  private List<BuilderFinding> lockout(List<Part> parts) {
    boolean anyone = false;
    boolean callerCan = false;
    for (Part part : parts) {
      Statement s = part.statement();
      if (!allowsPutKeyPolicy(s)) {
        continue;
      }
      anyone = true;
      if (caller != null && coversCaller(s, caller)) {
        callerCan = true;
      }
    }
    if (!anyone) {
      return List.of(
          BuilderFinding.of(
              BuilderFinding.Code.NOBODY_CAN_PUT_KEY_POLICY,
              "no statement allows kms:PutKeyPolicy, so nobody could ever change the policy; name"
                  + " an administrator with administrators(...) or choose breakGlass(...)"));
    }
    if (caller != null && !callerCan) {
      return List.of(
          BuilderFinding.of(
              BuilderFinding.Code.CALLER_LOCKED_OUT,
              String.format(
                  "caller [%s] could not call kms:PutKeyPolicy under this policy, directly or"
                      + " through the account root, so KMS would reject it (lockout safety"
                      + " check); make the caller an administrator or the break-glass role",
                  caller)));
    }
    return List.of();
  }

  // An Allow with a Principal element that lets someone call PutKeyPolicy on this key, with no
  // condition other than an aws:PrincipalArn restriction (which coversCaller evaluates).
  private static boolean allowsPutKeyPolicy(Statement s) {
    if (!s.isAllow() || s.isNotPrincipal() || s.action() == null || s.resource() == null) {
      return false;
    }
    boolean action =
        s.isNotAction()
            ? s.actions().stream().noneMatch(a -> a.matches(KmsAction.PUT_KEY_POLICY))
            : s.actions().stream().anyMatch(a -> a.matches(KmsAction.PUT_KEY_POLICY));
    boolean resource = !s.isNotResource() && s.resources().contains("*");
    boolean conditions =
        s.conditions().stream()
            .allMatch(
                c ->
                    c.key().sameKeyAs(ConditionKey.AWS_PRINCIPAL_ARN)
                        && c.operator().base().startsWith("Arn")
                        && !c.operator().isNegated());
    return action && resource && conditions;
  }

  private boolean coversCaller(Statement s, String callerArn) {
    Principal.Aws c = Principal.aws(callerArn);
    // The principal element is matched by the evaluator's own matcher (the one the access
    // analysis and KMS's lockout check read): the caller itself, its role (for a session, whatever
    // the role's path), everyone, or its account (root delegation, which KMS's lockout check
    // counts). The conditions (aws:PrincipalArn only, see allowsPutKeyPolicy) are read below.
    String keyArn = "arn:" + partition + ":kms:us-east-1:" + account.value() + ":key/lockout-check";
    KeyAccessEvaluator principalOnly =
        KeyAccessEvaluator.builder()
            .keyPolicy(
                KeyPolicy.builder()
                    .statements(List.of(s.toBuilder().conditions(List.of()).build()))
                    .build())
            .keyArn(keyArn)
            .build();
    Decision d =
        principalOnly.evaluate(
            AccessRequest.builder()
                .principal(callerArn)
                .action(KmsAction.PUT_KEY_POLICY)
                .resource(keyArn)
                .build());
    if (!d.isAllowed() && !d.delegatedToIam()) {
      return false;
    }
    for (Condition cond : s.conditions()) {
      boolean any = false;
      for (String pattern : cond.valueTexts()) {
        any |= Glob.matches(pattern, callerArn, false) || sessionOfRole(c, pattern);
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  // Whether the caller is a session of the role (its aws:PrincipalArn is the role's ARN).
  // a session ARN resource is assumed-role/ROLE/SESSION; trailing empty parts do not matter.
  @SuppressWarnings("StringSplitter")
  private static boolean sessionOfRole(Principal.Aws caller, String roleArn) {
    if (caller.kind() != Principal.AwsKind.ASSUMED_ROLE_SESSION) {
      return false;
    }
    Optional<Arn> role = Arn.tryParse(roleArn);
    Arn session = caller.arn().orElseThrow();
    if (role.isEmpty() || !role.get().resource().startsWith("role/")) {
      return false;
    }
    String roleName = role.get().resource().substring(role.get().resource().lastIndexOf('/') + 1);
    String sessionRole = session.resource().split("/")[1];
    return role.get().account().equals(session.account())
        && role.get().partition().equals(session.partition())
        && Glob.matches(roleName, sessionRole, false);
  }
}

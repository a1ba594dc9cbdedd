package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The lockout verdicts of {@link AccessAnalysis}: can anyone still change the key policy, and would
 * KMS's lockout safety check let a given caller send it.
 */
final class LockoutAnalysis {
  private final AccessTable table;
  final boolean risk;
  final String explanation;
  final List<StatementReason> reasons;

  LockoutAnalysis(AccessTable table) {
    this.table = table;
    List<StatementReason> lockReasons = new ArrayList<>();
    boolean someone = false;
    boolean deniedToAll = false;
    for (StatementView v : table.views) {
      if (v.whyIneffective != null || !v.actions.contains(KmsAction.PUT_KEY_POLICY)) {
        continue;
      }
      if (!v.statement.isAllow()) {
        if (!v.statement.isNotPrincipal()
            && v.statement.principals().stream().anyMatch(Principal::isEveryone)
            && v.statement.conditions().isEmpty()) {
          deniedToAll = true;
          lockReasons.add(
              v.reason(
                  ReasonCode.DENIES_PUT_KEY_POLICY,
                  "denies kms:PutKeyPolicy to everyone without a condition, so no principal can"
                      + " change the policy"));
        }
        continue;
      }
      for (Grantee g : table.grantees(v)) {
        if (g.kind().isNobody()) {
          lockReasons.add(
              v.reason(
                  ReasonCode.ALLOWS_PUT_KEY_POLICY_TO_NOBODY,
                  "allows kms:PutKeyPolicy only to " + g.label() + ", which no caller can act as"));
        } else {
          someone = true;
          lockReasons.add(
              v.reason(
                  ReasonCode.ALLOWS_PUT_KEY_POLICY, "allows kms:PutKeyPolicy to " + g.label()));
        }
      }
    }
    this.risk = deniedToAll || !someone;
    if (deniedToAll) {
      this.explanation =
          "A Deny statement takes kms:PutKeyPolicy from everyone: nobody can change the policy.";
    } else if (!someone) {
      this.explanation =
          lockReasons.isEmpty()
              ? "No statement allows kms:PutKeyPolicy: nobody can change the policy, and AWS"
                  + " Support would have to restore access."
              : "Only deleted or unrecognized principals are allowed kms:PutKeyPolicy: nobody can"
                  + " change the policy.";
    } else {
      this.explanation =
          "At least one principal (or the account, through IAM) is allowed kms:PutKeyPolicy.";
    }
    this.reasons = List.copyOf(lockReasons);
  }

  LockoutCheck canPutKeyPolicy(String callerArn) {
    Objects.requireNonNull(callerArn, "callerArn");
    Caller caller = Caller.parse(callerArn);
    if (!caller.account.equals(table.keyAccount)) {
      return new LockoutCheck(
          false,
          String.format(
              "the caller [%s] is in account %s, not the key's account %s; kms:PutKeyPolicy does"
                  + " not work across accounts",
              callerArn, caller.account, table.keyAccount),
          List.of());
    }
    List<StatementReason> direct = new ArrayList<>();
    List<StatementReason> delegated = new ArrayList<>();
    for (int i = 0; i < table.views.size(); i++) {
      StatementView v = table.view(i);
      if (v.whyIneffective != null || !v.actions.contains(KmsAction.PUT_KEY_POLICY)) {
        continue;
      }
      Statement s = v.statement;
      if (!s.isAllow()) {
        if (s.conditions().isEmpty() && !s.isNotPrincipal() && caller.matchesAny(s.principals())) {
          return new LockoutCheck(
              false,
              "an unconditional Deny of kms:PutKeyPolicy names the caller, so KMS would refuse the"
                  + " policy",
              List.of(
                  v.reason(
                      ReasonCode.DENIES_CALLER,
                      "denies kms:PutKeyPolicy to the caller without a condition")));
        }
        continue;
      }
      String conds = s.conditions().isEmpty() ? "" : " (its conditions are read as possibly met)";
      if (s.isNotPrincipal()) {
        if (!caller.isExemptBy(s.principals())) {
          direct.add(
              v.reason(
                  ReasonCode.ALLOWS_CALLER,
                  "allows kms:PutKeyPolicy to everyone not in its NotPrincipal, which includes the"
                      + " caller"
                      + conds));
        }
        continue;
      }
      for (Principal p : s.principals()) {
        if (caller.matchesDirectly(p)) {
          direct.add(
              v.reason(
                  ReasonCode.ALLOWS_CALLER, "allows kms:PutKeyPolicy to " + p.value() + conds));
        } else if (p instanceof Principal.Aws
            && ((Principal.Aws) p).kind() == Principal.AwsKind.ACCOUNT
            && ((Principal.Aws) p).accountId().map(caller.account::equals).orElse(false)) {
          delegated.add(
              v.reason(
                  ReasonCode.ALLOWS_CALLER_ACCOUNT,
                  "allows kms:PutKeyPolicy to account "
                      + caller.account
                      + ", delegating to its IAM policies"
                      + conds));
        }
      }
    }
    if (!direct.isEmpty()) {
      return new LockoutCheck(
          true,
          "the policy allows the caller kms:PutKeyPolicy directly, so KMS's lockout safety check"
              + " passes",
          direct);
    }
    if (!delegated.isEmpty()) {
      return new LockoutCheck(
          true,
          "the policy allows kms:PutKeyPolicy to the caller's account, so IAM policies decide and"
              + " KMS's lockout safety check passes; the caller still needs an IAM policy that"
              + " allows kms:PutKeyPolicy to change the policy later",
          delegated);
    }
    return new LockoutCheck(
        false,
        "no Allow statement gives kms:PutKeyPolicy to the caller, its role or its account, so KMS"
            + " would refuse the policy (The new key policy will not allow you to update the key"
            + " policy in the future)",
        List.of());
  }

  /** The caller of the lockout check. */
  private static final class Caller {
    final String arn;
    final AccountId account;
    final Principal.AwsKind kind;
    final @Nullable String roleName;

    private Caller(String arn, AccountId account, Principal.AwsKind kind, @Nullable String role) {
      this.arn = arn;
      this.account = account;
      this.kind = kind;
      this.roleName = role;
    }

    static Caller parse(String arn) {
      Principal.Aws p = Principal.aws(arn);
      switch (p.kind()) {
        case ACCOUNT:
        case ROLE:
        case USER:
        case ASSUMED_ROLE_SESSION:
        case FEDERATED_USER_SESSION:
          break;
        default:
          throw new IllegalArgumentException(
              String.format(
                  "caller [%s] is not a user, role, role session or account root ARN; expected"
                      + " e.g. arn:aws:iam::111122223333:role/Admin",
                  arn));
      }
      String role = null;
      if (p.kind() == Principal.AwsKind.ASSUMED_ROLE_SESSION) {
        String res = p.arn().orElseThrow().resource();
        role = res.substring("assumed-role/".length(), res.indexOf('/', "assumed-role/".length()));
      } else if (p.kind() == Principal.AwsKind.ROLE) {
        String res = p.arn().orElseThrow().resource();
        role = res.substring(res.lastIndexOf('/') + 1);
      }
      return new Caller(
          p.kind() == Principal.AwsKind.ACCOUNT ? p.accountId().orElseThrow().rootArn() : arn,
          p.accountId().orElseThrow(),
          p.kind(),
          role);
    }

    boolean matchesAny(List<Principal> principals) {
      for (Principal p : principals) {
        if (matchesDirectly(p)) {
          return true;
        }
        // In NotPrincipal and Deny, the account also covers its users and roles.
        if (p instanceof Principal.Aws
            && ((Principal.Aws) p).kind() == Principal.AwsKind.ACCOUNT
            && ((Principal.Aws) p).accountId().map(account::equals).orElse(false)) {
          return true;
        }
      }
      return false;
    }

    // IAM "NotPrincipal": an account exempts only its root user, and a session is exempt only
    // when both its session ARN and its role are listed.
    boolean isExemptBy(List<Principal> principals) {
      boolean self = false;
      boolean role = false;
      for (Principal p : principals) {
        if (p.isEveryone() && !(p instanceof Principal.Service)) {
          return true;
        }
        if (!(p instanceof Principal.Aws)) {
          continue;
        }
        Principal.Aws aws = (Principal.Aws) p;
        if (aws.kind() == Principal.AwsKind.ACCOUNT) {
          self |=
              kind == Principal.AwsKind.ACCOUNT
                  && aws.accountId().map(account::equals).orElse(false);
        } else if (aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
          self |= Glob.matches(aws.value(), arn, false);
        } else {
          self |= aws.value().equals(arn);
        }
        // IAM: a session is exempt only when its role ARN is listed too (the session ARN alone
        // matches `self`, not `role`), as the evaluator reads NotPrincipal.
        role |=
            kind == Principal.AwsKind.ASSUMED_ROLE_SESSION
                && aws.kind() == Principal.AwsKind.ROLE
                && matchesDirectly(p);
      }
      return self && (kind != Principal.AwsKind.ASSUMED_ROLE_SESSION || role);
    }

    // A key-policy principal that names this caller itself (not through IAM delegation).
    boolean matchesDirectly(Principal p) {
      if (p.isEveryone() && !(p instanceof Principal.Service)) {
        return true;
      }
      if (!(p instanceof Principal.Aws)) {
        return false;
      }
      Principal.Aws aws = (Principal.Aws) p;
      switch (aws.kind()) {
        case ACCOUNT:
          return kind == Principal.AwsKind.ACCOUNT
              && aws.accountId().map(account::equals).orElse(false);
        case ROLE:
          // A role session matches its role; the session ARN does not carry the role's path.
          if (kind == Principal.AwsKind.ASSUMED_ROLE_SESSION) {
            String res = aws.arn().orElseThrow().resource();
            return aws.accountId().map(account::equals).orElse(false)
                && res.substring(res.lastIndexOf('/') + 1).equals(roleName);
          }
          return aws.value().equals(arn);
        case USER:
        case ASSUMED_ROLE_SESSION:
        case FEDERATED_USER_SESSION:
          return aws.value().equals(arn);
        case PARTIAL_WILDCARD:
          if (Glob.matches(aws.value(), arn, false)) {
            return true;
          }
          // An account-root pattern such as arn:aws:iam::*:root is read as broadly as it could
          // match: every principal of every matching account.
          String[] parts = aws.value().split(":", 6);
          if (parts.length == 6 && parts[2].equals("iam") && parts[5].equals("root")) {
            return Glob.matches(parts[4], account.value(), false);
          }
          return roleName != null
              && kind == Principal.AwsKind.ASSUMED_ROLE_SESSION
              && Glob.matches(
                  aws.value(), "arn:aws:iam::" + account.value() + ":role/" + roleName, false);
        default:
          return false;
      }
    }
  }
}

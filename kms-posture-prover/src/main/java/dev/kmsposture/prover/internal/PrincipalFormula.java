package dev.kmsposture.prover.internal;

import com.microsoft.z3.BoolExpr;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.Principal;
import java.util.ArrayList;
import java.util.List;

/**
 * One principal of a {@code Principal}/{@code NotPrincipal} element as a formula over the request,
 * with the evaluator's reading (core's {@code PrincipalPattern}): a role ARN matches the role's
 * sessions whatever the path; an account matches its root user directly and its other principals
 * through IAM delegation; {@code *} matches everyone; a unique id matches nobody; a partial
 * wildcard is read as broadly as it could match.
 */
final class PrincipalFormula {

  private enum Type {
    EVERYONE,
    ACCOUNT,
    ROLE,
    EXACT,
    WILDCARD_ACCOUNT,
    WILDCARD,
    SERVICE,
    NEVER
  }

  /** How a principal element matches: directly, through the account's IAM, or not at all. */
  record Match(BoolExpr direct, BoolExpr account) {}

  private final Type type;
  private final String value;
  private final String account;
  private final String roleName;

  private PrincipalFormula(Type type, String value, String account, String roleName) {
    this.type = type;
    this.value = value;
    this.account = account;
    this.roleName = roleName;
  }

  static PrincipalFormula of(Principal p) {
    if (p instanceof Principal.Everyone) {
      return new PrincipalFormula(Type.EVERYONE, "*", "", "");
    }
    if (p instanceof Principal.Service) {
      return new PrincipalFormula(Type.SERVICE, p.value(), "", "");
    }
    if (!(p instanceof Principal.Aws aws)) {
      // Federated and CanonicalUser principals are not valid in key policies.
      return new PrincipalFormula(Type.NEVER, p.value(), "", "");
    }
    String v = aws.value();
    String acct = aws.accountId().map(a -> a.value()).orElse("");
    return switch (aws.kind()) {
      case EVERYONE -> new PrincipalFormula(Type.EVERYONE, v, "", "");
      case ACCOUNT -> new PrincipalFormula(Type.ACCOUNT, v, acct, "");
      case ROLE -> {
        String res = aws.arn().map(Arn::resource).orElse("");
        yield new PrincipalFormula(Type.ROLE, v, acct, res.substring(res.lastIndexOf('/') + 1));
      }
      case USER, ASSUMED_ROLE_SESSION, FEDERATED_USER_SESSION ->
          new PrincipalFormula(Type.EXACT, v, "", "");
      case UNIQUE_ID -> new PrincipalFormula(Type.NEVER, v, "", "");
      case PARTIAL_WILDCARD -> {
        Arn arn = aws.arn().orElse(null);
        if (arn != null && arn.service().equals("iam") && arn.resource().equals("root")) {
          yield new PrincipalFormula(Type.WILDCARD_ACCOUNT, v, arn.account(), "");
        }
        yield new PrincipalFormula(Type.WILDCARD, v, "", "");
      }
      default -> new PrincipalFormula(Type.EXACT, v, "", "");
    };
  }

  /** How this principal matches the caller (core's {@code PrincipalPattern.match}). */
  Match match(Request r) {
    Smt smt = r.smt;
    BoolExpr no = smt.bool(false);
    return switch (type) {
      case EVERYONE -> new Match(smt.bool(true), no);
      case ACCOUNT -> {
        BoolExpr same = smt.and(r.isAws(), r.accountText.is(account, smt));
        yield new Match(
            smt.and(same, r.is(Request.ROOT)), smt.and(same, smt.not(r.is(Request.ROOT))));
      }
      case ROLE ->
          new Match(
              smt.or(
                  smt.and(r.is(Request.ROLE), r.callerArn.is(value, smt)),
                  smt.and(
                      r.is(Request.SESSION),
                      r.nameText.is(roleName, smt),
                      r.accountText.is(account, smt))),
              no);
      case EXACT -> new Match(r.callerArn.is(value, smt), no);
      case WILDCARD_ACCOUNT ->
          new Match(
              smt.and(r.isAws(), r.accountText.matches(Pattern.glob(account, false), smt)), no);
      case WILDCARD -> new Match(smt.or(matchesSelf(r), matchesRoleOf(r)), no);
      case SERVICE -> new Match(matchesService(r), no);
      case NEVER -> new Match(no, no);
    };
  }

  private BoolExpr matchesService(Request r) {
    return r.smt.and(r.is(Request.SERVICE), r.callerArn.matches(Pattern.glob(value, true), r.smt));
  }

  /**
   * Whether this principal names the caller itself (for {@code NotPrincipal}): the root user by its
   * account, a user, role, session or federated user by its ARN, a service by its name.
   */
  BoolExpr matchesSelf(Request r) {
    Smt smt = r.smt;
    return switch (type) {
      case EVERYONE -> smt.bool(true);
      case ACCOUNT -> smt.and(r.is(Request.ROOT), r.accountText.is(account, smt));
      case ROLE -> smt.and(r.is(Request.ROLE), r.callerArn.is(value, smt));
      case EXACT -> r.callerArn.is(value, smt);
      case WILDCARD_ACCOUNT ->
          smt.and(r.is(Request.ROOT), r.accountText.matches(Pattern.glob(account, false), smt));
      case WILDCARD ->
          smt.and(
              smt.not(r.is(Request.SERVICE)),
              smt.not(r.is(Request.ANONYMOUS)),
              r.callerArn.matches(Pattern.glob(value, false), smt));
      case SERVICE -> matchesService(r);
      case NEVER -> smt.bool(false);
    };
  }

  /** Whether this principal names the role of a session caller. */
  BoolExpr matchesRoleOf(Request r) {
    Smt smt = r.smt;
    BoolExpr session = r.is(Request.SESSION);
    return switch (type) {
      case EVERYONE -> session;
      case ROLE -> smt.and(session, r.nameText.is(roleName, smt), r.accountText.is(account, smt));
      case WILDCARD ->
          smt.and(session, r.roleArnForMatching().matches(Pattern.glob(value, false), smt));
      default -> smt.bool(false);
    };
  }

  /**
   * Whether this principal names every session of a role caller (core's {@code
   * PrincipalPattern.matchesEverySessionOf}): everyone, or a wildcard ending in {@code *} that
   * covers {@code arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/*}, the star standing for any
   * session name.
   */
  BoolExpr matchesEverySessionOf(Request r) {
    Smt smt = r.smt;
    BoolExpr role = r.is(Request.ROLE);
    return switch (type) {
      case EVERYONE -> role;
      case WILDCARD ->
          value.endsWith("*")
              ? smt.and(role, r.everySessionOfRole.matches(Pattern.glob(value, false), smt))
              : smt.bool(false);
      default -> smt.bool(false);
    };
  }

  /**
   * The match of a whole {@code Principal} element (the best of its principals), or of a {@code
   * NotPrincipal} element: everyone it does not exempt, directly.
   */
  static Match element(
      List<PrincipalFormula> principals, boolean negated, boolean allow, Request r) {
    Smt smt = r.smt;
    if (negated) {
      return new Match(smt.not(exempts(principals, allow, r)), smt.bool(false));
    }
    List<BoolExpr> direct = new ArrayList<>();
    List<BoolExpr> account = new ArrayList<>();
    for (PrincipalFormula p : principals) {
      Match m = p.match(r);
      direct.add(m.direct());
      account.add(m.account());
    }
    BoolExpr d = smt.or(direct);
    return new Match(d, smt.and(smt.not(d), smt.or(account)));
  }

  /**
   * IAM "NotPrincipal" as the evaluator reads it: an account exempts only its root user; a session
   * is exempt only when both its session ARN and its role are listed; a caller with a permissions
   * boundary is never exempt from a Deny.
   *
   * <p>A role ARN as the caller stands for one of the role's sessions, its session name not known
   * (a role calls only through its sessions): it is exempt only when the role is listed and a
   * pattern covers every session of the role ({@code *}, or a wildcard over {@code
   * assumed-role/ROLE/}). So a Deny (or Allow) whose {@code NotPrincipal} lists only the role ARN
   * still applies to it. IAM "AWS JSON policy elements: NotPrincipal"
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
   * to exempt a role's sessions from a Deny, NotPrincipal must list the assumed-role session ARN as
   * well as the role ARN; the role ARN alone does not exempt them.
   */
  private static BoolExpr exempts(List<PrincipalFormula> principals, boolean allow, Request r) {
    Smt smt = r.smt;
    List<BoolExpr> self = new ArrayList<>();
    List<BoolExpr> role = new ArrayList<>();
    List<BoolExpr> everySession = new ArrayList<>();
    for (PrincipalFormula p : principals) {
      self.add(p.matchesSelf(r));
      role.add(p.matchesRoleOf(r));
      everySession.add(p.matchesEverySessionOf(r));
    }
    BoolExpr exempt =
        smt.and(
            smt.or(self),
            smt.or(smt.not(r.is(Request.SESSION)), smt.or(role)),
            smt.or(smt.not(r.is(Request.ROLE)), smt.or(everySession)));
    if (allow) {
      return exempt;
    }
    BoolExpr bounded =
        smt.and(r.boundary, smt.not(r.is(Request.SERVICE)), smt.not(r.is(Request.ANONYMOUS)));
    return smt.and(smt.not(bounded), exempt);
  }
}

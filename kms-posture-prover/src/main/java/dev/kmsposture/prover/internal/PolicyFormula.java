package dev.kmsposture.prover.internal;

import com.microsoft.z3.BoolExpr;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyVersion;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A key policy's decision on the symbolic request, as core's {@code KeyAccessEvaluator} makes it
 * from the key policy alone: an applicable Deny (its conditions met or undecidable) wins; anonymous
 * callers are refused; across accounts (and to a service principal) only the cross-account actions
 * can be used; an Allow that names the caller (or everyone) allows in the key's account, one that
 * names the account delegates to IAM; across accounts every Allow but one for the root user needs
 * the caller's IAM too.
 *
 * <p>The result is two formulas: "allowed at least if the caller's IAM policies allow" ({@code
 * atLeastIam}) and "allowed by the key policy alone" ({@code allowed}).
 */
final class PolicyFormula {

  /** The decision levels of one policy for the request. */
  record Level(BoolExpr atLeastIam, BoolExpr allowed) {}

  private PolicyFormula() {}

  /** Records how {@code policy}'s statements that can apply use condition keys. */
  static void collectKeys(KeyPolicy policy, String keyArn, BitSet actions, KeyUse use) {
    boolean variables = policy.version() == PolicyVersion.V2012_10_17;
    for (Statement s : policy.statements()) {
      if (!relevant(s, keyArn, actions, variables)) {
        continue;
      }
      for (Condition c : s.conditions()) {
        use.addCondition(c, variables);
      }
      if (variables) {
        for (String res : s.resources()) {
          if (isDynamic(res, keyArn)) {
            use.addVariables(res);
          }
        }
      }
    }
  }

  static Level of(KeyPolicy policy, Request r) {
    Smt smt = r.smt;
    boolean variables = policy.version() == PolicyVersion.V2012_10_17;
    List<BoolExpr> denies = new ArrayList<>();
    List<BoolExpr> direct = new ArrayList<>();
    List<BoolExpr> account = new ArrayList<>();
    for (Statement s : policy.statements()) {
      if (!relevant(s, r.keyArn, r.actions, variables)) {
        continue;
      }
      boolean allow = s.isAllow();
      BoolExpr action = r.actionIn(Catalog.covered(s.actions(), s.isNotAction()));
      BoolExpr resource = resource(s, allow, variables, r);
      List<PrincipalFormula> principals = new ArrayList<>();
      for (Principal p : s.principals()) {
        principals.add(PrincipalFormula.of(p));
      }
      PrincipalFormula.Match who =
          PrincipalFormula.element(principals, s.isNotPrincipal(), allow, r);
      List<ConditionFormula.Tri> conditions = new ArrayList<>();
      for (Condition c : s.conditions()) {
        conditions.add(ConditionFormula.of(c, variables, r));
      }
      ConditionFormula.Tri cond = ConditionFormula.all(conditions, smt);
      BoolExpr applies = smt.and(action, resource);
      if (!allow) {
        // A Deny applies unless its conditions surely do not hold.
        BoolExpr condNotNo = smt.or(cond.match(), cond.cannotTell());
        denies.add(smt.and(applies, smt.or(who.direct(), who.account()), condNotNo));
      } else {
        direct.add(smt.and(applies, who.direct(), cond.match()));
        account.add(smt.and(applies, who.account(), cond.match()));
      }
    }
    BoolExpr deny = smt.or(denies);
    BoolExpr directAllow = smt.or(direct);
    BoolExpr accountAllow = smt.or(account);
    BoolExpr root = r.is(Request.ROOT);
    BoolExpr cross = smt.and(r.isAws(), smt.not(smt.eq(r.account, r.keyAccount)));
    BoolExpr crossAction = r.actionIn(Catalog.crossAccount());
    BoolExpr base =
        smt.and(
            smt.not(deny),
            smt.not(r.is(Request.ANONYMOUS)),
            // A service principal is in no account of the key: only cross-account actions.
            smt.not(smt.and(smt.or(cross, r.is(Request.SERVICE)), smt.not(crossAction))),
            smt.or(directAllow, accountAllow));
    BoolExpr delegated = smt.and(smt.not(directAllow), smt.not(root));
    BoolExpr alone = smt.or(smt.and(smt.not(cross), smt.not(delegated)), smt.and(cross, root));
    return new Level(base, smt.and(base, alone));
  }

  /**
   * Whether a statement can apply to a request of the question at all: it has an Action that covers
   * one of the question's actions and a Resource that can match the key.
   */
  private static boolean relevant(Statement s, String keyArn, BitSet actions, boolean variables) {
    if (s.action() == null || s.resource() == null) {
      return false;
    }
    if (!Catalog.covered(s.actions(), s.isNotAction()).intersects(actions)) {
      return false;
    }
    boolean dynamic = false;
    for (String res : s.resources()) {
      dynamic |= variables && isDynamic(res, keyArn);
    }
    return dynamic || staticResourceMatches(s, keyArn);
  }

  private static boolean isDynamic(String res, String keyArn) {
    return !res.equals("*") && !res.equals(keyArn) && Template.hasVariables(res);
  }

  private static boolean staticResourceMatches(Statement s, String keyArn) {
    boolean m = false;
    for (String res : s.resources()) {
      if (res.equals("*") || res.equals(keyArn) || Values.globMatches(res, keyArn, false)) {
        m = true;
        break;
      }
    }
    return m != s.isNotResource();
  }

  /**
   * The Resource/NotResource element against the key (core's {@code
   * CompiledStatement.resourceMatches}): literal resources are decided here; one with variables is
   * substituted per request, and an unknown variable value counts as matching for a Deny, not for
   * an Allow.
   */
  private static BoolExpr resource(Statement s, boolean allow, boolean variables, Request r) {
    Smt smt = r.smt;
    boolean dynamic = false;
    for (String res : s.resources()) {
      dynamic |= variables && isDynamic(res, r.keyArn);
    }
    if (!dynamic) {
      return smt.bool(staticResourceMatches(s, r.keyArn));
    }
    List<BoolExpr> any = new ArrayList<>();
    for (String res : s.resources()) {
      if (res.equals("*") || res.equals(r.keyArn)) {
        any.add(smt.bool(true));
      } else if (Template.hasVariables(res)) {
        Dynamic d = Dynamic.of(Template.parse(res), false, r, res);
        BoolExpr equal = d.value().is(r.keyArn, smt);
        BoolExpr matches = smt.and(smt.not(d.isNull()), smt.not(d.isUnknown()), equal);
        any.add(allow ? matches : smt.or(d.isUnknown(), matches));
      } else {
        any.add(smt.bool(Values.globMatches(res, r.keyArn, false)));
      }
    }
    BoolExpr m = smt.or(any);
    return s.isNotResource() ? smt.not(m) : m;
  }
}

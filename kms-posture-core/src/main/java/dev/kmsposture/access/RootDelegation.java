package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether the key policy hands both administration ({@code kms:PutKeyPolicy}) and use (a
 * cryptographic operation) of the key to the IAM policies of the key's account: a principal the
 * policy does not name (a stand-in for every IAM user and role) is allowed both if its IAM policies
 * allow. Answered by the evaluator over the whole policy, so two statements that each delegate one
 * half count, and a Deny or an {@code aws:PrincipalArn} condition that keeps unnamed principals out
 * does too.
 *
 * <p>{@link #statements()} lists the Allow statements that delegate both on their own; when only a
 * pair does, the statement behind administration and the one behind use.
 */
public final class RootDelegation {
  private static boolean delegated(Decision d) {
    return d.outcome() == Decision.Outcome.IMPLICITLY_DENIED && d.delegatedToIam();
  }

  private final AccessAnswer answer;
  private final List<Integer> statements;
  private final boolean single;

  RootDelegation(AccessTable table) {
    String account = table.keyAccount.value();
    List<Caller> unnamed =
        table.callers(
            c ->
                c.isIn(account)
                    && !c.named()
                    && !c.boundary()
                    && c.kind() != AccessRequest.CallerKind.ROOT);
    List<KmsAction> put = List.of(KmsAction.PUT_KEY_POLICY);
    List<KmsAction> use = table.actionClasses(KmsAction.cryptographic());
    AccessSearch.Result admin =
        table.search.find(
            unnamed, put, AccessSearch.ContextChoice.free(), RootDelegation::delegated);
    AccessSearch.Result crypto =
        admin.none()
            ? AccessSearch.Result.NONE
            : table.search.find(
                unnamed, use, AccessSearch.ContextChoice.free(), RootDelegation::delegated);
    List<Integer> offending = new ArrayList<>();
    boolean alone = true;
    if (admin.found() && crypto.found()) {
      for (StatementView v : table.views) {
        if (!v.grants()) {
          continue;
        }
        boolean[] only = table.only(v.index);
        if (table
                .search
                .find(
                    unnamed,
                    put,
                    AccessSearch.ContextChoice.free(),
                    RootDelegation::delegated,
                    only)
                .found()
            && table
                .search
                .find(
                    unnamed,
                    use,
                    AccessSearch.ContextChoice.free(),
                    RootDelegation::delegated,
                    only)
                .found()) {
          offending.add(v.index);
        }
      }
      if (offending.isEmpty()) {
        alone = false;
        int a = AccessTable.decidingStatement(Objects.requireNonNull(admin.witness()));
        int u = AccessTable.decidingStatement(Objects.requireNonNull(crypto.witness()));
        offending.add(a);
        if (u != a) {
          offending.add(u);
        }
      }
      this.answer = new AccessAnswer(AccessAnswer.Answer.YES, crypto.witness(), null);
    } else if (admin.none() || crypto.none()) {
      this.answer = new AccessAnswer(AccessAnswer.Answer.NO, null, null);
    } else {
      String why = admin.undecided() ? admin.whyUndecided() : crypto.whyUndecided();
      this.answer =
          new AccessAnswer(
              AccessAnswer.Answer.POSSIBLY, null, Objects.requireNonNullElse(why, "unknown"));
    }
    this.statements = List.copyOf(offending);
    this.single = alone;
  }

  /**
   * Returns whether an unnamed principal of the key's account gets both administration and use if
   * its IAM policies allow: YES with a use request as witness, NO, or POSSIBLY.
   */
  public AccessAnswer answer() {
    return answer;
  }

  /** Returns the statements behind a YES, by index; empty otherwise. */
  public List<Integer> statements() {
    return statements;
  }

  /**
   * Returns whether each statement of {@link #statements()} delegates both on its own; false when
   * it takes two statements together.
   */
  public boolean eachAlone() {
    return single;
  }
}

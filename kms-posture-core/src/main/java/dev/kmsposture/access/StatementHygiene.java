package dev.kmsposture.access;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Statement-level findings of {@link AccessAnalysis} that are about how one Allow is written, not
 * about what the whole policy allows: use without {@code kms:ViaService}, and {@code
 * kms:CreateGrant} without {@code kms:GrantIsForAWSResource}.
 */
final class StatementHygiene {
  private static final String VIA_SERVICE = "kms:ViaService";

  final List<StatementReason> usageWithoutViaService;
  final List<StatementReason> createGrantWithoutAwsResourceCondition;

  StatementHygiene(AccessTable table) {
    List<StatementReason> noVia = new ArrayList<>();
    List<StatementReason> grantNoAws = new ArrayList<>();
    for (StatementView v : table.views) {
      if (!v.grants()) {
        continue;
      }
      Set<KmsAction> crypto = new TreeSet<>(AccessTable.BY_NAME);
      for (KmsAction a : v.actions) {
        if (a.isCryptographic()) {
          crypto.add(a);
        }
      }
      boolean nonService =
          v.statement.isNotPrincipal()
              || v.statement.principals().stream().anyMatch(p -> !(p instanceof Principal.Service));
      if (!crypto.isEmpty() && nonService && !hasViaService(v.statement)) {
        noVia.add(
            v.reason(
                ReasonCode.USE_WITHOUT_VIA_SERVICE,
                "allows "
                    + AccessTable.summarize(crypto)
                    + " to "
                    + AccessTable.describePrincipals(v.statement)
                    + " without a kms:ViaService condition, so they can use the key directly,"
                    + " not only through an AWS service"));
      }
      if (v.actions.contains(KmsAction.CREATE_GRANT)
          && !KeyDuties.grantIsForAwsResource(v.statement)) {
        grantNoAws.add(
            v.reason(
                ReasonCode.CREATE_GRANT_WITHOUT_AWS_RESOURCE,
                "allows kms:CreateGrant to "
                    + AccessTable.describePrincipals(v.statement)
                    + " without \"Bool\": {\"kms:GrantIsForAWSResource\": true}, so they can"
                    + " grant the key's use to any principal, not only to an AWS service acting"
                    + " for them"));
      }
    }
    this.usageWithoutViaService = List.copyOf(noVia);
    this.createGrantWithoutAwsResourceCondition = List.copyOf(grantNoAws);
  }

  private static boolean hasViaService(Statement s) {
    for (Condition c : s.conditions()) {
      ConditionOperator op = c.operator();
      if (c.key().sameKeyAs(VIA_SERVICE)
          && !op.ifExists()
          && !op.isNegated()
          && op.qualifier() != ConditionOperator.Qualifier.FOR_ALL_VALUES
          && !c.values().isEmpty()) {
        return true;
      }
    }
    return false;
  }
}

package dev.kmsposture.leastprivilege;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.LockoutCheck;
import dev.kmsposture.access.PrincipalActions;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Cross-checks a built policy with {@link AccessAnalysis}, the library's independent reading of who
 * can do what. The builder's own checks run on what it generated; this catches anything they miss
 * (mostly in insecure statements). A verdict adds a finding only when the builder's own checks
 * found nothing of that kind, so acknowledgements and overrides apply to both alike. Verdicts that
 * rest only on the break-glass statement are the break-glass choice, not a finding.
 */
final class AnalysisCrossCheck {
  private AnalysisCrossCheck() {}

  static List<BuilderFinding> check(
      KeyPolicy policy,
      AccountId account,
      @Nullable String caller,
      Set<String> breakGlassSids,
      List<BuilderFinding> own) {
    Set<BuilderFinding.Code> found = EnumSet.noneOf(BuilderFinding.Code.class);
    own.forEach(f -> found.add(f.code()));
    AccessAnalysis a = AccessAnalysis.of(policy, account);
    List<BuilderFinding> out = new ArrayList<>();
    if (a.isPublic() && !found.contains(BuilderFinding.Code.PUBLIC_PRINCIPAL)) {
      out.add(
          BuilderFinding.of(
              BuilderFinding.Code.PUBLIC_PRINCIPAL,
              "AccessAnalysis finds the key public: " + join(a.publicStatements())));
    }
    if (a.lockoutRisk() && !found.contains(BuilderFinding.Code.NOBODY_CAN_PUT_KEY_POLICY)) {
      out.add(
          BuilderFinding.of(
              BuilderFinding.Code.NOBODY_CAN_PUT_KEY_POLICY,
              "AccessAnalysis finds a lockout risk: " + a.lockoutExplanation()));
    }
    if (caller != null && !found.contains(BuilderFinding.Code.CALLER_LOCKED_OUT)) {
      LockoutCheck lc = a.canPutKeyPolicy(caller);
      if (!lc.passes()) {
        out.add(
            BuilderFinding.of(
                BuilderFinding.Code.CALLER_LOCKED_OUT,
                String.format(
                    "AccessAnalysis finds caller [%s] locked out: %s", caller, lc.explanation())));
      }
    }
    if (!found.contains(BuilderFinding.Code.ADMIN_CAN_USE)) {
      for (PrincipalActions pa : a.adminsWhoCanUse()) {
        if (!onlyBreakGlass(pa.reasons(), breakGlassSids)) {
          out.add(
              BuilderFinding.of(
                  BuilderFinding.Code.ADMIN_CAN_USE,
                  String.format(
                      "AccessAnalysis finds principal [%s] can both administer and use the key: %s",
                      pa.principal(), join(pa.reasons()))));
        }
      }
    }
    List<StatementReason> grants = a.createGrantWithoutAwsResourceCondition();
    if (!onlyBreakGlass(grants, breakGlassSids)
        && !found.contains(BuilderFinding.Code.CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION)) {
      out.add(
          BuilderFinding.of(
              BuilderFinding.Code.CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION,
              "AccessAnalysis finds kms:CreateGrant without kms:GrantIsForAWSResource: "
                  + join(grants)));
    }
    return out;
  }

  private static boolean onlyBreakGlass(List<StatementReason> reasons, Set<String> breakGlassSids) {
    return reasons.stream()
        .allMatch(r -> r.place().sid() != null && breakGlassSids.contains(r.place().sid()));
  }

  private static String join(List<StatementReason> reasons) {
    return reasons.stream().map(StatementReason::toString).collect(Collectors.joining("; "));
  }
}

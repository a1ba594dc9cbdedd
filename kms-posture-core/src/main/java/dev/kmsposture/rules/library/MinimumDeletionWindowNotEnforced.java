package dev.kmsposture.rules.library;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionValue;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.PolicyDerivation;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Flags a customer-managed key whose policy does not enforce a minimum deletion waiting period of
 * {@code minDeletionWindowDays} with the condition key {@code
 * kms:ScheduleKeyDeletionPendingWindowInDays}.
 *
 * <p>The policy enforces it when either a {@code Deny} of {@code kms:ScheduleKeyDeletion} to every
 * principal ({@code "*"}) applies when the window is below the minimum ({@code NumericLessThan}
 * with a value of at least the minimum, or {@code NumericLessThanEquals} with at least the minimum
 * less one), or every {@code Allow} that grants {@code kms:ScheduleKeyDeletion} (including through
 * {@code kms:*} or {@code NotAction}) requires a window of at least the minimum ({@code
 * NumericGreaterThanEquals}/{@code NumericGreaterThan}). A policy that allows nobody to schedule
 * deletion passes. Keys already pending deletion are not applicable (DeletionWindowTooShort judges
 * them).
 */
public final class MinimumDeletionWindowNotEnforced implements KeyRule {
  private static final String CONDITION_KEY = "kms:ScheduleKeyDeletionPendingWindowInDays";

  private static final RuleInfo INFO =
      new RuleInfo(
          RuleId.of("MinimumDeletionWindowNotEnforced"),
          "Key policy does not enforce a minimum deletion waiting period",
          Severity.OPTIONAL,
          "KMS accepts any waiting period from 7 to 30 days. Only the key policy can stop a"
              + " hurried operator or a compromised role from scheduling deletion with the"
              + " shortest one.",
          "[Optional] Disable (do not delete) CMKs that are no longer in use. KMS key deletion has"
              + " a mandatory 7–30 day waiting period and is irreversible.",
          List.of(),
          new Remediation(
              "Add a statement that denies kms:ScheduleKeyDeletion with a shorter waiting period:"
                  + " {\"Sid\":\"DenyShortDeletionWindow\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                  + "\"Action\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\",\"Condition\":"
                  + "{\"NumericLessThan\":{\"kms:ScheduleKeyDeletionPendingWindowInDays\":\"30\"}}}",
              "aws kms put-key-policy --key-id <key-id> --policy-name default --policy"
                  + " file://policy-with-deny-short-deletion-window.json",
              "kms.putKeyPolicy(r -> r.keyId(keyId).policyName(\"default\").policy(policyJson))"),
          List.of("lifecycle"),
          List.of());

  /** Creates the rule; it holds no state. */
  public MinimumDeletionWindowNotEnforced() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describe(key);
    if (!key.metadata().isCustomerManaged()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "%s is AWS managed and cannot be deleted", context.describeCapitalized(key))));
    }
    if (key.metadata().isPendingDeletion()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "%s is already pending deletion; DeletionWindowTooShort judges its" + " window",
                  context.describeCapitalized(key))));
    }
    Optional<KeyPolicy> policy = context.policy(key);
    if (policy.isEmpty()) {
      String why =
          key.policy() == null
              ? KeyTraits.missing(key, KeyPart.POLICY, "key policy", context)
              : "The key policy of "
                  + name
                  + " could not be checked: "
                  + context.policyProblem(key).orElse("it is not available");
      return List.of(Finding.unknown(INFO, key, why));
    }
    int min = context.config().minDeletionWindowDays();
    Guard guard = context.derive(key, GUARD).orElseGet(() -> guard(policy.get(), context.config()));
    if (guard.denyStatement >= 0) {
      return List.of(
          Finding.pass(
                  INFO,
                  key,
                  Message.of(
                      "The key policy of %s denies scheduling deletion with a waiting"
                          + " period under %s days",
                      name, guard.denyBelowDays))
              .at(context.location(policy.get(), guard.denyStatement)));
    }
    boolean anyAllow = guard.anyAllow;
    boolean allAllowsGuarded = guard.allAllowsGuarded;
    if (!anyAllow) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of("The key policy of %s lets no principal schedule its deletion", name)));
    }
    if (allAllowsGuarded) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "Every statement that lets a principal schedule deletion of %s"
                      + " requires a waiting period of at least %s days",
                  name, min)));
    }
    return List.of(
        Finding.fail(
            INFO,
            key,
            Message.of(
                "The key policy of %s does not enforce a minimum deletion waiting"
                    + " period of %s days (%s)",
                name, min, CONDITION_KEY)));
  }

  /**
   * How a policy guards deletion: the first Deny for everyone of windows under at least the minimum
   * (its index and threshold, or -1), whether any Allow lets principals schedule deletion, and
   * whether every such Allow requires at least the minimum window.
   */
  private record Guard(
      int denyStatement, int denyBelowDays, boolean anyAllow, boolean allAllowsGuarded) {}

  private static final PolicyDerivation<Guard> GUARD =
      (policy, analysis, config) -> guard(policy, config);

  private static Guard guard(KeyPolicy policy, PostureConfig config) {
    int min = config.minDeletionWindowDays();
    boolean anyAllow = false;
    boolean allAllowsGuarded = true;
    List<Statement> statements = policy.statements();
    for (int i = 0; i < statements.size(); i++) {
      Statement s = statements.get(i);
      if (!grantsScheduleDeletion(s)) {
        continue;
      }
      if (!s.isAllow()) {
        if (!s.isNotPrincipal() && s.principals().stream().anyMatch(Principal::isEveryone)) {
          OptionalInt below = threshold(s, "NumericLessThan", "NumericLessThanEquals");
          if (below.isPresent() && below.getAsInt() >= min) {
            return new Guard(i, below.getAsInt(), anyAllow, allAllowsGuarded);
          }
        }
        continue;
      }
      anyAllow = true;
      OptionalInt atLeast = threshold(s, "NumericGreaterThanEquals", "NumericGreaterThan");
      if (atLeast.isEmpty() || atLeast.getAsInt() < min) {
        allAllowsGuarded = false;
      }
    }
    return new Guard(-1, 0, anyAllow, allAllowsGuarded);
  }

  private static boolean grantsScheduleDeletion(Statement s) {
    if (s.action() == null || s.resource() == null) {
      return false;
    }
    boolean listed = s.actions().stream().anyMatch(a -> a.matches(KmsAction.SCHEDULE_KEY_DELETION));
    return s.isNotAction() != listed;
  }

  /**
   * Returns the minimum window (in days) that the statement's condition on the window key enforces:
   * for a Deny, windows below it are denied; for an Allow, it is required. Empty when none.
   */
  private static OptionalInt threshold(Statement s, String exact, String plusOne) {
    boolean denyForm = exact.startsWith("NumericLess");
    OptionalInt best = OptionalInt.empty();
    for (Condition c : s.conditions()) {
      ConditionOperator op = c.operator();
      if (!c.key().sameKeyAs(CONDITION_KEY) || op.qualifier() != ConditionOperator.Qualifier.NONE) {
        continue;
      }
      int shift;
      if (op.base().equals(exact)) {
        shift = 0;
      } else if (op.base().equals(plusOne)) {
        shift = 1;
      } else {
        continue;
      }
      for (ConditionValue v : c.values()) {
        try {
          int n = Integer.parseInt(v.text().trim()) + shift;
          // Deny: values are ORed, so the largest "less than" wins. Allow: the smallest minimum.
          if (best.isEmpty() || (denyForm ? n > best.getAsInt() : n < best.getAsInt())) {
            best = OptionalInt.of(n);
          }
        } catch (NumberFormatException e) {
          // A non-numeric value never matches a numeric operator: it enforces nothing.
        }
      }
    }
    return best;
  }
}

package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnswer;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.access.Witness;
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
 * <p>The policy enforces it when the evaluator allows no principal (of any kind, in any account,
 * with any other request context) a {@code kms:ScheduleKeyDeletion} request whose window is 7 to
 * {@code minDeletionWindowDays - 1} days, not even if its IAM policies allow ({@link
 * dev.kmsposture.access.AccessAnalysis#scheduleDeletionBelow(int)}). Typical ways: a {@code Deny}
 * of {@code kms:ScheduleKeyDeletion} to everyone with {@code NumericLessThan} of the minimum and no
 * other condition, every {@code Allow} of it requiring {@code NumericGreaterThanEquals} the
 * minimum, or nobody allowed to schedule deletion at all. A Deny that carries another condition (a
 * tag, an organization) or names only some principals binds only them, so it does not enforce the
 * window: the finding shows a request that gets through. UNKNOWN when the analysis cannot tell.
 * Keys already pending deletion are not applicable (DeletionWindowTooShort judges them).
 */
public final class MinimumDeletionWindowNotEnforced implements KeyRule {
  private static final String CONDITION_KEY = "kms:ScheduleKeyDeletionPendingWindowInDays";

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("MinimumDeletionWindowNotEnforced"))
          .summary("Key policy does not enforce a minimum deletion waiting period")
          .severity(Severity.OPTIONAL)
          .rationale(
              "KMS accepts any waiting period from 7 to 30 days. Only the key policy can stop a"
                  + " hurried operator or a compromised role from scheduling deletion with the"
                  + " shortest one.")
          .checklistItem(
              "[Optional] Disable (do not delete) CMKs that are no longer in use. KMS key deletion has"
                  + " a mandatory 7–30 day waiting period and is irreversible.")
          .remediation(
              new Remediation(
                  "Add a statement that denies kms:ScheduleKeyDeletion with a shorter waiting period:"
                      + " {\"Sid\":\"DenyShortDeletionWindow\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                      + "\"Action\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\",\"Condition\":"
                      + "{\"NumericLessThan\":{\"kms:ScheduleKeyDeletionPendingWindowInDays\":\"30\"}}}",
                  "aws kms put-key-policy --key-id <key-id> --policy-name default --policy"
                      + " file://policy-with-deny-short-deletion-window.json",
                  "kms.putKeyPolicy(r -> r.keyId(keyId).policyName(\"default\").policy(policyJson))"))
          .addTag("lifecycle")
          .build();

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
    Optional<Window> derived = context.derive(key, WINDOW);
    if (derived.isEmpty()) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "The key policy of %s could not be checked: the key ARN carries no valid"
                      + " account id",
                  name)));
    }
    Guard guard = derived.get().guard;
    AccessAnswer answer = derived.get().answer;
    boolean statementsEnforce =
        guard.denyStatement >= 0 || !guard.anyAllow || guard.allAllowsGuarded;
    if (answer.answer() == AccessAnswer.Answer.POSSIBLY) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "Cannot tell whether the key policy of %s enforces a minimum deletion waiting"
                      + " period of %s days: %s",
                  name, min, answer.why())));
    }
    if (answer.isYes()) {
      if (!statementsEnforce) {
        return List.of(
            Finding.fail(
                INFO,
                key,
                Message.of(
                    "The key policy of %s does not enforce a minimum deletion waiting"
                        + " period of %s days (%s)",
                    name, min, CONDITION_KEY)));
      }
      Witness w = answer.witnessIfPresent().orElseThrow();
      Finding f =
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "The key policy of %s does not enforce a minimum deletion waiting period of %s"
                      + " days (%s) for every principal: %s",
                  name, min, CONDITION_KEY, w.summary()));
      int at = decidingStatement(w);
      return List.of(at < 0 ? f : f.at(context.location(policy.get(), at)));
    }
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
    if (!guard.anyAllow) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of("The key policy of %s lets no principal schedule its deletion", name)));
    }
    if (guard.allAllowsGuarded) {
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
        Finding.pass(
            INFO,
            key,
            Message.of(
                "No principal can schedule deletion of %s with a waiting period under %s days:"
                    + " the key policy refuses every such request",
                name, min)));
  }

  private static int decidingStatement(Witness w) {
    for (StatementRef ref : w.decision().statements()) {
      OptionalInt at = ref.keyPolicyIndex();
      if (at.isPresent()) {
        return at.getAsInt();
      }
    }
    return -1;
  }

  /** The statement reading (for the messages) and the evaluator's answer (for the verdict). */
  private record Window(Guard guard, AccessAnswer answer) {}

  private static final PolicyDerivation<Window> WINDOW =
      (policy, analysis, config) ->
          new Window(
              guard(policy, config),
              analysis.scheduleDeletionBelow(config.minDeletionWindowDays()));

  /**
   * How a policy guards deletion: the first Deny for everyone of windows under at least the minimum
   * (its index and threshold, or -1), whether any Allow lets principals schedule deletion, and
   * whether every such Allow requires at least the minimum window.
   */
  private record Guard(
      int denyStatement, int denyBelowDays, boolean anyAllow, boolean allAllowsGuarded) {}

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

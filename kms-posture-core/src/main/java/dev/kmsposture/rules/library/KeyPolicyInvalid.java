package dev.kmsposture.rules.library;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyIssue;
import dev.kmsposture.policy.PolicyParseException;
import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key policy is not what it seems: it does not parse (KMS would not accept it — possible in
 * templates and in snapshots written by other tools), or {@link KeyPolicy#validate(String)} finds
 * issues of level CRITICAL or RECOMMENDED: an Allow with {@code NotPrincipal}, a partial-wildcard
 * principal, a condition with no values, a deleted (unique-id) principal, a statement without
 * {@code Action} or {@code Resource} (KMS accepts it, but it has no effect), an unknown action, and
 * so on. One failure per issue, pointing at the element (JSON Pointer) and its statement. OPTIONAL
 * issues are not reported. AWS managed keys are not applicable.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html">Key
 *     policy overview</a>
 */
public final class KeyPolicyInvalid implements KeyRule {
  private static final Pattern STATEMENT = Pattern.compile("^/Statement(?:/([0-9]+))?(?:/.*)?$");

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KeyPolicyInvalid"))
          .summary("Key policy does not parse or holds statements that do not mean what they say")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "KMS accepts statements that grant or deny something other than they appear to: an"
                  + " Allow with NotPrincipal allows nearly everyone, a condition without values never"
                  + " matches, a statement without Action or Resource does nothing, a deleted"
                  + " principal's unique id names nobody, a misspelled action never matches. Reviewers"
                  + " read such a policy wrongly, and analysis must guess.")
          .checklistItem(
              "[Critical] Every customer-managed CMK must have a meaningful alias and a meaningful key"
                  + " policy.")
          .references(List.of("KMS-POL-5", "IAM Access Analyzer policy validation"))
          .remediation(
              KeyPolicyFindings.putKeyPolicy(
                  "Fix the element the finding points at (name live principals, add the missing"
                      + " Action or Resource, spell the action as in the KMS catalog, give the"
                      + " condition its values, replace NotPrincipal with Principal), check the result"
                      + " with kms-posture validate, then put the policy."))
          .addTag("hygiene")
          .build();

  /** Creates the rule. */
  public KeyPolicyInvalid() {}

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
                  "%s is not judged: %s",
                  context.describeCapitalized(key), KeyPolicyFindings.AWS_MANAGED)));
    }
    String text = key.policy();
    if (text == null) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              "Cannot judge the key policy of "
                  + name
                  + ": "
                  + key.unreadableReason(KeyPart.POLICY)
                      .map(r -> "the key policy could not be read: " + r)
                      .orElse("the key policy was not collected in the snapshot")));
    }
    Optional<KeyPolicy> parsed = context.policy(key);
    if (parsed.isEmpty()) {
      return List.of(parseFailure(key, name, text));
    }
    KeyPolicy policy = parsed.get();
    List<Finding> out = new ArrayList<>();
    for (PolicyIssue issue : context.policyIssues(key)) {
      if (issue.level() == PolicyIssue.Level.OPTIONAL) {
        continue;
      }
      Finding f =
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "The key policy of %s has a %s issue at %s (%s): %s",
                  name,
                  issue.level().name().toLowerCase(java.util.Locale.ROOT),
                  issue.pointer().isEmpty() ? "/" : issue.pointer(),
                  issue.kind(),
                  issue.message()));
      Optional<Integer> index = statementIndex(issue.pointer(), policy.statements().size());
      if (index.isPresent()) {
        PolicyLocation at = context.location(policy, index.get());
        f = f.at(new PolicyLocation(at.place().at(issue.pointer()), at.statementFingerprint()));
      }
      out.add(f.about(issue.kind().name() + " " + issue.pointer()));
    }
    if (!out.isEmpty()) {
      return out;
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "The key policy of %s parses, and validation finds no critical or"
                    + " recommended issue",
                name)));
  }

  private static Finding parseFailure(KeySnapshot key, String name, String text) {
    try {
      KeyPolicy.parse(text);
    } catch (PolicyParseException e) {
      String pointer = e.pointer();
      Finding f =
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "The key policy of %s does not parse at %s: %s. KMS would not"
                      + " accept this policy",
                  name, pointer.isEmpty() ? "/" : pointer, e.problem()));
      Matcher m = STATEMENT.matcher(pointer);
      if (m.matches() && m.group(1) != null && m.group(1).length() < 6) {
        int index = Integer.parseInt(m.group(1));
        f =
            f.at(
                new PolicyLocation(new StatementPlace(index, null, pointer), "pointer:" + pointer));
      }
      return f;
    }
    throw new IllegalStateException(
        "bug in kms-posture: the key policy of " + key.arn() + " parses on the second try");
  }

  /** Returns the statement index a pointer such as {@code /Statement/2/Condition} is in. */
  static Optional<Integer> statementIndex(String pointer, int statements) {
    Matcher m = STATEMENT.matcher(pointer);
    if (!m.matches() || statements == 0) {
      return Optional.empty();
    }
    if (m.group(1) == null) {
      return Optional.of(0);
    }
    try {
      int i = Integer.parseInt(m.group(1));
      return i < statements ? Optional.of(i) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}

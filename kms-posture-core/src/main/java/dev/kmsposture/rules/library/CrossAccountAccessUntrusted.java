package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.ReasonCode;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.PolicyDerivation;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The key policy lets accounts outside the configuration's trusted accounts use the key.
 *
 * <p>An account is external when the evaluator lets one of its principals in through an Allow
 * ({@link AccessAnalysis#externalAccounts()}): the Allow names it or one of its principals, or pins
 * a wildcard to it with {@code kms:CallerAccount}, {@code aws:SourceAccount} and the like. It is
 * trusted when it is in {@code trustedAccounts}, or when the evaluator lets none of its principals
 * in unless its organization is one of {@code trustedOrganizations} (a condition on {@code
 * aws:PrincipalOrgID} in the Allow, or a Deny that refuses every caller outside the organization).
 * A statement that lets in principals of accounts the policy does not name (a wildcard narrowed
 * only by an organization or a network) fails unless the evaluator refuses all of them outside the
 * trusted organizations. Statements that make the key public are left to {@link KeyPolicyPublic},
 * so they are not reported twice. One failure per untrusted account (or unpinned statement); "may"
 * when the analysis cannot tell.
 */
public final class CrossAccountAccessUntrusted implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("CrossAccountAccessUntrusted"))
          .summary("Key policy gives access to accounts that are not trusted")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Every account a key policy lets in can decrypt what the key protects, within what its"
                  + " own IAM policies allow, and the key owner cannot see or control those IAM"
                  + " policies. Cross-account access should go only to accounts the organization has"
                  + " decided to trust.")
          .checklistItem(
              "[Critical] Key policies must follow least privilege. (Cross-account access only to trusted accounts.)")
          .references(
              List.of(
                  "IAM Access Analyzer (external access to KMS keys)",
                  "Cloud Custodian cross-account filter",
                  "CloudSploit kms-key-policy third-party accounts",
                  "KMS-POL-2"))
          .remediation(
              KeyPolicyFindings.putKeyPolicy(
                  "Remove the untrusted account from the key policy (principals and kms:CallerAccount"
                      + " values), or add it to trustedAccounts after review; pin wildcard statements"
                      + " with \"StringEquals\": {\"aws:PrincipalOrgID\": \"<o-id>\"} of a trusted"
                      + " organization."))
          .tags(List.of("cross-account", "least-privilege"))
          .build();

  /** Creates the rule. */
  public CrossAccountAccessUntrusted() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    Optional<Finding> skip = KeyPolicyFindings.unjudgeable(INFO, key, context);
    if (skip.isPresent()) {
      return List.of(skip.get());
    }
    KeyPolicy policy = KeyPolicyFindings.policy(key, context);
    String name = context.describe(key);
    Verdict v = context.derive(key, VERDICT).orElseThrow();
    Set<Integer> publicStatements = v.publicStatements;
    Map<String, List<StatementReason>> untrusted = v.untrusted;
    Collection<StatementReason> unpinned = v.unpinned;
    Set<String> trustedSeen = v.trustedSeen;
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, List<StatementReason>> e : untrusted.entrySet()) {
      StatementReason first = e.getValue().get(0);
      out.add(
          Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      first.code() == ReasonCode.POSSIBLY_REACHES_OTHER_ACCOUNT
                          ? "The key policy of %s may give access to account %s, which is not a"
                              + " trusted account: %s %s"
                          : "The key policy of %s gives access to account %s, which is not a"
                              + " trusted account: %s %s",
                      name,
                      e.getKey(),
                      KeyPolicyFindings.name(first),
                      first.message()))
              .at(KeyPolicyFindings.location(context, policy, first))
              .about("account " + e.getKey()));
    }
    for (StatementReason r : unpinned) {
      out.add(
          Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      r.code() == ReasonCode.POSSIBLY_REACHES_OTHER_ACCOUNT
                          ? "The key policy of %s may reach principals in accounts it does not"
                              + " name: %s %s; pin it to a trusted organization with"
                              + " aws:PrincipalOrgID or name the trusted accounts"
                          : "The key policy of %s reaches principals in accounts it does not"
                              + " name: %s %s; pin it to a trusted organization with"
                              + " aws:PrincipalOrgID or name the trusted accounts",
                      name,
                      KeyPolicyFindings.name(r),
                      r.message()))
              .at(KeyPolicyFindings.location(context, policy, r)));
    }
    if (!out.isEmpty()) {
      return out;
    }
    String publicNote =
        publicStatements.isEmpty()
            ? ""
            : " (apart from the public statements "
                + publicStatements
                + ", which KeyPolicyPublic reports)";
    if (trustedSeen.isEmpty()) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "The key policy of %s gives no access outside account %s%s",
                  name, key.account(), publicNote)));
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "The key policy of %s gives cross-account access only to trusted"
                    + " accounts %s%s",
                name, trustedSeen, publicNote)));
  }

  /** What the rule finds in a policy, whichever key it is attached to. */
  private record Verdict(
      Set<Integer> publicStatements,
      Map<String, List<StatementReason>> untrusted,
      List<StatementReason> unpinned,
      Set<String> trustedSeen) {}

  private static final PolicyDerivation<Verdict> VERDICT = CrossAccountAccessUntrusted::verdict;

  private static Verdict verdict(KeyPolicy policy, AccessAnalysis analysis, PostureConfig config) {
    Set<Integer> publicStatements = new TreeSet<>();
    for (StatementReason r : analysis.publicStatements()) {
      publicStatements.add(r.place().index());
    }
    List<String> trustedAccounts = config.trustedAccounts();
    List<String> trustedOrgs = config.trustedOrganizations();

    Map<String, List<StatementReason>> untrusted = new TreeMap<>();
    Map<Integer, StatementReason> unpinned = new LinkedHashMap<>();
    Set<String> trustedSeen = new TreeSet<>();
    Set<StatementReason> aboutNamedAccounts = new HashSet<>();
    for (AccountId account : analysis.externalAccounts()) {
      List<StatementReason> reasons = new ArrayList<>();
      for (StatementReason r : analysis.crossAccountReasons(account)) {
        aboutNamedAccounts.add(r);
        if (!publicStatements.contains(r.place().index())) {
          reasons.add(r);
        }
      }
      if (reasons.isEmpty()) {
        continue;
      }
      if (trustedAccounts.contains(account.value())) {
        trustedSeen.add(account.value());
        continue;
      }
      for (StatementReason r : reasons) {
        // A member of a trusted organization is trusted: ask the evaluator whether the account
        // gets in without being one.
        boolean reaches =
            trustedOrgs.isEmpty() || !analysis.accessFromAccount(account, trustedOrgs, r).isNo();
        if (reaches) {
          untrusted.computeIfAbsent(account.value(), k -> new ArrayList<>()).add(r);
        }
      }
      if (!untrusted.containsKey(account.value())) {
        trustedSeen.add(account.value());
      }
    }
    for (StatementReason r : analysis.crossAccountReasons()) {
      boolean unnamed =
          r.code() == ReasonCode.WILDCARD_NOT_PINNED
              || (r.code() == ReasonCode.POSSIBLY_REACHES_OTHER_ACCOUNT
                  && !aboutNamedAccounts.contains(r));
      if (!unnamed || publicStatements.contains(r.place().index())) {
        continue;
      }
      boolean reaches =
          trustedOrgs.isEmpty() || !analysis.accessFromUnnamedAccounts(trustedOrgs, r).isNo();
      if (reaches) {
        unpinned.putIfAbsent(r.place().index(), r);
      }
    }
    return new Verdict(
        Collections.unmodifiableSet(publicStatements),
        Collections.unmodifiableMap(untrusted),
        List.copyOf(unpinned.values()),
        Collections.unmodifiableSet(trustedSeen));
  }
}

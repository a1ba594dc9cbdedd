package dev.kmsposture.access;

import static dev.kmsposture.testing.Gens.distinctLists;
import static dev.kmsposture.testing.Gens.frequency;
import static dev.kmsposture.testing.Gens.ints;
import static dev.kmsposture.testing.Gens.lists;
import static dev.kmsposture.testing.Gens.pick;
import static dev.kmsposture.testing.Gens.weight;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionKey;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.Effect;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Small random key policies and requests for the access properties, drawn from the shapes that
 * decide public, cross-account and diff verdicts: wildcard, partial-wildcard and NotPrincipal
 * principals, other accounts, and conditions that do and do not narrow the caller.
 */
final class GeneratedPolicies {

  static final String KEY_ACCOUNT = "111122223333";
  static final String OTHER_ACCOUNT = "444455556666";
  static final String FRESH_ACCOUNT = "999999999999";

  private GeneratedPolicies() {}

  static Gen<Principal> principals() {
    return frequency(
        weight(3, Generate.constant(Principal.everyone())), weight(7, namedPrincipals()));
  }

  /** Every principal {@link #principals()} draws but the bare {@code "*"}. */
  static Gen<Principal> namedPrincipals() {
    return frequency(
        weight(
            6,
            pick(
                    "*",
                    "arn:aws:iam::" + KEY_ACCOUNT + ":root",
                    OTHER_ACCOUNT,
                    "arn:aws:iam::" + KEY_ACCOUNT + ":role/admin",
                    "arn:aws:iam::" + KEY_ACCOUNT + ":role/team/app",
                    "arn:aws:iam::" + OTHER_ACCOUNT + ":role/partner",
                    "arn:aws:iam::" + KEY_ACCOUNT + ":user/alice",
                    "arn:aws:sts::" + KEY_ACCOUNT + ":assumed-role/admin/s1",
                    "arn:aws:iam::*:root",
                    "arn:aws:iam::*:role/x",
                    "arn:aws:iam::" + KEY_ACCOUNT + ":role/app-*",
                    "AROAEXAMPLEID12345678")
                .map(Principal::aws)),
        weight(1, Generate.constant(Principal.service("logs.us-east-1.amazonaws.com"))));
  }

  /** Conditions, as (operator, key, values). */
  static Gen<Condition> conditions() {
    List<Condition> all =
        List.of(
            cond("StringEquals", "kms:CallerAccount", KEY_ACCOUNT),
            cond("StringEquals", "kms:CallerAccount", OTHER_ACCOUNT),
            cond("StringEqualsIfExists", "kms:CallerAccount", KEY_ACCOUNT),
            cond("StringNotEquals", "kms:CallerAccount", OTHER_ACCOUNT),
            cond("StringNotEquals", "kms:CallerAccount", KEY_ACCOUNT),
            cond("StringNotEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
            cond("StringNotLike", "aws:PrincipalOrgID", "o-*"),
            cond("StringEquals", "KMS:callerAccount", KEY_ACCOUNT),
            cond("StringEquals", "aws:PrincipalAccount", OTHER_ACCOUNT),
            cond("StringEquals", "kms:ViaService", "s3.us-east-1.amazonaws.com"),
            cond("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
            cond("StringLike", "aws:PrincipalOrgID", "o-*"),
            cond("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/*"),
            cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
            cond("IpAddress", "aws:SourceIp", "10.1.0.0/16"),
            cond("IpAddress", "aws:SourceIp", "0.0.0.0/0"),
            cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"),
            cond("StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"),
            cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/x"),
            cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::" + KEY_ACCOUNT + ":role/*"),
            cond("ForAllValues:StringEquals", "kms:EncryptionContextKeys", "app"),
            cond("StringEquals", "kms:EncryptionContext:app", "demo"),
            cond("Bool", "kms:GrantIsForAWSResource", "true"),
            cond("NumericLessThanEquals", "kms:ScheduleKeyDeletionPendingWindowInDays", "30"),
            cond("StringEquals", "kms:ViaService", new String[0]));
    return pick(all);
  }

  private static Condition cond(String op, String key, String... values) {
    return Condition.of(ConditionOperator.of(op), ConditionKey.of(key), values);
  }

  static Gen<List<KmsAction>> actions() {
    return distinctLists(
            pick(
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:*",
                "kms:PutKeyPolicy",
                "kms:CreateGrant",
                "kms:Describe*",
                "kms:GenerateDataKey*",
                "kms:ScheduleKeyDeletion"),
            1,
            3)
        .map(names -> names.stream().map(KmsAction::of).toList());
  }

  static Gen<Statement> statements() {
    Gen<Effect> effects =
        frequency(
            weight(3, Generate.constant(Effect.ALLOW)), weight(1, Generate.constant(Effect.DENY)));
    // A bare "*" stands alone: lists of two are drawn from the other principals.
    Gen<List<Principal>> principalLists =
        frequency(
            weight(1, principals().map(p -> List.of(p))),
            weight(1, distinctLists(namedPrincipals(), 2, 2)));
    Gen<List<Condition>> conditionLists =
        distinctLists(conditions(), c -> c.operator().name() + " " + c.key().normalized(), 0, 2);
    // Shapes 0-2: NotPrincipal (rare in real policies, but where the lockout and public verdicts
    // went wrong before, so weighted up), 3: NotAction, 4: no Resource, else plain.
    Gen<Integer> shapes = ints(0, 19);
    return effects.zip(
        principalLists,
        actions(),
        conditionLists,
        shapes,
        (effect, principals, actions, conds, shape) -> {
          Statement.Builder b = Statement.builder().effect(effect);
          if (shape <= 2) {
            b.notPrincipals(principalsWithoutBareStar(principals));
          } else {
            b.principals(principals);
          }
          if (shape == 3) {
            b.notActions(actions);
          } else {
            b.actions(actions);
          }
          if (shape != 4) {
            b.addResource("*");
          }
          b.conditions(conds);
          return b.build();
        });
  }

  private static List<Principal> principalsWithoutBareStar(List<Principal> principals) {
    List<Principal> out = new ArrayList<>();
    for (Principal p : principals) {
      out.add(
          p instanceof Principal.Everyone
              ? Principal.aws("arn:aws:iam::" + KEY_ACCOUNT + ":role/x")
              : p);
    }
    return out;
  }

  private static boolean distinctOperatorKeys(List<Condition> conditions) {
    Set<String> seen = new HashSet<>();
    for (Condition c : conditions) {
      if (!seen.add(c.operator().name() + " " + c.key().normalized())) {
        return false;
      }
    }
    return true;
  }

  static Gen<KeyPolicy> policies() {
    return lists(statements(), 1, 4).map(l -> KeyPolicy.builder().statements(l).build());
  }

  /**
   * A pair (old, new) of policies where the new one is often a narrowing or small change of the
   * old: Deny statements added, a statement removed, a condition added, or an unrelated policy.
   */
  static Gen<Pair<KeyPolicy, KeyPolicy>> policyChanges() {
    return policies()
        .flatMap(
            old ->
                frequency(
                        weight(1, policies()),
                        weight(
                            2,
                            statements()
                                .map(
                                    s -> {
                                      List<Statement> l = new ArrayList<>(old.statements());
                                      l.add(s.toBuilder().effect(Effect.DENY).build());
                                      return old.toBuilder().statements(l).build();
                                    })),
                        weight(
                            2,
                            ints(0, old.statements().size() - 1)
                                .map(
                                    i -> {
                                      List<Statement> l = new ArrayList<>(old.statements());
                                      if (l.size() > 1) {
                                        l.remove((int) i);
                                      }
                                      return old.toBuilder().statements(l).build();
                                    })),
                        weight(
                            2,
                            ints(0, old.statements().size() - 1)
                                .zip(
                                    conditions(),
                                    (i, c) -> {
                                      List<Statement> l = new ArrayList<>(old.statements());
                                      Statement s = l.get(i);
                                      List<Condition> cs = new ArrayList<>(s.conditions());
                                      cs.add(c);
                                      if (distinctOperatorKeys(cs)) {
                                        l.set(i, s.toBuilder().conditions(cs).build());
                                      }
                                      return old.toBuilder().statements(l).build();
                                    })))
                    .map(changed -> Pair.of(old, changed)));
  }

  /** A request context that does not pin the caller to a named account, organization or network. */
  static Gen<Map<String, List<String>>> unrelatedContexts() {
    Gen<List<Pair<String, List<String>>>> entries =
        lists(
            pick(
                Pair.of("kms:ViaService", List.of("s3.us-east-1.amazonaws.com")),
                Pair.of("kms:ViaService", List.of("ec2.us-east-1.amazonaws.com")),
                Pair.of("kms:EncryptionContext:app", List.of("demo")),
                Pair.of("kms:EncryptionContextKeys", List.of("app")),
                Pair.of("kms:EncryptionContextKeys", List.of("app", "other")),
                Pair.of("kms:GrantIsForAWSResource", List.of("true")),
                Pair.of("aws:PrincipalOrgID", List.of("o-zzzzzzzzzz")),
                Pair.of("aws:PrincipalOrgPaths", List.of("o-zzzzzzzzzz/r-zz/")),
                Pair.of("aws:SourceIp", List.of("203.0.113.9")),
                Pair.of("aws:SourceVpce", List.of("vpce-unrelated"))),
            0,
            3);
    return entries.map(
        l -> {
          Map<String, List<String>> m = new TreeMap<>();
          for (Pair<String, List<String>> t : l) {
            m.put(t._1.toLowerCase(Locale.ROOT), t._2);
          }
          return m;
        });
  }

  /** Any request context from the values the generated policies name, and some they do not. */
  static Gen<Map<String, List<String>>> contexts() {
    Gen<List<Pair<String, List<String>>>> entries =
        lists(
            pick(
                Pair.of("kms:ViaService", List.of("s3.us-east-1.amazonaws.com")),
                Pair.of("kms:EncryptionContext:app", List.of("demo")),
                Pair.of("kms:EncryptionContextKeys", List.of("app")),
                Pair.of("kms:EncryptionContextKeys", List.of("app", "other")),
                Pair.of("kms:EncryptionContextKeys", List.<String>of()),
                Pair.of("kms:GrantIsForAWSResource", List.of("true")),
                Pair.of("kms:GrantIsForAWSResource", List.of("false")),
                Pair.of("aws:PrincipalOrgID", List.of("o-a1b2c3d4e5")),
                Pair.of("aws:PrincipalOrgID", List.of("o-zzzzzzzzzz")),
                Pair.of("aws:PrincipalOrgPaths", List.of("o-a1b2c3d4e5/r-ab12/")),
                Pair.of("aws:SourceIp", List.of("10.1.2.3")),
                Pair.of("aws:SourceIp", List.of("10.200.0.1")),
                Pair.of("aws:SourceIp", List.of("203.0.113.9")),
                Pair.of("aws:SourceVpce", List.of("vpce-1a2b3c4d")),
                Pair.of("kms:ScheduleKeyDeletionPendingWindowInDays", List.of("7")),
                Pair.of("kms:ScheduleKeyDeletionPendingWindowInDays", List.of("31"))),
            0,
            4);
    return entries.map(
        l -> {
          Map<String, List<String>> m = new TreeMap<>();
          for (Pair<String, List<String>> t : l) {
            m.put(t._1.toLowerCase(Locale.ROOT), t._2);
          }
          return m;
        });
  }

  /** Callers: named in the generated policies, in their accounts, and strangers. */
  static Gen<String> callers() {
    return pick(
        "arn:aws:iam::" + KEY_ACCOUNT + ":root",
        "arn:aws:iam::" + KEY_ACCOUNT + ":role/admin",
        "arn:aws:iam::" + KEY_ACCOUNT + ":role/team/app",
        "arn:aws:iam::" + KEY_ACCOUNT + ":role/other",
        "arn:aws:iam::" + KEY_ACCOUNT + ":role/app-7",
        "arn:aws:iam::" + KEY_ACCOUNT + ":user/alice",
        "arn:aws:sts::" + KEY_ACCOUNT + ":assumed-role/admin/s2",
        "arn:aws:iam::" + OTHER_ACCOUNT + ":role/partner",
        "arn:aws:iam::" + OTHER_ACCOUNT + ":root",
        "arn:aws:iam::" + FRESH_ACCOUNT + ":role/x",
        "arn:aws:iam::" + FRESH_ACCOUNT + ":role/stranger",
        "arn:aws:iam::" + FRESH_ACCOUNT + ":root",
        "logs.us-east-1.amazonaws.com",
        "other.amazonaws.com",
        "anonymous");
  }

  static Gen<KmsAction> requestActions() {
    return pick(
        KmsAction.DECRYPT,
        KmsAction.ENCRYPT,
        KmsAction.DESCRIBE_KEY,
        KmsAction.CREATE_GRANT,
        KmsAction.GENERATE_DATA_KEY,
        KmsAction.PUT_KEY_POLICY,
        KmsAction.SCHEDULE_KEY_DELETION);
  }
}

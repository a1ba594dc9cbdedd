package dev.kmsposture.access;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

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

  static Arbitrary<Principal> principals() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(Principal.everyone())),
        Tuple.of(
            6,
            Arbitraries.of(
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
        Tuple.of(1, Arbitraries.just(Principal.service("logs.us-east-1.amazonaws.com"))));
  }

  /** Conditions, as (operator, key, values). */
  static Arbitrary<Condition> conditions() {
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
    return Arbitraries.of(all);
  }

  private static Condition cond(String op, String key, String... values) {
    return Condition.of(ConditionOperator.of(op), ConditionKey.of(key), values);
  }

  static Arbitrary<List<KmsAction>> actions() {
    return Arbitraries.of(
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:*",
            "kms:PutKeyPolicy",
            "kms:CreateGrant",
            "kms:Describe*",
            "kms:GenerateDataKey*",
            "kms:ScheduleKeyDeletion")
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .uniqueElements()
        .map(names -> names.stream().map(KmsAction::of).toList());
  }

  static Arbitrary<Statement> statements() {
    Arbitrary<Effect> effects =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(Effect.ALLOW)),
            Tuple.of(1, Arbitraries.just(Effect.DENY)));
    Arbitrary<List<Principal>> principalLists =
        principals()
            .list()
            .ofMinSize(1)
            .ofMaxSize(2)
            .uniqueElements()
            .filter(
                l -> l.size() == 1 || l.stream().noneMatch(p -> p instanceof Principal.Everyone));
    Arbitrary<List<Condition>> conditionLists =
        conditions().list().ofMaxSize(2).filter(GeneratedPolicies::distinctOperatorKeys);
    Arbitrary<Integer> shapes = Arbitraries.integers().between(0, 19);
    return Combinators.combine(effects, principalLists, actions(), conditionLists, shapes)
        .as(
            (effect, principals, actions, conds, shape) -> {
              Statement.Builder b = Statement.builder().effect(effect);
              if (shape == 0) {
                b.notPrincipals(principalsWithoutBareStar(principals));
              } else {
                b.principals(principals);
              }
              if (shape == 1) {
                b.notActions(actions);
              } else {
                b.actions(actions);
              }
              if (shape != 2) {
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

  static Arbitrary<KeyPolicy> policies() {
    return statements()
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(l -> KeyPolicy.builder().statements(l).build());
  }

  /**
   * A pair (old, new) of policies where the new one is often a narrowing or small change of the
   * old: Deny statements added, a statement removed, a condition added, or an unrelated policy.
   */
  static Arbitrary<Tuple.Tuple2<KeyPolicy, KeyPolicy>> policyChanges() {
    return policies()
        .flatMap(
            old ->
                Arbitraries.frequencyOf(
                        Tuple.of(1, policies()),
                        Tuple.of(
                            2,
                            statements()
                                .map(
                                    s -> {
                                      List<Statement> l = new ArrayList<>(old.statements());
                                      l.add(s.toBuilder().effect(Effect.DENY).build());
                                      return old.toBuilder().statements(l).build();
                                    })),
                        Tuple.of(
                            2,
                            Arbitraries.integers()
                                .between(0, old.statements().size() - 1)
                                .map(
                                    i -> {
                                      List<Statement> l = new ArrayList<>(old.statements());
                                      if (l.size() > 1) {
                                        l.remove((int) i);
                                      }
                                      return old.toBuilder().statements(l).build();
                                    })),
                        Tuple.of(
                            2,
                            Combinators.combine(
                                    Arbitraries.integers().between(0, old.statements().size() - 1),
                                    conditions())
                                .as(
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
                    .map(changed -> Tuple.of(old, changed)));
  }

  /** A request context that does not pin the caller to a named account, organization or network. */
  static Arbitrary<Map<String, List<String>>> unrelatedContexts() {
    Arbitrary<List<Tuple.Tuple2<String, List<String>>>> entries =
        Arbitraries.of(
                Tuple.of("kms:ViaService", List.of("s3.us-east-1.amazonaws.com")),
                Tuple.of("kms:ViaService", List.of("ec2.us-east-1.amazonaws.com")),
                Tuple.of("kms:EncryptionContext:app", List.of("demo")),
                Tuple.of("kms:EncryptionContextKeys", List.of("app")),
                Tuple.of("kms:EncryptionContextKeys", List.of("app", "other")),
                Tuple.of("kms:GrantIsForAWSResource", List.of("true")),
                Tuple.of("aws:PrincipalOrgID", List.of("o-zzzzzzzzzz")),
                Tuple.of("aws:PrincipalOrgPaths", List.of("o-zzzzzzzzzz/r-zz/")),
                Tuple.of("aws:SourceIp", List.of("203.0.113.9")),
                Tuple.of("aws:SourceVpce", List.of("vpce-unrelated")))
            .list()
            .ofMaxSize(3);
    return entries.map(
        l -> {
          Map<String, List<String>> m = new TreeMap<>();
          for (Tuple.Tuple2<String, List<String>> t : l) {
            m.put(t.get1().toLowerCase(Locale.ROOT), t.get2());
          }
          return m;
        });
  }

  /** Any request context from the values the generated policies name, and some they do not. */
  static Arbitrary<Map<String, List<String>>> contexts() {
    Arbitrary<List<Tuple.Tuple2<String, List<String>>>> entries =
        Arbitraries.of(
                Tuple.of("kms:ViaService", List.of("s3.us-east-1.amazonaws.com")),
                Tuple.of("kms:EncryptionContext:app", List.of("demo")),
                Tuple.of("kms:EncryptionContextKeys", List.of("app")),
                Tuple.of("kms:EncryptionContextKeys", List.of("app", "other")),
                Tuple.of("kms:EncryptionContextKeys", List.<String>of()),
                Tuple.of("kms:GrantIsForAWSResource", List.of("true")),
                Tuple.of("kms:GrantIsForAWSResource", List.of("false")),
                Tuple.of("aws:PrincipalOrgID", List.of("o-a1b2c3d4e5")),
                Tuple.of("aws:PrincipalOrgID", List.of("o-zzzzzzzzzz")),
                Tuple.of("aws:PrincipalOrgPaths", List.of("o-a1b2c3d4e5/r-ab12/")),
                Tuple.of("aws:SourceIp", List.of("10.1.2.3")),
                Tuple.of("aws:SourceIp", List.of("10.200.0.1")),
                Tuple.of("aws:SourceIp", List.of("203.0.113.9")),
                Tuple.of("aws:SourceVpce", List.of("vpce-1a2b3c4d")),
                Tuple.of("kms:ScheduleKeyDeletionPendingWindowInDays", List.of("7")),
                Tuple.of("kms:ScheduleKeyDeletionPendingWindowInDays", List.of("31")))
            .list()
            .ofMaxSize(4);
    return entries.map(
        l -> {
          Map<String, List<String>> m = new TreeMap<>();
          for (Tuple.Tuple2<String, List<String>> t : l) {
            m.put(t.get1().toLowerCase(Locale.ROOT), t.get2());
          }
          return m;
        });
  }

  /** Callers: named in the generated policies, in their accounts, and strangers. */
  static Arbitrary<String> callers() {
    return Arbitraries.of(
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

  static Arbitrary<KmsAction> requestActions() {
    return Arbitraries.of(
        KmsAction.DECRYPT,
        KmsAction.ENCRYPT,
        KmsAction.DESCRIBE_KEY,
        KmsAction.CREATE_GRANT,
        KmsAction.GENERATE_DATA_KEY,
        KmsAction.PUT_KEY_POLICY,
        KmsAction.SCHEDULE_KEY_DELETION);
  }
}

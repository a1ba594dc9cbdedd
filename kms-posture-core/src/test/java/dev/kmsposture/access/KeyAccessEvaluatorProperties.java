package dev.kmsposture.access;

import static dev.kmsposture.testing.Gens.booleans;
import static dev.kmsposture.testing.Gens.ints;
import static dev.kmsposture.testing.Gens.lists;
import static dev.kmsposture.testing.Gens.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.policy.Effect;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class KeyAccessEvaluatorProperties {
  private static final String A = "111122223333";
  private static final String B = "444455556666";
  private static final String KEY = "arn:aws:kms:us-east-1:" + A + ":key/k1";

  private static final List<String> CALLERS =
      List.of(
          "arn:aws:iam::" + A + ":root",
          "arn:aws:iam::" + A + ":user/alice",
          "arn:aws:iam::" + A + ":role/App",
          "arn:aws:sts::" + A + ":assumed-role/App/s1",
          "arn:aws:iam::" + B + ":role/Partner",
          "arn:aws:sts::" + B + ":assumed-role/Partner/s2",
          "logs.us-east-1.amazonaws.com",
          "anonymous");

  private static final List<String> PRINCIPALS =
      List.of(
          "*",
          A,
          "arn:aws:iam::" + A + ":root",
          "arn:aws:iam::" + B + ":root",
          "arn:aws:iam::" + A + ":role/App",
          "arn:aws:iam::" + A + ":user/alice",
          "arn:aws:sts::" + A + ":assumed-role/App/s1",
          "arn:aws:iam::*:root",
          "AROAEXAMPLEEXAMPLE12");

  private static final List<String> ACTIONS =
      List.of(
          "kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy", "kms:CreateGrant", "kms:DescribeKey");

  static Gen<Statement> statements() {
    Gen<Effect> effect = pick(Effect.values());
    Gen<List<String>> principals = lists(pick(PRINCIPALS), 1, 3);
    Gen<Boolean> notPrincipal = pick(false, false, false, true);
    Gen<List<String>> actions =
        lists(pick("kms:*", "kms:Decrypt", "kms:Encrypt", "kms:Put*", "kms:*Grant", "*"), 1, 3);
    Gen<Integer> condition = ints(0, 5);
    return effect.zip(
        principals,
        notPrincipal,
        actions,
        condition,
        (e, ps, not, as, c) -> {
          Statement.Builder b = Statement.builder().effect(e).addResource("*");
          List<Principal> list =
              ps.stream().distinct().map(p -> (Principal) Principal.aws(p)).toList();
          if (not) {
            b.notPrincipals(list);
          } else {
            b.principals(list);
          }
          as.stream().distinct().forEach(b::addAction);
          switch (c) {
            case 1 -> b.addCondition("StringEquals", "kms:CallerAccount", A);
            case 2 ->
                b.addCondition("StringEquals", "kms:ViaService", "s3.us-east-1.amazonaws.com");
            case 3 ->
                b.addCondition("ArnLike", "aws:PrincipalArn", "arn:aws:iam::" + A + ":role/*");
            case 4 -> b.addCondition("StringNotEqualsIfExists", "aws:SourceVpce", "vpce-1");
            default -> {}
          }
          return b.build();
        });
  }

  static Gen<List<Statement>> policies() {
    return lists(statements(), 1, 6);
  }

  static Gen<AccessRequest> requests() {
    return pick(CALLERS)
        .zip(
            pick(ACTIONS),
            booleans(),
            booleans(),
            (p, a, via, boundary) -> {
              AccessRequest.Builder b =
                  AccessRequest.builder().principal(p).action(a).resource(KEY);
              if (via) {
                b.putContext("kms:ViaService", "s3.us-east-1.amazonaws.com");
              }
              return b.permissionsBoundary(boundary).build();
            });
  }

  @Test
  void addingDeny_neverTurnsDenialIntoAllow() {
    qt().withExamples(330)
        .forAll(policies(), statements(), requests())
        .checkAssert(
            (statements, extra, request) -> {
              KeyPolicy before = KeyPolicy.builder().statements(statements).build();
              Statement deny = extra.toBuilder().effect(Effect.DENY).build();
              KeyPolicy after = before.toBuilder().addStatement(deny).build();
              Decision d1 = KeyAccessEvaluator.evaluate(before, request);
              Decision d2 = KeyAccessEvaluator.evaluate(after, request);
              if (!d1.isAllowed()) {
                assertThat(d2.isAllowed())
                    .as("%s%n%s%n%s", after, request, d2.explanation())
                    .isFalse();
              }
            });
  }

  @Test
  void evaluate_isDeterministic() {
    qt().withExamples(330)
        .forAll(policies(), requests())
        .checkAssert(
            (statements, request) -> {
              KeyPolicy policy = KeyPolicy.builder().statements(statements).build();
              KeyAccessEvaluator e =
                  KeyAccessEvaluator.builder().keyPolicy(policy).keyArn(KEY).build();
              Decision first = e.evaluate(request);
              Decision again =
                  KeyAccessEvaluator.builder()
                      .keyPolicy(KeyPolicy.parse(policy.toJson()))
                      .keyArn(KEY)
                      .build()
                      .evaluate(request);
              assertThat(again).isEqualTo(first);
              assertThat(e.evaluate(request)).isEqualTo(first);
            });
  }

  @Test
  void anonymous_isNeverAllowed() {
    qt().withExamples(330)
        .forAll(policies())
        .checkAssert(
            statements -> {
              KeyPolicy policy = KeyPolicy.builder().statements(statements).build();
              AccessRequest r =
                  AccessRequest.builder()
                      .principal("anonymous")
                      .action("kms:Decrypt")
                      .resource(KEY)
                      .build();
              assertThat(KeyAccessEvaluator.evaluate(policy, r).isAllowed()).isFalse();
            });
  }
}

package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.Effect;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Provide
  Arbitrary<Statement> statements() {
    Arbitrary<Effect> effect = Arbitraries.of(Effect.values());
    Arbitrary<List<String>> principals =
        Arbitraries.of(PRINCIPALS).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<Boolean> notPrincipal = Arbitraries.of(false, false, false, true);
    Arbitrary<List<String>> actions =
        Arbitraries.of("kms:*", "kms:Decrypt", "kms:Encrypt", "kms:Put*", "kms:*Grant", "*")
            .list()
            .ofMinSize(1)
            .ofMaxSize(3);
    Arbitrary<Integer> condition = Arbitraries.integers().between(0, 5);
    return Combinators.combine(effect, principals, notPrincipal, actions, condition)
        .as(
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
                case 1:
                  b.addCondition("StringEquals", "kms:CallerAccount", A);
                  break;
                case 2:
                  b.addCondition("StringEquals", "kms:ViaService", "s3.us-east-1.amazonaws.com");
                  break;
                case 3:
                  b.addCondition("ArnLike", "aws:PrincipalArn", "arn:aws:iam::" + A + ":role/*");
                  break;
                case 4:
                  b.addCondition("StringNotEqualsIfExists", "aws:SourceVpce", "vpce-1");
                  break;
                default:
                  break;
              }
              return b.build();
            });
  }

  @Provide
  Arbitrary<List<Statement>> policies() {
    return statements().list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<AccessRequest> requests() {
    return Combinators.combine(
            Arbitraries.of(CALLERS),
            Arbitraries.of(ACTIONS),
            Arbitraries.of(false, true),
            Arbitraries.of(false, true))
        .as(
            (p, a, via, boundary) -> {
              AccessRequest.Builder b =
                  AccessRequest.builder().principal(p).action(a).resource(KEY);
              if (via) {
                b.putContext("kms:ViaService", "s3.us-east-1.amazonaws.com");
              }
              return b.permissionsBoundary(boundary).build();
            });
  }

  @Property(tries = 300)
  void addingDeny_neverTurnsDenialIntoAllow(
      @ForAll("policies") List<Statement> statements,
      @ForAll("statements") Statement extra,
      @ForAll("requests") AccessRequest request) {
    if (statements.isEmpty()) {
      return;
    }
    KeyPolicy before = KeyPolicy.builder().statements(statements).build();
    Statement deny = extra.toBuilder().effect(Effect.DENY).build();
    KeyPolicy after = before.toBuilder().addStatement(deny).build();
    Decision d1 = KeyAccessEvaluator.evaluate(before, request);
    Decision d2 = KeyAccessEvaluator.evaluate(after, request);
    if (!d1.isAllowed()) {
      assertThat(d2.isAllowed()).as("%s%n%s%n%s", after, request, d2.explanation()).isFalse();
    }
  }

  @Property(tries = 300)
  void evaluate_isDeterministic(
      @ForAll("policies") List<Statement> statements, @ForAll("requests") AccessRequest request) {
    if (statements.isEmpty()) {
      return;
    }
    KeyPolicy policy = KeyPolicy.builder().statements(statements).build();
    KeyAccessEvaluator e = KeyAccessEvaluator.builder().keyPolicy(policy).keyArn(KEY).build();
    Decision first = e.evaluate(request);
    Decision again =
        KeyAccessEvaluator.builder()
            .keyPolicy(KeyPolicy.parse(policy.toJson()))
            .keyArn(KEY)
            .build()
            .evaluate(request);
    assertThat(again).isEqualTo(first);
    assertThat(e.evaluate(request)).isEqualTo(first);
  }

  @Property(tries = 300)
  void anonymous_isNeverAllowed(@ForAll("policies") List<Statement> statements) {
    if (statements.isEmpty()) {
      return;
    }
    KeyPolicy policy = KeyPolicy.builder().statements(statements).build();
    AccessRequest r =
        AccessRequest.builder().principal("anonymous").action("kms:Decrypt").resource(KEY).build();
    assertThat(KeyAccessEvaluator.evaluate(policy, r).isAllowed()).isFalse();
  }
}

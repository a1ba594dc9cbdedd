package dev.kmsposture.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of key policies from the model's records, covering every principal kind, scalar and
 * array shapes, NotX elements, conditions with qualifiers, IfExists, empty value lists, booleans
 * and numbers, missing Action/Resource, every Version, Statement as one object, and text that needs
 * escapes (including characters above U+00FF and a lone surrogate).
 */
final class PolicyArbitraries {
  private PolicyArbitraries() {}

  /** Short text with characters that need JSON escapes or lie outside KMS's raw range. */
  static Arbitrary<String> text() {
    Arbitrary<String> plain =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> tricky =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('é', 'ÿ', '\u007f', '"', '\\', '/', '~', '\n', '\t', '\r', '\b', '\f')
            .withChars('\u0000', '\u001f', '\u0100', '\u4e2d', '\u2028', '\ud800', '\uffff')
            .ofMinLength(1)
            .ofMaxLength(12);
    return Arbitraries.frequencyOf(Tuple.of(3, plain), Tuple.of(2, tricky));
  }

  static Arbitrary<String> accountIds() {
    return Arbitraries.of("111122223333", "444455556666", "123456789012");
  }

  static Arbitrary<String> partitions() {
    return Arbitraries.of("aws", "aws", "aws-cn", "aws-us-gov");
  }

  /** AWS principal values of every {@link Principal.AwsKind}. */
  static Arbitrary<String> awsPrincipalValues() {
    Arbitrary<String> arnLike =
        Combinators.combine(
                partitions(),
                accountIds(),
                Arbitraries.of(
                    "iam|root",
                    "iam|role/KeyAdmin",
                    "iam|role/service-role/team/Reader",
                    "iam|user/Alice",
                    "iam|user/division/Bob",
                    "sts|assumed-role/KeyAdmin/session-1",
                    "sts|federated-user/Carol"))
            .as(
                (partition, account, res) -> {
                  String[] parts = res.split("\\|");
                  return "arn:" + partition + ":" + parts[0] + "::" + account + ":" + parts[1];
                });
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just("*")),
        Tuple.of(2, accountIds()),
        Tuple.of(5, arnLike),
        Tuple.of(1, Arbitraries.of("AIDAJQABLZS4A3QDU576Q", "AROADBQP57FF2AEXAMPLE")),
        Tuple.of(1, Arbitraries.of("arn:aws:iam::*:root", "arn:aws:iam::111122223333:role/*")),
        Tuple.of(1, text()));
  }

  static Arbitrary<Principal> nonBarePrincipals() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, awsPrincipalValues().map(Principal::aws)),
        Tuple.of(
            2,
            Arbitraries.of(
                    "logs.us-east-1.amazonaws.com", "sns.amazonaws.com", "cloudtrail.amazonaws.com")
                .map(Principal::service)),
        Tuple.of(1, Arbitraries.of("cognito-identity.amazonaws.com").map(Principal.Federated::new)),
        Tuple.of(
            1,
            Arbitraries.of("79a59df900b949e55d96a1e698fbaced").map(Principal.CanonicalUser::new)));
  }

  static Arbitrary<Statement.PrincipalElement> principalElements() {
    Arbitrary<Boolean> negated = Arbitraries.of(false, false, true);
    Arbitrary<Statement.PrincipalElement> bare =
        negated.map(
            n -> new Statement.PrincipalElement(n, List.of(Principal.everyone()), Set.of()));
    Arbitrary<Statement.PrincipalElement> listed =
        Combinators.combine(
                negated,
                nonBarePrincipals().list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.randoms())
            .as(
                (n, principals, random) -> {
                  Set<String> arrayTypes = new TreeSet<>();
                  for (Principal p : principals) {
                    long count = principals.stream().filter(q -> q.type().equals(p.type())).count();
                    if (count > 1 || random.nextBoolean()) {
                      arrayTypes.add(p.type());
                    }
                  }
                  return new Statement.PrincipalElement(n, principals, arrayTypes);
                });
    return Arbitraries.frequencyOf(Tuple.of(1, bare), Tuple.of(4, listed));
  }

  static Arbitrary<KmsAction> actions() {
    Arbitrary<KmsAction> known = Arbitraries.of(List.copyOf(KmsAction.known()));
    Arbitrary<KmsAction> spelled =
        Arbitraries.of(
                "kms:*",
                "*",
                "kms:Get*",
                "KMS:decrypt",
                "kms:Decrpyt",
                "s3:GetObject",
                "kms:*Grant*")
            .map(KmsAction::of);
    return Arbitraries.frequencyOf(
        Tuple.of(4, known), Tuple.of(2, spelled), Tuple.of(1, text().map(KmsAction::of)));
  }

  /** True for array form; a list of other than one item must be an array. */
  private static boolean arrayFlag(int size, boolean coin) {
    return size != 1 || coin;
  }

  static Arbitrary<Statement.ActionElement> actionElements() {
    Arbitrary<Statement.ActionElement> present =
        Combinators.combine(
                Arbitraries.of(false, false, true),
                actions().list().ofMaxSize(3),
                Arbitraries.of(true, false))
            .as(
                (n, list, coin) ->
                    new Statement.ActionElement(n, list, arrayFlag(list.size(), coin)));
    return present.injectNull(0.1);
  }

  static Arbitrary<Statement.ResourceElement> resourceElements() {
    Arbitrary<String> resources =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.just("*")),
            Tuple.of(
                2,
                Arbitraries.of(
                    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "arn:aws:kms:*:111122223333:key/*",
                    "arn:aws:kms:us-east-1:111122223333:alias/app")),
            Tuple.of(1, text()));
    Arbitrary<Statement.ResourceElement> present =
        Combinators.combine(
                Arbitraries.of(false, false, true),
                resources.list().ofMaxSize(3),
                Arbitraries.of(true, false))
            .as(
                (n, list, coin) ->
                    new Statement.ResourceElement(n, list, arrayFlag(list.size(), coin)));
    return present.injectNull(0.1);
  }

  static Arbitrary<ConditionOperator> operators() {
    Arbitrary<String> base =
        Arbitraries.of(
            "StringEquals",
            "StringNotEquals",
            "StringLike",
            "StringEqualsIgnoreCase",
            "ArnLike",
            "ArnEquals",
            "Bool",
            "NumericLessThan",
            "DateGreaterThan",
            "IpAddress",
            "Null",
            "StringEqualz");
    return Combinators.combine(
            Arbitraries.of("", "", "", "ForAnyValue:", "ForAllValues:"),
            base,
            Arbitraries.of("", "", "IfExists"))
        .as((q, b, s) -> ConditionOperator.of(q + b + s));
  }

  static Arbitrary<ConditionKey> keys() {
    Arbitrary<String> names =
        Arbitraries.of(
            "kms:ViaService",
            "kms:CallerAccount",
            "kms:GrantIsForAWSResource",
            "kms:EncryptionContext:aws:logs:arn",
            "kms:EncryptionContextKeys",
            "aws:PrincipalOrgID",
            "aws:ResourceTag/team~x",
            "aws:SourceArn");
    return Combinators.combine(names, Arbitraries.of(0, 0, 1, 2))
        .as(
            (n, c) ->
                ConditionKey.of(
                    c == 1 ? n.toUpperCase(Locale.ROOT) : c == 2 ? n.toLowerCase(Locale.ROOT) : n));
  }

  static Arbitrary<ConditionValue> conditionValues() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, text().map(ConditionValue::of)),
        Tuple.of(2, Arbitraries.of(true, false).map(ConditionValue::of)),
        Tuple.of(
            2,
            Arbitraries.of("0", "-0", "12", "3600", "1.5e3", "1E+2", "-7.25")
                .map(t -> new ConditionValue(t, ConditionValue.Type.NUMBER))));
  }

  static Arbitrary<Condition> conditions() {
    return Combinators.combine(
            operators(), keys(), conditionValues().list().ofMaxSize(3), Arbitraries.of(true, false))
        .as(
            (op, key, values, coin) ->
                new Condition(op, key, values, arrayFlag(values.size(), coin)));
  }

  static Arbitrary<Statement.ConditionElement> conditionElements() {
    Arbitrary<List<Condition>> list =
        conditions()
            .list()
            .ofMaxSize(4)
            .uniqueElements(c -> c.operator().name() + "\u0000" + c.key().normalized());
    Arbitrary<List<ConditionOperator>> empty = operators().list().ofMaxSize(1);
    return Combinators.combine(list, empty)
        .as(
            (cs, ops) -> {
              List<ConditionOperator> emptyOps = new ArrayList<>();
              for (ConditionOperator op : ops) {
                if (cs.stream().noneMatch(c -> c.operator().equals(op))) {
                  emptyOps.add(op);
                }
              }
              return new Statement.ConditionElement(cs, emptyOps);
            })
        .injectNull(0.4);
  }

  static Arbitrary<Statement> statements() {
    return Combinators.combine(
            text().injectNull(0.5),
            Arbitraries.of(Effect.class),
            principalElements(),
            actionElements(),
            resourceElements(),
            conditionElements())
        .as(Statement::new);
  }

  static Arbitrary<KeyPolicy> policies() {
    return Combinators.combine(
            Arbitraries.of(PolicyVersion.V2012_10_17, PolicyVersion.V2008_10_17).injectNull(0.2),
            text().injectNull(0.7),
            statements().list().ofMinSize(1).ofMaxSize(4),
            Arbitraries.of(true, false))
        .as((v, id, ss, coin) -> new KeyPolicy(v, id, ss, ss.size() != 1 || coin));
  }
}

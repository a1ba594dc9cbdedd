package dev.kmsposture.policy;

import static dev.kmsposture.testing.Gens.alphabet;
import static dev.kmsposture.testing.Gens.booleans;
import static dev.kmsposture.testing.Gens.distinctLists;
import static dev.kmsposture.testing.Gens.frequency;
import static dev.kmsposture.testing.Gens.lists;
import static dev.kmsposture.testing.Gens.orNull;
import static dev.kmsposture.testing.Gens.pick;
import static dev.kmsposture.testing.Gens.randoms;
import static dev.kmsposture.testing.Gens.strings;
import static dev.kmsposture.testing.Gens.weight;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators of key policies from the model's records, covering every principal kind, scalar and
 * array shapes, NotX elements, conditions with qualifiers, IfExists, empty value lists, booleans
 * and numbers, missing Action/Resource, every Version, Statement as one object, and text that needs
 * escapes (including characters above U+00FF and a lone surrogate).
 */
final class PolicyGenerators {
  private PolicyGenerators() {}

  /** Short text with characters that need JSON escapes or lie outside KMS's raw range. */
  static Gen<String> text() {
    Gen<String> plain = strings(alphabet('a', 'z', ""), 1, 8);
    Gen<String> tricky =
        strings(
            alphabet(
                ' ',
                '~',
                "éÿ\u007f\"\\/~\n\t\r\b\f" + "\u0000\u001f\u0100\u4e2d\u2028\ud800\uffff"),
            1,
            12);
    return frequency(weight(3, plain), weight(2, tricky));
  }

  static Gen<String> accountIds() {
    return pick("111122223333", "444455556666", "123456789012");
  }

  static Gen<String> partitions() {
    return pick("aws", "aws", "aws-cn", "aws-us-gov");
  }

  /** AWS principal values of every {@link Principal.AwsKind}. */
  static Gen<String> awsPrincipalValues() {
    Gen<String> arnLike =
        partitions()
            .zip(
                accountIds(),
                pick(
                    "iam|root",
                    "iam|role/KeyAdmin",
                    "iam|role/service-role/team/Reader",
                    "iam|user/Alice",
                    "iam|user/division/Bob",
                    "sts|assumed-role/KeyAdmin/session-1",
                    "sts|federated-user/Carol"),
                (partition, account, res) -> {
                  String[] parts = res.split("\\|", -1);
                  return "arn:" + partition + ":" + parts[0] + "::" + account + ":" + parts[1];
                });
    return frequency(
        weight(2, Generate.constant("*")),
        weight(2, accountIds()),
        weight(5, arnLike),
        weight(1, pick("AIDAJQABLZS4A3QDU576Q", "AROADBQP57FF2AEXAMPLE")),
        weight(1, pick("arn:aws:iam::*:root", "arn:aws:iam::111122223333:role/*")),
        weight(1, text()));
  }

  static Gen<Principal> nonBarePrincipals() {
    return frequency(
        weight(6, awsPrincipalValues().map(Principal::aws)),
        weight(
            2,
            pick("logs.us-east-1.amazonaws.com", "sns.amazonaws.com", "cloudtrail.amazonaws.com")
                .map(Principal::service)),
        weight(1, Generate.constant(new Principal.Federated("cognito-identity.amazonaws.com"))),
        weight(
            1, Generate.constant(new Principal.CanonicalUser("79a59df900b949e55d96a1e698fbaced"))));
  }

  static Gen<Statement.PrincipalElement> principalElements() {
    Gen<Boolean> negated = pick(false, false, true);
    Gen<Statement.PrincipalElement> bare =
        negated.map(
            n -> new Statement.PrincipalElement(n, List.of(Principal.everyone()), Set.of()));
    Gen<Statement.PrincipalElement> listed =
        negated.zip(
            lists(nonBarePrincipals(), 1, 4),
            randoms(),
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
    return frequency(weight(1, bare), weight(4, listed));
  }

  static Gen<KmsAction> actions() {
    Gen<KmsAction> known = pick(List.copyOf(KmsAction.known()));
    Gen<KmsAction> spelled =
        pick("kms:*", "*", "kms:Get*", "KMS:decrypt", "kms:Decrpyt", "s3:GetObject", "kms:*Grant*")
            .map(KmsAction::of);
    return frequency(weight(4, known), weight(2, spelled), weight(1, text().map(KmsAction::of)));
  }

  /** True for array form; a list of other than one item must be an array. */
  private static boolean arrayFlag(int size, boolean coin) {
    return size != 1 || coin;
  }

  static Gen<Statement.ActionElement> actionElements() {
    Gen<Statement.ActionElement> present =
        pick(false, false, true)
            .zip(
                lists(actions(), 0, 3),
                booleans(),
                (n, list, coin) ->
                    new Statement.ActionElement(n, list, arrayFlag(list.size(), coin)));
    return orNull(present, 10);
  }

  static Gen<Statement.ResourceElement> resourceElements() {
    Gen<String> resources =
        frequency(
            weight(5, Generate.constant("*")),
            weight(
                2,
                pick(
                    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "arn:aws:kms:*:111122223333:key/*",
                    "arn:aws:kms:us-east-1:111122223333:alias/app")),
            weight(1, text()));
    Gen<Statement.ResourceElement> present =
        pick(false, false, true)
            .zip(
                lists(resources, 0, 3),
                booleans(),
                (n, list, coin) ->
                    new Statement.ResourceElement(n, list, arrayFlag(list.size(), coin)));
    return orNull(present, 10);
  }

  static Gen<ConditionOperator> operators() {
    Gen<String> base =
        pick(
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
    return pick("", "", "", "ForAnyValue:", "ForAllValues:")
        .zip(base, pick("", "", "IfExists"), (q, b, s) -> ConditionOperator.of(q + b + s));
  }

  static Gen<ConditionKey> keys() {
    Gen<String> names =
        pick(
            "kms:ViaService",
            "kms:CallerAccount",
            "kms:GrantIsForAWSResource",
            "kms:EncryptionContext:aws:logs:arn",
            "kms:EncryptionContextKeys",
            "aws:PrincipalOrgID",
            "aws:ResourceTag/team~x",
            "aws:SourceArn");
    return names.zip(
        pick(0, 0, 1, 2),
        (n, c) ->
            ConditionKey.of(
                c == 1 ? n.toUpperCase(Locale.ROOT) : c == 2 ? n.toLowerCase(Locale.ROOT) : n));
  }

  static Gen<ConditionValue> conditionValues() {
    return frequency(
        weight(5, text().map(ConditionValue::of)),
        weight(2, booleans().map(ConditionValue::of)),
        weight(
            2,
            pick("0", "-0", "12", "3600", "1.5e3", "1E+2", "-7.25")
                .map(t -> new ConditionValue(t, ConditionValue.Type.NUMBER))));
  }

  static Gen<Condition> conditions() {
    return operators()
        .zip(
            keys(),
            lists(conditionValues(), 0, 3),
            booleans(),
            (op, key, values, coin) ->
                new Condition(op, key, values, arrayFlag(values.size(), coin)));
  }

  static Gen<Statement.ConditionElement> conditionElements() {
    Gen<List<Condition>> list =
        distinctLists(
            conditions(), c -> c.operator().name() + "\u0000" + c.key().normalized(), 0, 4);
    Gen<List<ConditionOperator>> empty = lists(operators(), 0, 1);
    return orNull(
        list.zip(
            empty,
            (cs, ops) -> {
              List<ConditionOperator> emptyOps = new ArrayList<>();
              for (ConditionOperator op : ops) {
                if (cs.stream().noneMatch(c -> c.operator().equals(op))) {
                  emptyOps.add(op);
                }
              }
              return new Statement.ConditionElement(cs, emptyOps);
            }),
        40);
  }

  static Gen<Statement> statements() {
    return resourceElements()
        .zip(conditionElements(), Pair::of)
        .zip(
            orNull(text(), 50),
            Generate.enumValues(Effect.class),
            principalElements(),
            actionElements(),
            (rc, sid, effect, principal, action) ->
                new Statement(sid, effect, principal, action, rc._1, rc._2));
  }

  static Gen<KeyPolicy> policies() {
    return orNull(pick(PolicyVersion.V2012_10_17, PolicyVersion.V2008_10_17), 20)
        .zip(
            orNull(text(), 70),
            lists(statements(), 1, 4),
            booleans(),
            (v, id, ss, coin) -> new KeyPolicy(v, id, ss, ss.size() != 1 || coin));
  }
}

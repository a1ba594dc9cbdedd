package dev.kmsposture.prover;

import static dev.kmsposture.prover.Fixtures.KEY;
import static dev.kmsposture.prover.Fixtures.OTHER_KEY;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Generated key policies in the shapes issue 15 names — conditional Denies on {@code
 * aws:PrincipalArn}, {@code aws:PrincipalAccount} and {@code aws:PrincipalOrgID}, Denies on the
 * account principal, {@code NotPrincipal} Denies, statements whose resource is this key, another
 * key or {@code *}, root delegation split across statements, partial wildcards — with a census of
 * the shapes produced, so that a generator that stops producing one fails its test.
 */
final class PolicyShapes {
  static final String ACCOUNT = Fixtures.ACCOUNT;
  static final String ORG = "o-a1b2c3d4e5";
  static final String KEY_ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  static final String BREAK_GLASS = "arn:aws:iam::111122223333:role/BreakGlass";
  static final String ALICE = "arn:aws:iam::111122223333:user/ops/alice";
  static final String ADMIN_SESSION = "arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice";
  static final String PARTNER_ROLE = "arn:aws:iam::444455556666:role/Partner";

  /** Callers of the lockout safety check. */
  static final List<String> CALLERS =
      List.of(KEY_ADMIN, BREAK_GLASS, ALICE, ADMIN_SESSION, "arn:aws:iam::111122223333:root");

  private PolicyShapes() {}

  private static final List<String> PRINCIPALS =
      List.of(
          "\"*\"",
          "{\"AWS\":\"*\"}",
          "{\"AWS\":\"arn:aws:iam::111122223333:root\"}",
          "{\"AWS\":\"111122223333\"}",
          "{\"AWS\":\"" + KEY_ADMIN + "\"}",
          "{\"AWS\":\"" + BREAK_GLASS + "\"}",
          "{\"AWS\":\"" + ALICE + "\"}",
          "{\"AWS\":[\"" + KEY_ADMIN + "\",\"" + BREAK_GLASS + "\"]}",
          "{\"AWS\":\"arn:aws:iam::444455556666:root\"}",
          "{\"AWS\":\"" + PARTNER_ROLE + "\"}",
          "{\"AWS\":\"arn:aws:iam::111122223333:role/Key*\"}",
          "{\"AWS\":\"arn:aws:iam::*:root\"}",
          "{\"AWS\":\"arn:aws:iam::111122223333:*\"}",
          "{\"AWS\":\"AROAEXAMPLEDELETED01\"}");

  private static final List<String> NOT_PRINCIPALS =
      List.of(
          "{\"AWS\":\"" + KEY_ADMIN + "\"}",
          "{\"AWS\":[\"" + KEY_ADMIN + "\",\"arn:aws:iam::111122223333:root\"]}",
          "{\"AWS\":[\"" + KEY_ADMIN + "\",\"" + ADMIN_SESSION + "\"]}",
          "{\"AWS\":\"111122223333\"}",
          "{\"AWS\":\"" + BREAK_GLASS + "\"}");

  private static final List<String> ACTIONS =
      List.of(
          "\"Action\":\"kms:*\"",
          "\"Action\":\"kms:PutKeyPolicy\"",
          "\"Action\":\"kms:Decrypt\"",
          "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\"]",
          "\"Action\":\"kms:Put*\"",
          "\"Action\":\"*\"",
          "\"NotAction\":\"kms:Decrypt\"",
          "\"NotAction\":[\"kms:PutKeyPolicy\",\"kms:ScheduleKeyDeletion\"]");

  private static final List<String> RESOURCES =
      List.of(
          "\"Resource\":\"*\"",
          "\"Resource\":\"" + KEY + "\"",
          "\"Resource\":\"" + OTHER_KEY + "\"",
          "\"Resource\":\"arn:aws:kms:*:111122223333:key/*\"",
          "\"NotResource\":\"" + OTHER_KEY + "\"");

  private static final List<String> CONDITIONS =
      List.of(
          "\"ArnNotEquals\":{\"aws:PrincipalArn\":\"" + BREAK_GLASS + "\"}",
          "\"ArnNotEquals\":{\"aws:PrincipalArn\":[\"" + BREAK_GLASS + "\",\"" + KEY_ADMIN + "\"]}",
          "\"ArnEquals\":{\"aws:PrincipalArn\":\"" + KEY_ADMIN + "\"}",
          "\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::111122223333:role/*\"}",
          "\"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/Break*\"}",
          "\"StringNotEquals\":{\"aws:PrincipalAccount\":\"111122223333\"}",
          "\"StringEquals\":{\"aws:PrincipalAccount\":\"444455556666\"}",
          "\"StringNotEquals\":{\"aws:PrincipalOrgID\":\"" + ORG + "\"}",
          "\"StringEquals\":{\"aws:PrincipalOrgID\":\"" + ORG + "\"}",
          "\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}",
          "\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}",
          "\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}",
          "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}",
          "\"Bool\":{\"aws:SecureTransport\":\"true\"}",
          "\"StringEqualsIfExists\":{\"aws:PrincipalOrgID\":\"" + ORG + "\"}",
          "\"StringNotEqualsIfExists\":{\"aws:PrincipalArn\":\"" + BREAK_GLASS + "\"}",
          "\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"}");

  private static Gen<String> pick(List<String> xs) {
    return Generate.pick(xs);
  }

  /** One statement as JSON. */
  static Gen<String> statements() {
    Gen<String> effect =
        Generate.frequency(
            Pair.of(3, Generate.constant("Allow")), Pair.of(2, Generate.constant("Deny")));
    Gen<String> who =
        Generate.frequency(
            Pair.of(5, pick(PRINCIPALS).map(p -> "\"Principal\":" + p)),
            Pair.of(1, pick(NOT_PRINCIPALS).map(p -> "\"NotPrincipal\":" + p)));
    Gen<String> condition =
        SourceDSL.lists()
            .of(pick(CONDITIONS))
            .ofSizeBetween(0, 2)
            .map(
                cs -> {
                  // One key per operator: JSON objects cannot repeat the operator.
                  Map<String, String> byOperator = new TreeMap<>();
                  for (String c : cs) {
                    byOperator.putIfAbsent(c.substring(0, c.indexOf(':')), c);
                  }
                  return byOperator.isEmpty()
                      ? ""
                      : ",\"Condition\":{" + String.join(",", byOperator.values()) + "}";
                });
    Gen<String> any =
        effect.zip(
            who,
            pick(ACTIONS),
            pick(RESOURCES),
            condition,
            (e, w, a, r, c) -> "{\"Effect\":\"" + e + "\"," + w + "," + a + "," + r + c + "}");
    // A Deny that spares callers by a negated condition on who they are: the guard shape of
    // issue 15's lockout and public cases.
    Gen<String> guard =
        pick(List.of("\"*\"", "{\"AWS\":\"*\"}", "{\"AWS\":\"111122223333\"}"))
            .zip(
                pick(ACTIONS),
                pick(RESOURCES),
                pick(GUARDS),
                (w, a, r, c) ->
                    "{\"Effect\":\"Deny\",\"Principal\":"
                        + w
                        + ","
                        + a
                        + ","
                        + r
                        + ",\"Condition\":{"
                        + c
                        + "}}");
    return Generate.frequency(Pair.of(3, any), Pair.of(1, guard));
  }

  private static final List<String> GUARDS =
      List.of(
          "\"ArnNotEquals\":{\"aws:PrincipalArn\":\"" + BREAK_GLASS + "\"}",
          "\"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::111122223333:role/*\"}",
          "\"StringNotEquals\":{\"aws:PrincipalAccount\":\"111122223333\"}",
          "\"StringNotEquals\":{\"aws:PrincipalAccount\":[\"111122223333\",\"444455556666\"]}",
          "\"StringNotEquals\":{\"aws:PrincipalOrgID\":\"" + ORG + "\"}",
          "\"StringNotEqualsIfExists\":{\"aws:PrincipalOrgID\":\"" + ORG + "\"}");

  /** A policy of one to four statements, often with the root statement or a split of it. */
  static Gen<KeyPolicy> policies() {
    Gen<List<String>> prefix =
        Generate.frequency(
            Pair.of(2, Generate.constant(List.<String>of())),
            Pair.of(2, Generate.constant(List.of(Fixtures.ROOT_STATEMENT))),
            Pair.of(
                1,
                Generate.constant(
                    List.of(
                        "{\"Sid\":\"RootUse\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
                            + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\"],\"Resource\":\"*\"}",
                        "{\"Sid\":\"RootManage\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                            + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:PutKeyPolicy\","
                            + "\"Resource\":\"*\"}"))));
    return prefix.zip(
        SourceDSL.lists().of(statements()).ofSizeBetween(1, 3),
        (p, s) -> {
          List<String> all = new ArrayList<>(p);
          all.addAll(s);
          return Fixtures.policy(all.toArray(new String[0]));
        });
  }

  // ---- the census
  // --------------------------------------------------------------------------------

  /** The shapes a policy has, by name. */
  static List<String> shapesOf(KeyPolicy p) {
    List<String> out = new ArrayList<>();
    int rootAllows = 0;
    for (Statement s : p.statements()) {
      boolean deny = !s.isAllow();
      for (Condition c : s.conditions()) {
        String key = c.key().normalized();
        if (deny
            && c.operator().isNegated()
            && (key.equals("aws:principalarn")
                || key.equals("aws:principalaccount")
                || key.equals("aws:principalorgid"))) {
          out.add("conditional deny on " + key);
        }
      }
      if (deny && !s.isNotPrincipal()) {
        for (Principal pr : s.principals()) {
          if (pr instanceof Principal.Aws a && a.kind() == Principal.AwsKind.ACCOUNT) {
            out.add("deny on the account principal");
          }
        }
      }
      if (deny && s.isNotPrincipal()) {
        out.add("NotPrincipal deny");
      }
      for (String r : s.resources()) {
        if (r.equals("*")) {
          out.add("resource *");
        } else if (r.equals(KEY)) {
          out.add("resource this key");
        } else if (r.equals(OTHER_KEY)) {
          out.add("resource another key");
        }
      }
      for (Principal pr : s.principals()) {
        if (pr instanceof Principal.Aws a && a.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
          out.add("partial wildcard");
        }
        if (s.isAllow()
            && !s.isNotPrincipal()
            && pr instanceof Principal.Aws a
            && a.kind() == Principal.AwsKind.ACCOUNT) {
          rootAllows++;
        }
      }
      if (s.isAllow()
          && !s.isNotPrincipal()
          && s.principals().stream().anyMatch(Principal::isEveryone)) {
        out.add("wildcard allow");
      }
    }
    if (rootAllows >= 2) {
      out.add("split statements");
    }
    return out;
  }

  /** Every shape name the census counts. */
  static final List<String> SHAPES =
      List.of(
          "conditional deny on aws:principalarn",
          "conditional deny on aws:principalaccount",
          "conditional deny on aws:principalorgid",
          "deny on the account principal",
          "NotPrincipal deny",
          "resource *",
          "resource this key",
          "resource another key",
          "partial wildcard",
          "split statements",
          "wildcard allow");
}

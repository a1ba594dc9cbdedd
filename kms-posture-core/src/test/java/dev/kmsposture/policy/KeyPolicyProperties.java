package dev.kmsposture.policy;

import static dev.kmsposture.testing.Gens.alphabet;
import static dev.kmsposture.testing.Gens.booleans;
import static dev.kmsposture.testing.Gens.frequency;
import static dev.kmsposture.testing.Gens.ints;
import static dev.kmsposture.testing.Gens.randoms;
import static dev.kmsposture.testing.Gens.strings;
import static dev.kmsposture.testing.Gens.weight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.testing.Coverage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Properties of the policy model: canonical round trip, {@code isEquivalentTo} is an equivalence
 * relation that ignores form, and no input makes the parser fail with anything but a {@link
 * PolicyParseException}.
 */
class KeyPolicyProperties {

  private static Gen<KeyPolicy> policies() {
    return PolicyGenerators.policies();
  }

  // --- round trip

  @Test
  void parse_ofToJson_isIdentityAndToJsonIsFixedPoint() {
    Coverage coverage = new Coverage();
    qt().withExamples(1100)
        .forAll(policies())
        .checkAssert(
            p -> {
              // given
              String json = p.toJson();

              // when
              KeyPolicy back = KeyPolicy.parse(json);

              // then
              assertThat(back).isEqualTo(p);
              assertThat(back.toJson()).isEqualTo(json);
              assertThat(KeyPolicy.parse(p.toCompactJson())).isEqualTo(p);
              collectCoverage(coverage, p);
            });
    for (String label : LABELS) {
      coverage.requireAtLeast(label, true, 3.0);
    }
  }

  private static final List<String> LABELS =
      List.of(
          "bare * principal",
          "AWS * principal",
          "NotPrincipal",
          "NotAction",
          "NotResource",
          "missing Action",
          "missing Resource",
          "condition",
          "empty condition values",
          "IfExists or set qualifier",
          "boolean or number value",
          "Service principal",
          "text above U+00FF",
          "Statement as object",
          "no Version",
          "Version 2008");

  private static void collectCoverage(Coverage coverage, KeyPolicy p) {
    List<Statement> ss = p.statements();
    coverage.collect(
        "bare * principal",
        ss.stream().anyMatch(s -> s.principals().get(0) instanceof Principal.Everyone));
    coverage.collect(
        "AWS * principal",
        ss.stream()
            .flatMap(s -> s.principals().stream())
            .anyMatch(x -> x.equals(Principal.aws("*"))));
    coverage.collect("NotPrincipal", ss.stream().anyMatch(Statement::isNotPrincipal));
    coverage.collect("NotAction", ss.stream().anyMatch(Statement::isNotAction));
    coverage.collect("NotResource", ss.stream().anyMatch(Statement::isNotResource));
    coverage.collect("missing Action", ss.stream().anyMatch(s -> s.action() == null));
    coverage.collect("missing Resource", ss.stream().anyMatch(s -> s.resource() == null));
    coverage.collect("condition", ss.stream().anyMatch(s -> !s.conditions().isEmpty()));
    coverage.collect(
        "empty condition values",
        ss.stream().flatMap(s -> s.conditions().stream()).anyMatch(c -> c.values().isEmpty()));
    coverage.collect(
        "IfExists or set qualifier",
        ss.stream()
            .flatMap(s -> s.conditions().stream())
            .anyMatch(
                c ->
                    c.operator().ifExists()
                        || c.operator().qualifier() != ConditionOperator.Qualifier.NONE));
    coverage.collect(
        "boolean or number value",
        ss.stream()
            .flatMap(s -> s.conditions().stream())
            .flatMap(c -> c.values().stream())
            .anyMatch(v -> v.type() != ConditionValue.Type.STRING));
    coverage.collect(
        "Service principal", ss.stream().anyMatch(s -> !s.principal().ofType("Service").isEmpty()));
    coverage.collect("text above U+00FF", p.toCompactJson().contains("\\u"));
    coverage.collect("Statement as object", !p.statementArray());
    coverage.collect("no Version", p.version() == null);
    coverage.collect("Version 2008", p.version() == PolicyVersion.V2008_10_17);
  }

  @Test
  void validate_anyPolicy_reportsIssuesWithPointersIntoTheDocument() {
    qt().withExamples(1100)
        .forAll(policies())
        .checkAssert(
            p -> {
              for (PolicyIssue issue : p.validate()) {
                assertThat(issue.pointer()).matches("(?s)|/.*");
                assertThat(issue.message()).isNotBlank();
              }
            });
  }

  // --- equivalence

  @Test
  void isEquivalentTo_reflexive() {
    qt().withExamples(1100)
        .forAll(policies())
        .check(p -> p.isEquivalentTo(p) && p.isEquivalentTo(KeyPolicy.parse(p.toJson())));
  }

  @Test
  void isEquivalentTo_symmetric() {
    qt().withExamples(1100)
        .forAll(policies(), policies())
        .check((a, b) -> a.isEquivalentTo(b) == b.isEquivalentTo(a));
  }

  @Test
  void isEquivalentTo_invariantUnderMeaningPreservingRewrites() {
    Coverage coverage = new Coverage();
    qt().withExamples(1100)
        .forAll(policies(), randoms())
        .checkAssert(
            (p, random) -> {
              // given
              KeyPolicy a = rewrite(p, random);
              KeyPolicy c = rewrite(p, random);

              // then: a ~ p, p ~ c, hence a ~ c (transitivity), each both ways (symmetry)
              assertThat(a.isEquivalentTo(p)).as("%s%n~%n%s", a, p).isTrue();
              assertThat(p.isEquivalentTo(a)).isTrue();
              assertThat(c.isEquivalentTo(p)).isTrue();
              assertThat(a.isEquivalentTo(c)).as("transitive: %s%n~%n%s", a, c).isTrue();
              assertThat(c.isEquivalentTo(a)).isTrue();
              coverage.collect("rewrite changed the structure", !a.equals(p));
            });
    coverage.requireAbove("rewrite changed the structure", true, 80);
  }

  @Test
  void isEquivalentTo_transitiveOnArbitraryTriples() {
    qt().withExamples(1100)
        .forAll(policies(), policies(), policies(), randoms())
        .checkAssert(
            (a, other1, other2, random) -> {
              KeyPolicy b = random.nextInt(3) == 0 ? other1 : rewrite(a, random);
              KeyPolicy c = random.nextInt(3) == 0 ? other2 : rewrite(b, random);
              if (a.isEquivalentTo(b) && b.isEquivalentTo(c)) {
                assertThat(a.isEquivalentTo(c)).isTrue();
              }
            });
  }

  /** Rewrites the form of {@code p} without changing its meaning. */
  static KeyPolicy rewrite(KeyPolicy p, Random r) {
    List<Statement> ss = new ArrayList<>();
    for (Statement s : p.statements()) {
      ss.add(rewrite(s, r));
      if (r.nextInt(5) == 0) {
        ss.add(rewrite(s, r));
      }
    }
    Collections.shuffle(ss, r);
    PolicyVersion v = p.version();
    if (v == null || v == PolicyVersion.V2008_10_17) {
      v = r.nextBoolean() ? null : PolicyVersion.V2008_10_17;
    }
    String id = r.nextBoolean() ? null : "id-" + r.nextInt(100);
    return new KeyPolicy(v, id, ss, ss.size() != 1 || r.nextBoolean());
  }

  private static Statement rewrite(Statement s, Random r) {
    String sid = r.nextBoolean() ? null : "sid-" + r.nextInt(100);
    return new Statement(
        sid,
        s.effect(),
        rewrite(s.principal(), r),
        rewrite(s.action(), r),
        rewrite(s.resource(), r),
        rewrite(s.condition(), r));
  }

  private static Statement.PrincipalElement rewrite(Statement.PrincipalElement e, Random r) {
    List<Principal> ps = new ArrayList<>();
    for (Principal x : e.principals()) {
      ps.add(rewrite(x, r));
      if (r.nextInt(4) == 0) {
        ps.add(rewrite(x, r));
      }
    }
    if (ps.size() == 1 && ps.get(0).isEveryone() && !(ps.get(0) instanceof Principal.Service)) {
      ps = List.of(r.nextBoolean() ? Principal.everyone() : Principal.aws("*"));
    } else if (ps.stream().anyMatch(x -> x instanceof Principal.Everyone)) {
      ps.replaceAll(x -> x instanceof Principal.Everyone ? Principal.aws("*") : x);
    }
    Collections.shuffle(ps, r);
    Set<String> types = new TreeSet<>();
    if (!(ps.get(0) instanceof Principal.Everyone)) {
      for (Principal x : ps) {
        types.add(x.type());
      }
    }
    return new Statement.PrincipalElement(e.negated(), ps, types);
  }

  private static Principal rewrite(Principal x, Random r) {
    if (x instanceof Principal.Aws aws) {
      if (aws.kind() == Principal.AwsKind.ACCOUNT) {
        AccountId id = aws.accountId().orElseThrow();
        return r.nextBoolean() ? Principal.aws(id.value()) : Principal.root(id);
      }
    }
    return x;
  }

  private static Statement.@Nullable ActionElement rewrite(
      Statement.@Nullable ActionElement a, Random r) {
    if (a == null) {
      return null;
    }
    List<KmsAction> list = new ArrayList<>();
    for (KmsAction k : a.actions()) {
      list.add(r.nextBoolean() ? KmsAction.of(k.name().toUpperCase(Locale.ROOT)) : k);
      if (r.nextInt(4) == 0) {
        list.add(k);
      }
    }
    Collections.shuffle(list, r);
    return new Statement.ActionElement(a.negated(), list, true);
  }

  private static Statement.@Nullable ResourceElement rewrite(
      Statement.@Nullable ResourceElement e, Random r) {
    if (e == null) {
      return null;
    }
    List<String> list = new ArrayList<>(e.resources());
    if (!list.isEmpty() && r.nextBoolean()) {
      list.add(list.get(0));
    }
    Collections.shuffle(list, r);
    return new Statement.ResourceElement(e.negated(), list, list.size() != 1 || r.nextBoolean());
  }

  private static Statement.@Nullable ConditionElement rewrite(
      Statement.@Nullable ConditionElement e, Random r) {
    if (e == null) {
      return r.nextBoolean() ? null : new Statement.ConditionElement(List.of(), List.of());
    }
    List<Condition> cs = new ArrayList<>();
    for (Condition c : e.conditions()) {
      List<ConditionValue> values = new ArrayList<>();
      for (ConditionValue v : c.values()) {
        values.add(r.nextBoolean() ? ConditionValue.of(v.text()) : v);
        if (r.nextInt(4) == 0) {
          values.add(v);
        }
      }
      Collections.shuffle(values, r);
      String key = c.key().name();
      key = r.nextBoolean() ? key.toUpperCase(Locale.ROOT) : key.toLowerCase(Locale.ROOT);
      cs.add(
          new Condition(
              c.operator(), ConditionKey.of(key), values, values.size() != 1 || r.nextBoolean()));
    }
    if (cs.isEmpty() && r.nextBoolean()) {
      return null;
    }
    return new Statement.ConditionElement(cs, r.nextBoolean() ? e.emptyOperators() : List.of());
  }

  // --- fuzz

  private static Gen<String> randomDocuments() {
    Gen<String> jsonish =
        strings(alphabet('A', 'z', "{}[],:\"\\ \n\ttrufalsn0123456789.-+eE*/"), 0, 80);
    Gen<String> anything = SourceDSL.strings().allPossible().ofLengthBetween(0, 40);
    return frequency(weight(3, jsonish), weight(1, anything));
  }

  private static final List<String> FRAGMENTS =
      List.of(
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          "\"",
          "\\",
          "null",
          "true",
          "false",
          "0",
          "-",
          "1e999",
          "01",
          "\"\"",
          "{}",
          "[]",
          "\"*\"",
          "\"Statement\":",
          "\"Statement\":[]",
          "\"Effect\":\"Allow\",",
          "\"Effect\":\"Maybe\",",
          "\"Principal\":",
          "\"NotPrincipal\":\"*\",",
          "\"Condition\":{\"StringEquals\":{\"kms:ViaService\":",
          "\"KMS:VIASERVICE\":[],",
          "\\u0000",
          "\\ud800",
          "\\u4e2d",
          "\u4e2d",
          "é",
          "\"Version\":\"2008-10-17\",",
          "\"AWS\":",
          "\"Sid\":1,",
          "\"Action\":[],",
          "\"NotAction\":\"kms:*\",",
          "/*",
          "\u0000",
          "[[[[[[[[");

  private static Gen<String> mutatedDocuments() {
    return PolicyGenerators.policies()
        .zip(
            booleans(),
            randoms(),
            ints(1, 4),
            (p, pretty, random, n) -> {
              StringBuilder b = new StringBuilder(pretty ? p.toJson() : p.toCompactJson());
              for (int i = 0; i < n; i++) {
                mutate(b, random);
              }
              return b.toString();
            });
  }

  private static void mutate(StringBuilder b, Random r) {
    int at = r.nextInt(b.length() + 1);
    int len = Math.min(b.length() - at, 1 + r.nextInt(8));
    switch (r.nextInt(5)) {
      case 0 -> b.delete(at, at + len);
      case 1 -> b.insert(r.nextInt(b.length() + 1), b.substring(at, at + len));
      case 2 -> {
        if (at < b.length()) {
          String replacements = "{}[],:\"\\ a*0\u00ff\u0100";
          b.setCharAt(at, replacements.charAt(r.nextInt(replacements.length())));
        }
      }
      case 3 -> b.insert(at, FRAGMENTS.get(r.nextInt(FRAGMENTS.size())));
      default -> {
        if (at + len < b.length()) {
          char c = b.charAt(at);
          b.setCharAt(at, b.charAt(at + len));
          b.setCharAt(at + len, c);
        }
      }
    }
  }

  @Test
  void parse_randomText_yieldsPolicyOrParseException() {
    Coverage coverage = new Coverage();
    qt().withExamples(1100)
        .forAll(randomDocuments())
        .checkAssert(text -> coverage.collect("outcome", parseOrReject(text)));
    coverage.requireAbove("outcome", "rejected", 0);
  }

  @Test
  void parse_mutatedPolicy_yieldsPolicyOrParseException() {
    Coverage coverage = new Coverage();
    qt().withExamples(1650)
        .forAll(mutatedDocuments())
        .checkAssert(text -> coverage.collect("outcome", parseOrReject(text)));
    coverage.requireAtLeast("outcome", "policy", 2.0);
    coverage.requireAtLeast("outcome", "rejected", 20.0);
  }

  /**
   * Parses {@code text}; any exception other than {@link PolicyParseException} propagates and fails
   * the property. A parsed policy must also round-trip, validate and equal itself.
   */
  private static String parseOrReject(String text) {
    KeyPolicy p;
    try {
      p = KeyPolicy.parse(text);
    } catch (PolicyParseException e) {
      assertThat(e.pointer()).matches("(?s)|/.*");
      assertThat(e.problem()).isNotBlank();
      return "rejected";
    }
    assertThat(KeyPolicy.parse(p.toJson())).isEqualTo(p);
    assertThat(p.validate()).isNotNull();
    assertThat(p.isEquivalentTo(p)).isTrue();
    return "policy";
  }
}

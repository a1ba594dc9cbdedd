package dev.kmsposture.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the policy model: canonical round trip, {@code isEquivalentTo} is an equivalence
 * relation that ignores form, and no input makes the parser fail with anything but a {@link
 * PolicyParseException}.
 */
class KeyPolicyProperties {

  @Provide
  Arbitrary<KeyPolicy> policies() {
    return PolicyArbitraries.policies();
  }

  // --- round trip

  @Property
  void parse_ofToJson_isIdentityAndToJsonIsFixedPoint(@ForAll("policies") KeyPolicy p) {
    // given
    String json = p.toJson();

    // when
    KeyPolicy back = KeyPolicy.parse(json);

    // then
    assertThat(back).isEqualTo(p);
    assertThat(back.toJson()).isEqualTo(json);
    assertThat(KeyPolicy.parse(p.toCompactJson())).isEqualTo(p);
    collectCoverage(p);
  }

  private static void collectCoverage(KeyPolicy p) {
    List<Statement> ss = p.statements();
    label(
        "bare * principal",
        ss.stream().anyMatch(s -> s.principals().get(0) instanceof Principal.Everyone));
    label(
        "AWS * principal",
        ss.stream()
            .flatMap(s -> s.principals().stream())
            .anyMatch(x -> x.equals(Principal.aws("*"))));
    label("NotPrincipal", ss.stream().anyMatch(Statement::isNotPrincipal));
    label("NotAction", ss.stream().anyMatch(Statement::isNotAction));
    label("NotResource", ss.stream().anyMatch(Statement::isNotResource));
    label("missing Action", ss.stream().anyMatch(s -> s.action() == null));
    label("missing Resource", ss.stream().anyMatch(s -> s.resource() == null));
    label("condition", ss.stream().anyMatch(s -> !s.conditions().isEmpty()));
    label(
        "empty condition values",
        ss.stream().flatMap(s -> s.conditions().stream()).anyMatch(c -> c.values().isEmpty()));
    label(
        "IfExists or set qualifier",
        ss.stream()
            .flatMap(s -> s.conditions().stream())
            .anyMatch(
                c ->
                    c.operator().ifExists()
                        || c.operator().qualifier() != ConditionOperator.Qualifier.NONE));
    label(
        "boolean or number value",
        ss.stream()
            .flatMap(s -> s.conditions().stream())
            .flatMap(c -> c.values().stream())
            .anyMatch(v -> v.type() != ConditionValue.Type.STRING));
    label(
        "Service principal", ss.stream().anyMatch(s -> !s.principal().ofType("Service").isEmpty()));
    label("text above U+00FF", p.toCompactJson().contains("\\u"));
    label("Statement as object", !p.statementArray());
    label("no Version", p.version() == null);
    label("Version 2008", p.version() == PolicyVersion.V2008_10_17);
  }

  private static void label(String name, boolean value) {
    Statistics.label(name).collect(value);
    Statistics.label(name).coverage(c -> c.check(true).percentage(pct -> pct >= 3.0));
  }

  @Property
  void validate_anyPolicy_reportsIssuesWithPointersIntoTheDocument(
      @ForAll("policies") KeyPolicy p) {
    for (PolicyIssue issue : p.validate()) {
      assertThat(issue.pointer()).matches("(?s)|/.*");
      assertThat(issue.message()).isNotBlank();
    }
  }

  // --- equivalence

  @Property
  boolean isEquivalentTo_reflexive(@ForAll("policies") KeyPolicy p) {
    return p.isEquivalentTo(p) && p.isEquivalentTo(KeyPolicy.parse(p.toJson()));
  }

  @Property
  boolean isEquivalentTo_symmetric(
      @ForAll("policies") KeyPolicy a, @ForAll("policies") KeyPolicy b) {
    return a.isEquivalentTo(b) == b.isEquivalentTo(a);
  }

  @Property
  void isEquivalentTo_invariantUnderMeaningPreservingRewrites(
      @ForAll("policies") KeyPolicy p, @ForAll Random random) {
    // given
    KeyPolicy a = rewrite(p, random);
    KeyPolicy c = rewrite(p, random);

    // then: a ~ p, p ~ c, hence a ~ c (transitivity), each both ways (symmetry)
    assertThat(a.isEquivalentTo(p)).as("%s%n~%n%s", a, p).isTrue();
    assertThat(p.isEquivalentTo(a)).isTrue();
    assertThat(c.isEquivalentTo(p)).isTrue();
    assertThat(a.isEquivalentTo(c)).as("transitive: %s%n~%n%s", a, c).isTrue();
    assertThat(c.isEquivalentTo(a)).isTrue();
    Statistics.label("rewrite changed the structure").collect(!a.equals(p));
    Statistics.label("rewrite changed the structure")
        .coverage(k -> k.check(true).percentage(pct -> pct > 80));
  }

  @Property
  void isEquivalentTo_transitiveOnArbitraryTriples(
      @ForAll("policies") KeyPolicy a,
      @ForAll("policies") KeyPolicy other1,
      @ForAll("policies") KeyPolicy other2,
      @ForAll Random random) {
    KeyPolicy b = random.nextInt(3) == 0 ? other1 : rewrite(a, random);
    KeyPolicy c = random.nextInt(3) == 0 ? other2 : rewrite(b, random);
    if (a.isEquivalentTo(b) && b.isEquivalentTo(c)) {
      assertThat(a.isEquivalentTo(c)).isTrue();
    }
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
    if (x instanceof Principal.Aws) {
      Principal.Aws aws = (Principal.Aws) x;
      if (aws.kind() == Principal.AwsKind.ACCOUNT) {
        AccountId id = aws.accountId().orElseThrow();
        return r.nextBoolean() ? Principal.aws(id.value()) : Principal.root(id);
      }
    }
    return x;
  }

  private static Statement.ActionElement rewrite(Statement.ActionElement a, Random r) {
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

  private static Statement.ResourceElement rewrite(Statement.ResourceElement e, Random r) {
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

  private static Statement.ConditionElement rewrite(Statement.ConditionElement e, Random r) {
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

  @Provide
  Arbitrary<String> randomDocuments() {
    Arbitrary<String> jsonish =
        Arbitraries.strings()
            .withChars("{}[],:\"\\ \n\ttrufalsn0123456789.-+eE*/")
            .withCharRange('A', 'z')
            .ofMaxLength(80);
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(40);
    return Arbitraries.frequencyOf(Tuple.of(3, jsonish), Tuple.of(1, anything));
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

  @Provide
  Arbitrary<String> mutatedDocuments() {
    return Combinators.combine(
            PolicyArbitraries.policies(),
            Arbitraries.of(true, false),
            Arbitraries.randoms(),
            Arbitraries.integers().between(1, 4))
        .as(
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
      case 0:
        b.delete(at, at + len);
        break;
      case 1:
        b.insert(r.nextInt(b.length() + 1), b.substring(at, at + len));
        break;
      case 2:
        if (at < b.length()) {
          String replacements = "{}[],:\"\\ a*0\u00ff\u0100";
          b.setCharAt(at, replacements.charAt(r.nextInt(replacements.length())));
        }
        break;
      case 3:
        b.insert(at, FRAGMENTS.get(r.nextInt(FRAGMENTS.size())));
        break;
      default:
        if (at + len < b.length()) {
          char c = b.charAt(at);
          b.setCharAt(at, b.charAt(at + len));
          b.setCharAt(at + len, c);
        }
        break;
    }
  }

  @Property(tries = 1000)
  void parse_randomText_yieldsPolicyOrParseException(@ForAll("randomDocuments") String text) {
    Statistics.label("outcome").collect(parseOrReject(text));
  }

  @Property(tries = 1500)
  void parse_mutatedPolicy_yieldsPolicyOrParseException(@ForAll("mutatedDocuments") String text) {
    String outcome = parseOrReject(text);
    Statistics.label("outcome").collect(outcome);
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("policy").percentage(pct -> pct >= 2.0);
              c.check("rejected").percentage(pct -> pct >= 20.0);
            });
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

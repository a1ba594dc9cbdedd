package dev.kmsposture.rules;

import static dev.kmsposture.rules.EngineFixtures.check;
import static dev.kmsposture.rules.EngineFixtures.failing;
import static dev.kmsposture.rules.EngineFixtures.info;
import static dev.kmsposture.rules.EngineFixtures.key;
import static dev.kmsposture.rules.EngineFixtures.passing;
import static dev.kmsposture.rules.EngineFixtures.snapshot;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineTest {
  private static final RuleInfo RULE = info("SomeProblem", Severity.CRITICAL);
  private static final RuleInfo OTHER = info("OtherThing", Severity.RECOMMENDED);

  @Test
  void of_report_holdsOnlyActiveFailures() {
    PostureReport r =
        check(
            RuleSet.of(failing(RULE), passing(OTHER)),
            snapshot(key("11111111-1111-4111-8111-111111111111", "alpha")));

    Baseline b = Baseline.of(r);

    assertThat(b.fingerprints()).containsExactly(r.activeFailures().get(0).fingerprint());
  }

  @Test
  void toJson_parse_roundTripsSorted() {
    Baseline b = Baseline.of(List.of("ffff", "0000", "aaaa"));

    String json = b.toJson();

    assertThat(json.indexOf("0000")).isLessThan(json.indexOf("aaaa"));
    assertThat(json.indexOf("aaaa")).isLessThan(json.indexOf("ffff"));
    assertThat(Baseline.parse(json)).isEqualTo(b);
    assertThat(Baseline.parse(json).toJson()).isEqualTo(json);
  }

  @Test
  void parse_notABaselineObject_isRejected() {
    assertThatThrownBy(() -> Baseline.parse("[]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "baseline at /: the document is not an object; expected {\"fingerprints\": [...]}"
                + " with one string per accepted failure");
    assertThatThrownBy(() -> Baseline.parse("{\"fingerprint\": []}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "baseline at /fingerprints: missing; expected an array of strings, one per accepted"
                + " failure");
    assertThatThrownBy(() -> Baseline.parse("{\"fingerprints\": \"a\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("baseline at /fingerprints: not an array");
  }

  @Test
  void parse_nonStringFingerprint_namesItsPointer() {
    assertThatThrownBy(() -> Baseline.parse("{\"fingerprints\": [\"a\", 7]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseline fingerprint at /fingerprints/1 is not a string");
  }

  @Test
  void parse_malformedJson_isRejected() {
    assertThatThrownBy(() -> Baseline.parse("{"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("baseline is not valid JSON: malformed JSON at line 1, column 2: ")
        .hasMessageNotContaining("Source:");
    // A string cut short, as in a baseline file truncated by a full disk: where it ends.
    assertThatThrownBy(() -> Baseline.parse("{\"fingerprints\": [\n  \"ab"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("baseline is not valid JSON: malformed JSON at line 2, column ");
  }

  @Test
  void fingerprint_statementMovedWithinPolicy_staysTheSame() {
    String root =
        "{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    String open =
        "{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";
    KeyPolicy first =
        KeyPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + root + "," + open + "]}");
    KeyPolicy second =
        KeyPolicy.parse(
            "{\"Version\":\"2012-10-17\",\n \"Statement\":[" + open + ", " + root + "]}");
    KeySnapshot k = key("11111111-1111-4111-8111-111111111111", "alpha");
    RuleContext c = RuleContext.of(snapshot(k), PostureConfig.defaults());

    Finding a = Finding.fail(RULE, k, "open").at(c.location(first, 1));
    Finding b = Finding.fail(RULE, k, "open").at(c.location(second, 0));

    assertThat(requireNonNull(a.location()).place().pointer())
        .isNotEqualTo(requireNonNull(b.location()).place().pointer());
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
  }

  @Test
  void fingerprint_differentKeyOrRule_differs() {
    KeySnapshot k1 = key("11111111-1111-4111-8111-111111111111", "alpha");
    KeySnapshot k2 = key("22222222-2222-4222-8222-222222222222", "beta");

    assertThat(Finding.fail(RULE, k1, "x").fingerprint())
        .isNotEqualTo(Finding.fail(RULE, k2, "x").fingerprint())
        .isNotEqualTo(Finding.fail(OTHER, k1, "x").fingerprint())
        .isEqualTo(Finding.fail(RULE, k1, "another message").fingerprint());
  }
}

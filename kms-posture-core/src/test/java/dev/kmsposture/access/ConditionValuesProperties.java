package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.kmsposture.internal.policy.ConditionValues;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyIssue;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * One place decides what a condition value means: a value that policy validation reports as
 * unreadable never matches in the evaluator, and a value it accepts matches its own witness request
 * value.
 */
class ConditionValuesProperties {
  private static final String ROLE = KeyAccessEvaluatorTest.ROLE;
  private static final String CONTEXT_KEY = "kms:EncryptionContext:probe";
  private static final String ALPHABET = "0123456789.:/-+TZzeExyNa${}, ";

  /** A positive operator per type that validation judges. */
  private static final List<String> OPERATORS =
      List.of("NumericEquals", "DateEquals", "Bool", "BinaryEquals", "IpAddress", "Null");

  private static final List<String> VALID =
      List.of(
          "30",
          "-1",
          "2.5",
          "1e3",
          "2026-01-31",
          "2026-01",
          "2026-01-31T12:00:00Z",
          "2026-01-31T12:00Z",
          "2026-01-31T12:00:00.5+01:00",
          "1767225600",
          "true",
          "FALSE",
          "QmluYXJ5",
          "203.0.113.0/24",
          "10.1.2.3",
          "2001:DB8:1234:5678::/64",
          "::1",
          "::ffff:10.0.0.1",
          "0.0.0.0/0");

  private static Gen<String> randomText() {
    return Generate.intArrays(Generate.range(0, 14), Generate.range(0, ALPHABET.length() - 1))
        .map(
            indexes -> {
              StringBuilder sb = new StringBuilder();
              for (int i : indexes) {
                sb.append(ALPHABET.charAt(i));
              }
              return sb.toString();
            });
  }

  /** A valid value with one character replaced, inserted or removed. */
  private static Gen<String> mutated() {
    return Generate.pick(VALID)
        .zip(
            Generate.range(0, 2),
            Generate.range(0, 40),
            Generate.range(0, ALPHABET.length() - 1),
            (v, how, at, c) -> {
              int i = Math.min(at, v.length());
              char ch = ALPHABET.charAt(c);
              return switch (how) {
                case 0 -> v.substring(0, i) + ch + v.substring(i);
                case 1 -> i < v.length() ? v.substring(0, i) + ch + v.substring(i + 1) : v + ch;
                default -> i < v.length() ? v.substring(0, i) + v.substring(i + 1) : v;
              };
            });
  }

  private static Gen<String> values() {
    return Generate.oneOf(Generate.pick(VALID), mutated(), randomText());
  }

  private static boolean allowed(String operator, String value, String requestValue) {
    String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(value));
    KeyPolicy policy =
        KeyAccessEvaluatorTest.policy(
            KeyAccessEvaluatorTest.allow(
                "Probe",
                KeyAccessEvaluatorTest.aws(ROLE),
                "kms:Decrypt",
                "{\"" + operator + "\": {\"" + CONTEXT_KEY + "\": \"" + quoted + "\"}}"));
    AccessRequest.Builder request = KeyAccessEvaluatorTest.request(ROLE, "kms:Decrypt");
    request.putContext(CONTEXT_KEY, requestValue);
    return KeyAccessEvaluatorTest.decide(policy, request.build()).isAllowed();
  }

  private static boolean reported(String operator, String value) {
    String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(value));
    return KeyAccessEvaluatorTest.policy(
            KeyAccessEvaluatorTest.allow(
                "Probe",
                KeyAccessEvaluatorTest.aws(ROLE),
                "kms:Decrypt",
                "{\"" + operator + "\": {\"" + CONTEXT_KEY + "\": \"" + quoted + "\"}}"))
        .validate()
        .stream()
        .anyMatch(i -> i.kind() == PolicyIssue.Kind.INVALID_CONDITION_VALUE);
  }

  /** The request value that an accepted policy value must match: itself, or its block's address. */
  private static String witness(String operator, String value) {
    if (operator.equals("IpAddress")) {
      int slash = value.indexOf('/');
      return slash < 0 ? value : value.substring(0, slash);
    }
    return value;
  }

  @Test
  void reportedValue_neverMatches_acceptedValue_matchesItsWitness() {
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    qt().withFixedSeed(20261205L)
        .withExamples(2000)
        .forAll(Generate.pick(OPERATORS), values(), Generate.oneOf(values(), Generate.pick(VALID)))
        .checkAssert(
            (operator, value, requestValue) -> {
              if (operator.equals("Bool") && value.contains("${")) {
                return; // substituted per request: judged by the variable's syntax, not here
              }
              boolean invalid = reported(operator, value);
              assertThat(invalid)
                  .as("validation and ConditionValues.problem agree on [%s %s]", operator, value)
                  .isEqualTo(
                      ConditionValues.problem(
                              ConditionValues.typeOf(
                                  ConditionOperator.of(operator).isKnown(),
                                  ConditionOperator.of(operator).base()),
                              value,
                              true)
                          .isPresent());
              if (operator.equals("Null")) {
                return; // Null compares presence, not the value; it has no witness.
              }
              if (invalid) {
                rejected.incrementAndGet();
                assertThat(allowed(operator, value, requestValue))
                    .as("[%s %s] was reported but matched [%s]", operator, value, requestValue)
                    .isFalse();
                assertThat(allowed(operator, value, value)).isFalse();
              } else {
                accepted.incrementAndGet();
                assertThat(allowed(operator, value, witness(operator, value)))
                    .as("[%s %s] was accepted but does not match its witness", operator, value)
                    .isTrue();
              }
            });
    // Both sides of the property must have been exercised, not just one.
    assertThat(rejected.get()).isGreaterThan(200);
    assertThat(accepted.get()).isGreaterThan(200);
  }
}

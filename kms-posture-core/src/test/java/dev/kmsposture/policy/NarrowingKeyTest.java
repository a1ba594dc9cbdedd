package dev.kmsposture.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.access.PublicVerdict;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One test per narrowing key: a wildcard Allow with a positive condition on the key is not public,
 * and the evaluator lets in only a caller that carries the key's value.
 */
class NarrowingKeyTest {
  private static final AccountId ACCOUNT = AccountId.of("111122223333");
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String STRANGER = "arn:aws:iam::999999999999:role/stranger";

  private static KeyPolicy wildcardNarrowedBy(NarrowingKey key) {
    String operator =
        switch (key.valueKind()) {
          case IP_RANGE -> "IpAddress";
          case ORGANIZATION_PATH -> "ForAnyValue:StringEquals";
          default -> "StringEquals";
        };
    return KeyPolicy.parse(
        """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Narrowed", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
           "Resource": "*", "Condition": {"%s": {"%s": "%s"}}}]}
        """
            .formatted(operator, key.key().name(), key.example()));
  }

  // A caller that carries the key's example value: for a key that follows from the principal, a
  // principal with that account or ARN; for the others, the stranger with the value in its
  // request context.
  private static AccessRequest carrier(NarrowingKey key) {
    AccessRequest.Builder b = AccessRequest.builder().action(KmsAction.DECRYPT).resource(KEY_ARN);
    return switch (key) {
      case KMS_CALLER_ACCOUNT, AWS_PRINCIPAL_ACCOUNT, AWS_PRINCIPAL_ARN ->
          b.principal("arn:aws:iam::111122223333:role/App").build();
      case AWS_SOURCE_IP ->
          b.principal(STRANGER)
              .putContext(key.key().name(), java.util.List.of("203.0.113.9"))
              .build();
      default ->
          b.principal(STRANGER)
              .putContext(key.key().name(), java.util.List.of(key.example()))
              .build();
    };
  }

  private static boolean granted(Decision d) {
    return d.isAllowed() || d.delegatedToIam();
  }

  @ParameterizedTest
  @EnumSource(NarrowingKey.class)
  void wildcardAllow_narrowedByTheKey_isNotPublic(NarrowingKey key) {
    AccessAnalysis analysis = AccessAnalysis.of(wildcardNarrowedBy(key), ACCOUNT);

    assertThat(analysis.isPublic()).isFalse();
    assertThat(analysis.publicVerdict())
        .isEqualTo(
            key.narrowsToAccounts()
                ? PublicVerdict.NOT_PUBLIC
                : PublicVerdict.NOT_PUBLIC_ACCOUNTS_UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(NarrowingKey.class)
  void evaluator_letsInOnlyACallerWithTheValue(NarrowingKey key) {
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder().keyPolicy(wildcardNarrowedBy(key)).keyArn(KEY_ARN).build();

    Decision without =
        evaluator.evaluate(
            AccessRequest.builder().principal(STRANGER).action(KmsAction.DECRYPT).build());
    Decision with = evaluator.evaluate(carrier(key));

    assertThat(granted(without)).as(without.explanation()).isFalse();
    assertThat(granted(with)).as(with.explanation()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(NarrowingKey.class)
  void of_nameInAnyCase_findsTheKey(NarrowingKey key) {
    assertThat(NarrowingKey.of(key.key().name().toUpperCase(Locale.ROOT))).contains(key);
    assertThat(NarrowingKey.of(ConditionKey.of(key.key().name()))).contains(key);
  }

  @Test
  void of_viaServiceAndEncryptionContext_areNotNarrowingKeys() {
    assertThat(NarrowingKey.of("kms:ViaService")).isEmpty();
    assertThat(NarrowingKey.of("kms:EncryptionContext:app")).isEmpty();
  }
}

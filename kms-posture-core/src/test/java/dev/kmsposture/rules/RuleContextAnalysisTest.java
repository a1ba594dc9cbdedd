package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RuleContextAnalysisTest {
  private static final String ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String POLICY =
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\":"
          + " {\"AWS\": \"*\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}";

  private static KeySnapshot key(
      @Nullable String policy, List<String> aliases, Map<String, String> tags) {
    KeyMetadata metadata = TestKeys.metadata().build();
    return KeySnapshot.builder(ARN, metadata).policy(policy).aliases(aliases).tags(tags).build();
  }

  private static RuleContext context(KeySnapshot key) {
    return RuleContext.of(
        AccountSnapshot.of("111122223333", Instant.parse("2026-11-28T12:00:00Z"), List.of(key)),
        PostureConfig.defaults());
  }

  @Test
  void analysis_parsedPolicy_isComputedOncePerKey() {
    KeySnapshot key = key(POLICY, List.of(), Map.of());
    RuleContext context = context(key);

    var first = context.analysis(key);

    assertThat(first).isPresent();
    assertThat(first.get().isPublic()).isTrue();
    assertThat(context.analysis(key).get()).isSameAs(first.get());
  }

  @Test
  void analysis_policyNotCollected_isEmpty() {
    KeySnapshot key = key(null, List.of(), Map.of());

    assertThat(context(key).analysis(key)).isEmpty();
  }

  @Test
  void productionSignals_aliasTokenAndTag_areBothReported() {
    KeySnapshot key =
        key(POLICY, List.of("alias/prod-orders"), Map.of("DataClassification", "Restricted"));

    assertThat(context(key).productionSignals(key))
        .containsExactly(
            "its alias prod-orders says prod", "it is tagged DataClassification=Restricted");
  }

  @Test
  void productionSignals_noSignal_isEmpty() {
    KeySnapshot key = key(POLICY, List.of("alias/staging-orders"), Map.of("Environment", "dev"));

    assertThat(context(key).productionSignals(key)).isEmpty();
  }
}

package dev.kmsposture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostCenterTagRequiredTest {
  private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  private static KeySnapshot.Builder key(String id, String alias) {
    KeyMetadata md =
        KeyMetadata.builder()
            .keyManager("CUSTOMER")
            .keySpec("SYMMETRIC_DEFAULT")
            .keyUsage("ENCRYPT_DECRYPT")
            .origin("AWS_KMS")
            .keyState("Enabled")
            .creationDate(Instant.parse("2025-01-01T00:00:00Z"))
            .description("orders")
            .build();
    return KeySnapshot.builder("arn:aws:kms:eu-west-1:111122223333:key/" + id, md)
        .aliases(List.of("alias/" + alias));
  }

  @Test
  void check_engineWithCustomRule_reportsEachKeyByAlias() {
    // given
    AccountSnapshot snapshot =
        AccountSnapshot.of(
            "111122223333",
            NOW,
            List.of(
                key("1111aaaa-1111-1111-1111-111111111111", "orders")
                    .tags(Map.of("CostCenter", "cc-42"))
                    .build(),
                key("2222bbbb-2222-2222-2222-222222222222", "prod-payments")
                    .tags(Map.of("Owner", "payments"))
                    .build(),
                key("3333cccc-3333-3333-3333-333333333333", "staging-logs")
                    .unreadable(KeyPart.TAGS, "AccessDeniedException")
                    .build()));
    PostureEngine engine =
        PostureEngine.builder().ruleSet(RuleSet.of(new CostCenterTagRequired())).build();

    // when
    PostureReport report = engine.check(snapshot);

    // then
    assertThat(report.findings())
        .extracting(Finding::status, Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Status.FAIL, "No CostCenter tag on the CMK named prod-payments"),
            org.assertj.core.groups.Tuple.tuple(
                Status.UNKNOWN, "Cannot tell: AccessDeniedException"),
            org.assertj.core.groups.Tuple.tuple(
                Status.PASS, "The CMK named orders has a CostCenter tag (cc-42)"));
    assertThat(report.findings().get(0).priority()).isEqualTo(Finding.Priority.ELEVATED);
    assertThat(report.findings().get(0).priorityReasons())
        .containsExactly("its alias prod-payments says prod");
  }
}

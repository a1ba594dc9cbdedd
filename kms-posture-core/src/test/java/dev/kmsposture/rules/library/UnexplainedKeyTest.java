package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.InventoryCoverage;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnexplainedKeyTest {
  private static final UnexplainedKey RULE = new UnexplainedKey();

  @Test
  void check_noAliasNoOwnerNoUse_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": [], "tags": {"Team": "x"},
             "lastUsage": {"trackingStartDate": "2025-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "Nobody can explain the CMK "
                + Fixtures.ARN
                + " (it has no alias): no alias, no owner tag, no recorded use");
  }

  @Test
  void check_ownerTagOnly_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": [], "tags": {"owner": "team-payments"},
             "lastUsage": {"trackingStartDate": "2025-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("it has an owner tag (team-payments)");
  }

  @Test
  void check_unexplainedSoFarButUsageUnreadable_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": [], "tags": {},
             "unreadable": {"LAST_USAGE": "AccessDeniedException: kms:GetKeyLastUsage"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .contains("its last usage is not in the snapshot")
        .contains("last_usage could not be read: AccessDeniedException");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    Finding f =
        one(RULE, "{\"aliases\": [\"alias/aws/s3\"], \"metadata\": {\"keyManager\": \"AWS\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("aws/s3");
  }

  static final String NAMELESS =
      "{\"aliases\": [], \"tags\": {}, \"lastUsage\": {\"trackingStartDate\": \"2025-01-01T00:00:00Z\"}}";

  static Finding withInventory(ResourceSnapshot... resources) {
    AccountSnapshot s =
        Fixtures.snapshot(Fixtures.key(NAMELESS))
            .withInventory(
                ResourceInventory.of(
                    List.of("sqs"),
                    List.of(InventoryCoverage.complete("sqs", "us-east-1")),
                    List.of(resources)));
    List<Finding> findings = Fixtures.run(RULE, PostureConfig.defaults(), s, Fixtures.ARN);
    assertThat(findings).hasSize(1);
    return findings.get(0);
  }

  @Test
  void inventory_aResourceNamesTheKey_explainsIt() {
    Finding f =
        withInventory(
            ResourceSnapshot.builder(
                    "arn:aws:sqs:us-east-1:111122223333:orders", "sqs", "queue", "us-east-1")
                .encryption("SSE-KMS", ResourceProtection.CUSTOMER_MANAGED_KEY)
                .key(KeyReference.resolved(Fixtures.ID, Fixtures.ARN))
                .build());

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message())
        .contains("1 resource names it (arn:aws:sqs:us-east-1:111122223333:orders)");
  }

  @Test
  void inventory_noKnownResource_failsWithoutCallingTheKeySafeToDelete() {
    Finding f = withInventory();

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .endsWith(
            "and no known resource (current settings only: old data may still need it, so this does not make it safe to delete)");
  }
}

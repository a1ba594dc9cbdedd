package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.ARN;
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
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ResourceKeyUnusableTest {
  private static final ResourceKeyUnusable RULE = new ResourceKeyUnusable();
  static final String PENDING =
      "{\"aliases\": [\"alias/exports\"], \"metadata\": {\"keyState\": \"PendingDeletion\","
          + " \"deletionDate\": \"2026-06-08T00:00:00Z\"}}";

  static ResourceSnapshot bucket(String name) {
    return ResourceSnapshot.builder("arn:aws:s3:::" + name, "s3", "bucket", "us-east-1")
        .encryption("aws:kms", ResourceProtection.CUSTOMER_MANAGED_KEY)
        .key(KeyReference.resolved("alias/exports", ARN))
        .build();
  }

  static ResourceInventory inventory(List<String> services, List<ResourceSnapshot> resources) {
    List<InventoryCoverage> coverage = new ArrayList<>();
    for (String s : services) {
      coverage.add(InventoryCoverage.complete(s, "us-east-1"));
    }
    return ResourceInventory.of(services, coverage, resources);
  }

  static Finding run(String key, @Nullable ResourceInventory inventory) {
    AccountSnapshot s = Fixtures.snapshot(Fixtures.key(key));
    if (inventory != null) {
      s = s.withInventory(inventory);
    }
    List<Finding> findings = Fixtures.run(RULE, PostureConfig.defaults(), s, ARN);
    assertThat(findings).hasSize(1);
    return findings.get(0);
  }

  @Test
  void check_resourceUnderKeyPendingDeletion_failsNamingIt() {
    Finding f = run(PENDING, inventory(ResourceKeyUnusable.SERVICES, List.of(bucket("exports"))));

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "1 resource is encrypted with the CMK named exports (arn:aws:s3:::exports); the CMK"
                + " named exports is PendingDeletion: their data becomes unreadable for good when"
                + " the key is deleted");
  }

  @Test
  void check_disabledKey_failsSayingTheDataCannotBeRead() {
    Finding f =
        run(
            "{\"aliases\": [\"alias/exports\"], \"metadata\": {\"keyState\": \"Disabled\"}}",
            inventory(List.of("s3"), List.of(bucket("a"), bucket("b"), bucket("c"), bucket("d"))));

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("4 resources are encrypted")
        .contains("and 1 more")
        .endsWith("cannot be read or written");
  }

  @Test
  void check_inaccessibleTable_failsEvenWithAnEnabledKey() {
    ResourceSnapshot table =
        ResourceSnapshot.builder(
                "arn:aws:dynamodb:us-east-1:111122223333:table/t", "dynamodb", "table", "us-east-1")
            .encryption("SSEType=KMS", ResourceProtection.CUSTOMER_MANAGED_KEY)
            .key(KeyReference.resolved(ARN, ARN))
            .putAttribute("tableStatus", "INACCESSIBLE_ENCRYPTION_CREDENTIALS")
            .build();

    Finding f =
        run("{\"aliases\": [\"alias/exports\"]}", inventory(List.of("dynamodb"), List.of(table)));

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("INACCESSIBLE_ENCRYPTION_CREDENTIALS")
        .contains("DynamoDB cannot reach");
  }

  @Test
  void check_unusableKeyNoResourceAllServicesRead_passesWithTheCurrentSettingsCaveat() {
    Finding f = run(PENDING, inventory(ResourceKeyUnusable.SERVICES, List.of()));

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("current settings").contains("may still need it");
  }

  @Test
  void check_unusableKeyNoResourceButServicesMissing_isUnknownNamingThem() {
    Finding f = run(PENDING, inventory(List.of("s3", "sqs"), List.of()));

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .contains("inventory of us-east-1 is incomplete")
        .contains("dynamodb was not read");
  }

  @Test
  void check_unusableKeyWithoutInventory_isNotApplicableLeavingTheKeyToItsOwnRules() {
    Finding f = run(PENDING, null);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("KeyPendingDeletion and KeyDisabled judge the key itself");
    assertThat(f.message()).contains("no resource inventory (scan --resources)");
  }

  @Test
  void check_enabledKey_isNotApplicable() {
    Finding f =
        run("{\"aliases\": [\"alias/exports\"]}", inventory(List.of("s3"), List.of(bucket("x"))));

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
  }
}

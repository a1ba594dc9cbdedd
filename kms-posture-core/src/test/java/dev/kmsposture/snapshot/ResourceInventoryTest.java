package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceInventoryTest {

  static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111";

  @Test
  void resourcesUsing_andResources_areBothOneLookUp() {
    ResourceInventory inv = SnapshotFixtures.inventory(KEY);

    assertThat(inv.resourcesUsing(KEY))
        .extracting(ResourceSnapshot::arn)
        .containsExactly("arn:aws:s3:::orders-data");
    assertThat(inv.resources("arn:aws:s3:::orders-data")).hasSize(1);
    assertThat(inv.resourcesUsing("arn:aws:kms:us-east-1:111122223333:key/other")).isEmpty();
  }

  @Test
  void gaps_nameTheServicesNotReadCompletely() {
    ResourceInventory inv = SnapshotFixtures.inventory(KEY);

    assertThat(inv.gaps("us-east-1")).containsExactly("sns: ListTopics: AccessDeniedException");
    assertThat(inv.gaps("eu-west-1"))
        .hasSize(4)
        .allMatch(g -> g.contains("was not read in eu-west-1"));
    assertThat(ResourceInventory.empty().gaps("us-east-1")).containsExactly("no service was read");
  }

  @Test
  void of_sameResourceAndUseTwice_isRejected() {
    ResourceSnapshot r =
        ResourceSnapshot.builder(
                "arn:aws:sns:us-east-1:111122223333:t", "sns", "topic", "us-east-1")
            .encryption("none", ResourceProtection.NOT_ENCRYPTED)
            .build();

    assertThatThrownBy(() -> ResourceInventory.of(List.of("sns"), List.of(), List.of(r, r)))
        .hasMessageContaining("is listed twice");
  }

  @Test
  void of_sameScopeCoveredTwice_isRejected() {
    InventoryCoverage c = InventoryCoverage.complete("sns", "us-east-1");

    assertThatThrownBy(() -> ResourceInventory.of(List.of("sns"), List.of(c, c), List.of()))
        .hasMessageContaining("listed twice");
  }

  @Test
  void resourceSnapshot_kmsProtectionWithoutKey_isRejected() {
    assertThatThrownBy(
            () ->
                ResourceSnapshot.builder("arn:aws:s3:::b", "s3", "bucket", "us-east-1")
                    .encryption("aws:kms", ResourceProtection.CUSTOMER_MANAGED_KEY)
                    .build())
        .hasMessageContaining("names no key reference");
  }

  @Test
  void resourceSnapshot_notAnArn_isRejectedSayingWhatIsExpected() {
    assertThatThrownBy(
            () -> ResourceSnapshot.builder("bucket", "s3", "bucket", "us-east-1").build())
        .hasMessage("resource ARN [bucket] is not an ARN; expected arn:PARTITION:SERVICE:…");
  }

  @Test
  void displayName_namesTheUseWhenItIsNotData() {
    ResourceSnapshot pi =
        ResourceSnapshot.builder(
                "arn:aws:rds:us-east-1:111122223333:db:a", "rds", "db-instance", "us-east-1")
            .use("performance-insights")
            .encryption("KMS", ResourceProtection.CUSTOMER_MANAGED_KEY)
            .key(KeyReference.resolved(KEY, KEY))
            .build();

    assertThat(pi.displayName())
        .isEqualTo("arn:aws:rds:us-east-1:111122223333:db:a (performance-insights)");
    assertThat(pi.name()).isEqualTo("a");
  }
}

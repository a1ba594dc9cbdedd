package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.kmsposture.snapshot.InventoryCoverage;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InventoryMarkdownTest {
  private static final String KEY_A =
      "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String KEY_B =
      "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";

  private static ResourceSnapshot bucket(String name, String keyArn) {
    return ResourceSnapshot.builder("arn:aws:s3:::" + name, "s3", "bucket", "eu-west-1")
        .encryption("aws:kms", ResourceProtection.CUSTOMER_MANAGED_KEY)
        .key(new KeyReference("alias/" + name, keyArn, null))
        .build();
  }

  private static List<ResourceSnapshot> resources() {
    return List.of(
        bucket("orders", KEY_A),
        bucket("audit", KEY_B),
        ResourceSnapshot.builder(
                "arn:aws:sqs:eu-west-1:111122223333:jobs", "sqs", "queue", "eu-west-1")
            .encryption("SSE-SQS", ResourceProtection.AWS_OWNED_KEY)
            .build(),
        ResourceSnapshot.builder(
                "arn:aws:sqs:eu-west-1:111122223333:shared", "sqs", "queue", "eu-west-1")
            .encryption("KMS", ResourceProtection.KMS_KEY)
            .key(
                new KeyReference(
                    "arn:aws:kms:eu-west-1:444455556666:alias/shared",
                    null,
                    "another account's alias cannot be listed"))
            .build());
  }

  @Test
  void listsEachKeysResources_underItsKey_withGapsAndUnresolvedReferences() {
    ResourceInventory inventory =
        ResourceInventory.of(
            List.of("s3", "sqs"),
            List.of(
                InventoryCoverage.complete("s3", "eu-west-1"),
                new InventoryCoverage("sqs", "eu-west-1", "ListQueues: AccessDenied")),
            resources());

    String md = InventoryMarkdown.section(inventory);

    assertThat(md).startsWith("## Resources per key\n\n");
    assertThat(md).contains("Services read: `s3`, `sqs`. 4 resources found.");
    assertThat(md).contains("### UNKNOWN: not read completely");
    assertThat(md).contains("- `sqs` in `eu-west-1`: ListQueues: AccessDenied\n");
    assertThat(md).doesNotContain("- `s3` in `eu-west-1`");
    int a = md.indexOf("### `" + KEY_A + "`");
    int b = md.indexOf("### `" + KEY_B + "`");
    assertThat(a).isPositive();
    assertThat(b).isPositive();
    int orders = md.indexOf("- `arn:aws:s3:::orders` (s3 bucket, eu-west-1): aws:kms");
    int audit = md.indexOf("- `arn:aws:s3:::audit`");
    // each bucket under its own key's heading
    assertThat(orders).isGreaterThan(a);
    assertThat(audit).isGreaterThan(b).isLessThan(a);
    assertThat(md)
        .contains("### Key references that could not be resolved")
        .contains(
            "`arn:aws:sqs:eu-west-1:111122223333:shared` (sqs queue, eu-west-1): KMS, KMS_KEY,"
                + " names `arn:aws:kms:eu-west-1:444455556666:alias/shared` (another account's"
                + " alias cannot be listed)")
        .contains("### Resources that name no KMS key")
        .contains("`arn:aws:sqs:eu-west-1:111122223333:jobs` (sqs queue, eu-west-1): SSE-SQS");
  }

  @Test
  void anInventoryOfNothing_saysSo() {
    String md = InventoryMarkdown.section(ResourceInventory.empty());

    assertThat(md).contains("Services read: none. 0 resources found.");
    assertThat(md).doesNotContain("### ");
  }

  @Test
  void theSection_doesNotDependOnTheOrderResourcesWereFound() {
    String expected =
        InventoryMarkdown.section(
            ResourceInventory.of(List.of("s3", "sqs"), List.of(), resources()));
    qt().withExamples(50)
        .forAll(integers().all())
        .checkAssert(
            seed -> {
              List<ResourceSnapshot> shuffled = new ArrayList<>(resources());
              Collections.shuffle(shuffled, new Random(seed));
              assertThat(
                      InventoryMarkdown.section(
                          ResourceInventory.of(List.of("sqs", "s3"), List.of(), shuffled)))
                  .isEqualTo(expected);
            });
  }
}

package dev.kmsposture.aws.inventory;

import static dev.kmsposture.aws.inventory.InventoryFixtures.AWS_SQS;
import static dev.kmsposture.aws.inventory.InventoryFixtures.CMK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import org.junit.jupiter.api.Test;

class SqsCollectorTest {
  static final String Q = "https://sqs.eu-west-1.amazonaws.com/111122223333/";

  @Test
  void queues_acrossPages_areClassifiedByTheirEncryption() {
    ReplayHttp http =
        new ReplayHttp()
            .json(
                "ListQueues",
                "{\"QueueUrls\":[\"" + Q + "orders\",\"" + Q + "audit\"],\"NextToken\":\"page-2\"}")
            .json("ListQueues", "{\"QueueUrls\":[\"" + Q + "plain\",\"" + Q + "aws\"]}")
            .json(
                "GetQueueAttributes",
                "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:eu-west-1:111122223333:orders\",\"KmsMasterKeyId\":\"alias/pii\",\"KmsDataKeyReusePeriodSeconds\":\"300\"}}")
            .json(
                "GetQueueAttributes",
                "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:eu-west-1:111122223333:audit\",\"SqsManagedSseEnabled\":\"true\"}}")
            .json(
                "GetQueueAttributes",
                "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:eu-west-1:111122223333:plain\",\"SqsManagedSseEnabled\":\"false\"}}")
            .json(
                "GetQueueAttributes",
                "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:eu-west-1:111122223333:aws\",\"KmsMasterKeyId\":\"alias/aws/sqs\"}}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.SQS));

    assertThat(inv.resources())
        .extracting(
            r ->
                r.name()
                    + " "
                    + r.encryption()
                    + " "
                    + r.protection()
                    + " "
                    + r.keyArn().orElse("-"))
        .containsExactly(
            "audit SSE-SQS AWS_OWNED_KEY -",
            "aws SSE-KMS AWS_MANAGED_KEY " + AWS_SQS,
            "orders SSE-KMS CUSTOMER_MANAGED_KEY " + CMK,
            "plain none NOT_ENCRYPTED -");
    assertThat(inv.coverage("sqs", "eu-west-1").orElseThrow().isComplete()).isTrue();
    // SQS API Reference: without MaxResults ListQueues stops at 1,000 and gives no NextToken.
    assertThat(http.sent("ListQueues"))
        .hasSize(2)
        .allMatch(s -> s.body().contains("\"MaxResults\":1000"));
    assertThat(http.sent("ListQueues").get(1).body()).contains("\"NextToken\":\"page-2\"");
  }

  @Test
  void deniedListing_isACoverageProblemNotAnEmptyService() {
    ReplayHttp http =
        new ReplayHttp()
            .reply(
                "ListQueues",
                400,
                "application/x-amz-json-1.0",
                "{\"__type\":\"com.amazonaws.sqs#AccessDeniedException\",\"message\":\"not authorized to perform sqs:ListQueues\"}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.SQS));

    assertThat(inv.resources()).isEmpty();
    assertThat(inv.coverage("sqs", "eu-west-1").orElseThrow().problem())
        .contains("listing failed")
        .contains("AccessDenied")
        .contains("not authorized to perform sqs:ListQueues");
    assertThat(inv.gaps("eu-west-1")).hasSize(1);
  }

  @Test
  void deniedAttributes_keepTheQueueAsNotRead() {
    ReplayHttp http =
        new ReplayHttp()
            .json("ListQueues", "{\"QueueUrls\":[\"" + Q + "secret\"]}")
            .reply(
                "GetQueueAttributes",
                400,
                "application/x-amz-json-1.0",
                "{\"__type\":\"com.amazonaws.sqs#AccessDeniedException\",\"message\":\"denied\"}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.SQS));

    ResourceSnapshot q = inv.resources().get(0);
    assertThat(q.arn()).isEqualTo("arn:aws:sqs:eu-west-1:111122223333:secret");
    assertThat(q.protection()).isEqualTo(ResourceProtection.NOT_READ);
    assertThat(inv.coverage("sqs", "eu-west-1").orElseThrow().problem())
        .contains("secret: GetQueueAttributes");
  }
}

package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS queues: {@code KmsMasterKeyId} (SSE-KMS), {@code SqsManagedSseEnabled} (SSE-SQS, a key SQS
 * owns, not a KMS key), or neither (not encrypted).
 */
final class SqsCollector implements ServiceCollector {
  @Override
  public InventoryService service() {
    return InventoryService.SQS;
  }

  @Override
  public void read(String region, Reading reading, List<String> problems) {
    SqsClient sqs = reading.clients.client(region, SqsClient.class).orElseThrow();
    String token = null;
    do {
      String t = token;
      // SQS API Reference, ListQueues: without MaxResults the answer stops at 1,000 queues and
      // has no NextToken.
      ListQueuesResponse page =
          reading.call(
              "sqs",
              region,
              "ListQueues",
              () -> sqs.listQueues(r -> r.maxResults(1000).nextToken(t)));
      for (String url : page.queueUrls()) {
        queue(sqs, region, url, reading, problems);
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
  }

  private static void queue(
      SqsClient sqs, String region, String url, Reading reading, List<String> problems) {
    String name = url.substring(url.lastIndexOf('/') + 1);
    String fallbackArn = reading.arn("sqs", region, name);
    GetQueueAttributesResponse attrs;
    try {
      attrs =
          reading.call(
              "sqs",
              region,
              "GetQueueAttributes",
              () ->
                  sqs.getQueueAttributes(
                      r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL)));
    } catch (SdkException e) {
      String why = Reading.describe("GetQueueAttributes", e);
      problems.add(name + ": " + why);
      reading.add(
          ResourceSnapshot.builder(fallbackArn, "sqs", "queue", region)
              .encryption(why, ResourceProtection.NOT_READ)
              .build());
      return;
    }
    Map<String, String> a = attrs.attributesAsStrings();
    String arn = a.getOrDefault("QueueArn", fallbackArn);
    ResourceSnapshot.Builder b = ResourceSnapshot.builder(arn, "sqs", "queue", region);
    String kms = a.get("KmsMasterKeyId");
    if (kms != null && !kms.isBlank()) {
      reading.kmsKey(b, "SSE-KMS", kms, region);
      String reuse = a.get("KmsDataKeyReusePeriodSeconds");
      if (reuse != null) {
        b.putAttribute("kmsDataKeyReusePeriodSeconds", reuse);
      }
    } else if ("true".equalsIgnoreCase(a.get("SqsManagedSseEnabled"))) {
      b.encryption("SSE-SQS", ResourceProtection.AWS_OWNED_KEY);
    } else {
      b.encryption("none", ResourceProtection.NOT_ENCRYPTED);
    }
    reading.add(b.build());
  }
}

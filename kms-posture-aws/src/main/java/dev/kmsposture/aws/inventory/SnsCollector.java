package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.ListTopicsResponse;
import software.amazon.awssdk.services.sns.model.Topic;

/** SNS topics: {@code KmsMasterKeyId} (server-side encryption with KMS), or not encrypted. */
final class SnsCollector implements ServiceCollector {
  @Override
  public InventoryService service() {
    return InventoryService.SNS;
  }

  @Override
  public void read(String region, Reading reading, List<String> problems) {
    SnsClient sns = reading.clients.client(region, SnsClient.class).orElseThrow();
    String token = null;
    do {
      String t = token;
      ListTopicsResponse page =
          reading.call("sns", region, "ListTopics", () -> sns.listTopics(r -> r.nextToken(t)));
      for (Topic topic : page.topics()) {
        topic(sns, region, topic.topicArn(), reading, problems);
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
  }

  private static void topic(
      SnsClient sns, String region, String arn, Reading reading, List<String> problems) {
    ResourceSnapshot.Builder b = ResourceSnapshot.builder(arn, "sns", "topic", region);
    Map<String, String> a;
    try {
      a =
          reading
              .call(
                  "sns",
                  region,
                  "GetTopicAttributes",
                  () -> sns.getTopicAttributes(r -> r.topicArn(arn)))
              .attributes();
    } catch (SdkException e) {
      String why = Reading.describe("GetTopicAttributes", e);
      problems.add(arn + ": " + why);
      reading.add(b.encryption(why, ResourceProtection.NOT_READ).build());
      return;
    }
    String kms = a.get("KmsMasterKeyId");
    if (kms != null && !kms.isBlank()) {
      reading.kmsKey(b, "SSE-KMS", kms, region);
    } else {
      b.encryption("none", ResourceProtection.NOT_ENCRYPTED);
    }
    reading.add(b.build());
  }
}

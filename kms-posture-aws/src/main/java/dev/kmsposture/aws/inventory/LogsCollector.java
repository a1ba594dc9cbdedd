package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * CloudWatch Logs log groups. Log data is always encrypted: with the log group's {@code kmsKeyId}
 * when one is associated, otherwise with a key CloudWatch Logs owns (there is no {@code aws/logs}
 * AWS managed key).
 */
final class LogsCollector implements ServiceCollector {
  @Override
  public InventoryService service() {
    return InventoryService.LOGS;
  }

  @Override
  public void read(String region, Reading reading, List<String> problems) {
    CloudWatchLogsClient logs =
        reading.clients.client(region, CloudWatchLogsClient.class).orElseThrow();
    String token = null;
    do {
      String t = token;
      DescribeLogGroupsResponse page =
          reading.call(
              "logs",
              region,
              "DescribeLogGroups",
              () -> logs.describeLogGroups(r -> r.nextToken(t)));
      for (LogGroup g : page.logGroups()) {
        reading.add(group(g, region, reading));
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
  }

  private static ResourceSnapshot group(LogGroup g, String region, Reading reading) {
    String arn = g.logGroupArn();
    if (arn == null || arn.isBlank()) {
      // Older answers carry only "arn", which ends with ":*".
      arn =
          g.arn() != null
              ? g.arn().replaceFirst(":\\*$", "")
              : reading.arn("logs", region, "log-group:" + g.logGroupName());
    }
    ResourceSnapshot.Builder b = ResourceSnapshot.builder(arn, "logs", "log-group", region);
    if (g.kmsKeyId() != null && !g.kmsKeyId().isBlank()) {
      reading.kmsKey(b, "kmsKeyId", g.kmsKeyId(), region);
    } else {
      b.encryption("service-owned key (no kmsKeyId)", ResourceProtection.AWS_OWNED_KEY);
    }
    return b.build();
  }
}

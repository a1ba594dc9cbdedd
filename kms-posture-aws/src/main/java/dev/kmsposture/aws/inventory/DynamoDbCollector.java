package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.SSEDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * DynamoDB tables. No {@code SSEDescription} means an AWS owned key; {@code SSEType=KMS} is used
 * for both the AWS managed key and a customer managed key, told apart by the key's {@code
 * KeyManager}. A table in {@code INACCESSIBLE_ENCRYPTION_CREDENTIALS} has lost access to its key. A
 * global table's replicas are read in their own Regions (each has its own key).
 */
final class DynamoDbCollector implements ServiceCollector {
  @Override
  public InventoryService service() {
    return InventoryService.DYNAMODB;
  }

  @Override
  public void read(String region, Reading reading, List<String> problems) {
    DynamoDbClient ddb = reading.clients.client(region, DynamoDbClient.class).orElseThrow();
    String start = null;
    do {
      String s = start;
      ListTablesResponse page =
          reading.call(
              "dynamodb",
              region,
              "ListTables",
              () -> ddb.listTables(r -> r.exclusiveStartTableName(s)));
      for (String name : page.tableNames()) {
        table(ddb, region, name, reading, problems);
      }
      start = page.lastEvaluatedTableName();
    } while (start != null && !start.isEmpty());
  }

  private static void table(
      DynamoDbClient ddb, String region, String name, Reading reading, List<String> problems) {
    TableDescription t;
    try {
      t =
          reading
              .call(
                  "dynamodb",
                  region,
                  "DescribeTable",
                  () -> ddb.describeTable(r -> r.tableName(name)))
              .table();
    } catch (SdkException e) {
      String why = Reading.describe("DescribeTable", e);
      problems.add(name + ": " + why);
      reading.add(
          ResourceSnapshot.builder(
                  reading.arn("dynamodb", region, "table/" + name), "dynamodb", "table", region)
              .encryption(why, ResourceProtection.NOT_READ)
              .build());
      return;
    }
    String arn =
        t.tableArn() != null ? t.tableArn() : reading.arn("dynamodb", region, "table/" + name);
    ResourceSnapshot.Builder b = ResourceSnapshot.builder(arn, "dynamodb", "table", region);
    if (t.tableStatusAsString() != null) {
      b.putAttribute("tableStatus", t.tableStatusAsString());
    }
    if (t.hasReplicas() && !t.replicas().isEmpty()) {
      b.putAttribute(
          "replicaRegions",
          t.replicas().stream()
              .map(ReplicaDescription::regionName)
              .sorted()
              .collect(Collectors.joining(",")));
    }
    SSEDescription sse = t.sseDescription();
    if (sse == null) {
      b.encryption("no SSEDescription (AWS owned key)", ResourceProtection.AWS_OWNED_KEY);
    } else {
      if (sse.statusAsString() != null) {
        b.putAttribute("sseStatus", sse.statusAsString());
      }
      String type = sse.sseTypeAsString();
      String key = sse.kmsMasterKeyArn();
      if (key != null && !key.isBlank()) {
        reading.kmsKey(b, "SSEType=" + type, key, region);
        if (!"KMS".equals(type)) {
          b.protection(ResourceProtection.UNRECOGNISED);
        }
      } else if ("AES256".equals(type)) {
        b.encryption("SSEType=AES256", ResourceProtection.AWS_OWNED_KEY);
      } else {
        b.encryption("SSEType=" + type, ResourceProtection.UNRECOGNISED);
      }
    }
    reading.add(b.build());
  }
}

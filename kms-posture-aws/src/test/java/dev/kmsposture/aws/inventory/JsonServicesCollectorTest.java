package dev.kmsposture.aws.inventory;

import static dev.kmsposture.aws.inventory.InventoryFixtures.CMK;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.ResourceInventory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets Manager, CloudWatch Logs, SNS and DynamoDB, each with pagination and a failure. */
class JsonServicesCollectorTest {
  static final String SNS_NS = " xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"";

  @Test
  void secrets_withoutKmsKeyId_useAwsSecretsManager_andPlannedDeletionsAreListed() {
    ReplayHttp http =
        new ReplayHttp()
            .json(
                "ListSecrets",
                "{\"SecretList\":[{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf\",\"Name\":\"db\",\"Tags\":[{\"Key\":\"DataClassification\",\"Value\":\"secret\"}]}],\"NextToken\":\"s2\"}")
            .json(
                "ListSecrets",
                "{\"SecretList\":[{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-XyZ123\",\"Name\":\"api\",\"KmsKeyId\":\""
                    + CMK
                    + "\",\"DeletedDate\":1.7E9}]}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(
            InventoryFixtures.collect(http, InventoryService.SECRETS_MANAGER));

    assertThat(inv.resources())
        .extracting(r -> r.name() + " " + r.protection() + " " + requireNonNull(r.key()).written())
        .containsExactly(
            "api-XyZ123 CUSTOMER_MANAGED_KEY " + CMK,
            "db-AbCdEf AWS_MANAGED_KEY alias/aws/secretsmanager");
    assertThat(inv.resources().get(0).attribute("deletedDate")).isPresent();
    assertThat(inv.resources().get(1).tags()).isEqualTo(Map.of("DataClassification", "secret"));
    assertThat(http.sent("ListSecrets"))
        .allMatch(s -> s.body().contains("\"IncludePlannedDeletion\":true"));
    assertThat(http.sent("ListSecrets").get(1).body()).contains("\"NextToken\":\"s2\"");
  }

  @Test
  void logGroups_withoutKmsKeyId_useAServiceOwnedKey() {
    ReplayHttp http =
        new ReplayHttp()
            .json(
                "DescribeLogGroups",
                "{\"logGroups\":[{\"logGroupName\":\"/app\",\"arn\":\"arn:aws:logs:eu-west-1:111122223333:log-group:/app:*\",\"logGroupArn\":\"arn:aws:logs:eu-west-1:111122223333:log-group:/app\",\"kmsKeyId\":\""
                    + CMK
                    + "\"}],\"nextToken\":\"l2\"}")
            .json(
                "DescribeLogGroups",
                "{\"logGroups\":[{\"logGroupName\":\"/old\",\"arn\":\"arn:aws:logs:eu-west-1:111122223333:log-group:/old:*\"}]}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.LOGS));

    assertThat(inv.resources())
        .extracting(r -> r.arn() + " " + r.protection())
        .containsExactly(
            "arn:aws:logs:eu-west-1:111122223333:log-group:/app CUSTOMER_MANAGED_KEY",
            "arn:aws:logs:eu-west-1:111122223333:log-group:/old AWS_OWNED_KEY");
  }

  @Test
  void topics_withAndWithoutSse_andADeniedTopic() {
    ReplayHttp http =
        new ReplayHttp()
            .xml(
                "ListTopics",
                "<ListTopicsResponse"
                    + SNS_NS
                    + "><ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:eu-west-1:111122223333:a</TopicArn></member><member><TopicArn>arn:aws:sns:eu-west-1:111122223333:b</TopicArn></member></Topics><NextToken>t2</NextToken></ListTopicsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListTopicsResponse>")
            .xml(
                "ListTopics",
                "<ListTopicsResponse"
                    + SNS_NS
                    + "><ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:eu-west-1:111122223333:c</TopicArn></member></Topics></ListTopicsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListTopicsResponse>")
            .xml(
                "GetTopicAttributes",
                "<GetTopicAttributesResponse"
                    + SNS_NS
                    + "><GetTopicAttributesResult><Attributes><entry><key>KmsMasterKeyId</key><value>alias/pii</value></entry></Attributes></GetTopicAttributesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTopicAttributesResponse>")
            .xml(
                "GetTopicAttributes",
                "<GetTopicAttributesResponse"
                    + SNS_NS
                    + "><GetTopicAttributesResult><Attributes><entry><key>DisplayName</key><value>b</value></entry></Attributes></GetTopicAttributesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTopicAttributesResponse>")
            .reply(
                "GetTopicAttributes",
                403,
                "text/xml",
                "<ErrorResponse"
                    + SNS_NS
                    + "><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>denied</Message></Error><RequestId>r</RequestId></ErrorResponse>");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.SNS));

    assertThat(inv.resources())
        .extracting(r -> r.name() + " " + r.protection() + " " + r.keyArn().orElse("-"))
        .containsExactly("a CUSTOMER_MANAGED_KEY " + CMK, "b NOT_ENCRYPTED -", "c NOT_READ -");
    assertThat(inv.coverage("sns", "eu-west-1").orElseThrow().problem())
        .contains("AuthorizationError");
  }

  @Test
  void tables_awsOwnedManagedCustomerAndInaccessible() {
    String t = "arn:aws:dynamodb:eu-west-1:111122223333:table/";
    ReplayHttp http =
        new ReplayHttp()
            .reply(
                "ListTables",
                200,
                "application/x-amz-json-1.0",
                "{\"TableNames\":[\"owned\",\"managed\"],\"LastEvaluatedTableName\":\"managed\"}")
            .reply(
                "ListTables",
                200,
                "application/x-amz-json-1.0",
                "{\"TableNames\":[\"cmk\",\"lost\"]}")
            .reply(
                "DescribeTable",
                200,
                "application/x-amz-json-1.0",
                "{\"Table\":{\"TableName\":\"owned\",\"TableArn\":\""
                    + t
                    + "owned\",\"TableStatus\":\"ACTIVE\"}}")
            .reply(
                "DescribeTable",
                200,
                "application/x-amz-json-1.0",
                "{\"Table\":{\"TableName\":\"managed\",\"TableArn\":\""
                    + t
                    + "managed\",\"TableStatus\":\"ACTIVE\",\"SSEDescription\":{\"Status\":\"ENABLED\",\"SSEType\":\"KMS\",\"KMSMasterKeyArn\":\""
                    + InventoryFixtures.AWS_SQS
                    + "\"}}}")
            .reply(
                "DescribeTable",
                200,
                "application/x-amz-json-1.0",
                "{\"Table\":{\"TableName\":\"cmk\",\"TableArn\":\""
                    + t
                    + "cmk\",\"TableStatus\":\"ACTIVE\",\"SSEDescription\":{\"Status\":\"ENABLED\",\"SSEType\":\"KMS\",\"KMSMasterKeyArn\":\""
                    + CMK
                    + "\"},\"Replicas\":[{\"RegionName\":\"us-east-1\",\"KMSMasterKeyId\":\"arn:aws:kms:us-east-1:111122223333:key/"
                    + InventoryFixtures.CMK_ID
                    + "\"}]}}")
            .reply(
                "DescribeTable",
                200,
                "application/x-amz-json-1.0",
                "{\"Table\":{\"TableName\":\"lost\",\"TableArn\":\""
                    + t
                    + "lost\",\"TableStatus\":\"INACCESSIBLE_ENCRYPTION_CREDENTIALS\",\"SSEDescription\":{\"Status\":\"ENABLED\",\"SSEType\":\"KMS\",\"KMSMasterKeyArn\":\""
                    + InventoryFixtures.DOOMED
                    + "\",\"InaccessibleEncryptionDateTime\":1.7E9}}}");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.DYNAMODB));

    assertThat(inv.resources())
        .extracting(
            r -> r.name() + " " + r.protection() + " " + r.attribute("tableStatus").orElse("?"))
        .containsExactly(
            "cmk CUSTOMER_MANAGED_KEY ACTIVE",
            "lost CUSTOMER_MANAGED_KEY INACCESSIBLE_ENCRYPTION_CREDENTIALS",
            // SSEType=KMS for both: the key's KeyManager says AWS managed.
            "managed AWS_MANAGED_KEY ACTIVE",
            "owned AWS_OWNED_KEY ACTIVE");
    assertThat(inv.resources(t + "cmk").get(0).attribute("replicaRegions")).contains("us-east-1");
    assertThat(http.sent("ListTables").get(1).body())
        .contains("\"ExclusiveStartTableName\":\"managed\"");
  }
}

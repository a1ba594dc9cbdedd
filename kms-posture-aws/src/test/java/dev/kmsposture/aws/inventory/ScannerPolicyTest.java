package dev.kmsposture.aws.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.aws.permissions.ScannerPolicy;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every request the inventory made, as the request journal of the HTTP layer shows it, is allowed
 * by the policy {@code kms-posture scanner-policy --resources} prints, as the core's evaluator
 * judges it.
 */
class ScannerPolicyTest {
  static final String ROLE = "arn:aws:sts::111122223333:assumed-role/KmsPostureAudit/scan";
  // A key policy that leaves every decision to IAM: the identity policy alone decides.
  static final String DELEGATE =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"*\",\"Resource\":\"*\"}]}";
  static final Pattern SCOPE =
      Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");

  /** Runs every collector over answers that list one of everything. */
  static ReplayHttp everything() {
    ReplayHttp http =
        new ReplayHttp()
            .xml(
                "ListBuckets",
                "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Buckets>"
                    + S3CollectorTest.bucket("b", null)
                    + "</Buckets></ListAllMyBucketsResult>")
            .xml(
                "GetBucketLocation",
                "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>")
            .xml("GetBucketEncryption", S3CollectorTest.sse("aws:kms", "alias/pii"))
            .reply(
                "GetBucketTagging", 404, "application/xml", S3CollectorTest.error("NoSuchTagSet"))
            .xml(
                "DescribeVolumes",
                "<DescribeVolumesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><volumeSet/></DescribeVolumesResponse>")
            .xml(
                "DescribeSnapshots",
                "<DescribeSnapshotsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><snapshotSet/></DescribeSnapshotsResponse>")
            .xml(
                "GetEbsEncryptionByDefault",
                "<GetEbsEncryptionByDefaultResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><ebsEncryptionByDefault>false</ebsEncryptionByDefault></GetEbsEncryptionByDefaultResponse>")
            .xml(
                "GetEbsDefaultKmsKeyId",
                "<GetEbsDefaultKmsKeyIdResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><kmsKeyId>alias/aws/ebs</kmsKeyId></GetEbsDefaultKmsKeyIdResponse>")
            .json("ListSecrets", "{\"SecretList\":[]}")
            .json("DescribeLogGroups", "{\"logGroups\":[]}")
            .xml(
                "ListTopics",
                "<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:eu-west-1:111122223333:t</TopicArn></member></Topics></ListTopicsResult></ListTopicsResponse>")
            .xml(
                "GetTopicAttributes",
                "<GetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><GetTopicAttributesResult><Attributes/></GetTopicAttributesResult></GetTopicAttributesResponse>")
            .json(
                "ListQueues",
                "{\"QueueUrls\":[\"https://sqs.eu-west-1.amazonaws.com/111122223333/q\"]}")
            .json("GetQueueAttributes", "{\"Attributes\":{}}")
            .reply("ListTables", 200, "application/x-amz-json-1.0", "{\"TableNames\":[\"t\"]}")
            .reply(
                "DescribeTable",
                200,
                "application/x-amz-json-1.0",
                "{\"Table\":{\"TableName\":\"t\"}}")
            .reply(FileSystemCollectorTest.EFS, 200, "application/json", "{\"FileSystems\":[]}")
            .json(FileSystemCollectorTest.FSX, "{\"FileSystems\":[]}");
    for (String op :
        List.of(
            "DescribeDBInstances",
            "DescribeDBClusters",
            "DescribeDBSnapshots",
            "DescribeDBClusterSnapshots")) {
      http.xml(op, RdsCollectorTest.wrap(op, ""));
    }
    InventoryFixtures.collect(
        http, EnumSet.allOf(InventoryService.class).toArray(new InventoryService[0]));
    return http;
  }

  /**
   * The IAM actions of the journal: the signing name of each request's signature and its operation.
   */
  static Set<String> actions(ReplayHttp http) {
    Set<String> actions = new TreeSet<>();
    for (ReplayHttp.Sent s : http.journal) {
      Matcher m = SCOPE.matcher(s.request().firstMatchingHeader("Authorization").orElseThrow());
      assertThat(m.find()).as(s.operation()).isTrue();
      actions.add(ScannerPolicy.iamAction(m.group(1), s.operation()));
    }
    return actions;
  }

  static Decision.Outcome decide(String policy, String action) {
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder()
            .keyPolicy(KeyPolicy.parse(DELEGATE))
            .keyArn(InventoryFixtures.CMK)
            .addIdentityPolicy(
                "arn:aws:iam::111122223333:role/KmsPostureAudit",
                IdentityPolicy.parse("audit", policy))
            .build();
    return evaluator
        .evaluate(AccessRequest.builder().principal(ROLE).action(action).build())
        .outcome();
  }

  @Test
  void everyRequestOfTheInventory_isAllowedByTheResourcesPolicy() {
    Set<String> called = actions(everything());
    String policy =
        ScannerPolicy.json(new ScannerPolicy.Options(true, false, false, "KmsPostureAudit"));

    assertThat(called)
        .hasSize(22)
        .contains(
            "elasticfilesystem:DescribeFileSystems",
            "fsx:DescribeFileSystems",
            "s3:ListAllMyBuckets",
            "s3:GetEncryptionConfiguration",
            "ec2:DescribeSnapshots",
            "logs:DescribeLogGroups");
    for (String action : called) {
      assertThat(decide(policy, action)).as(action).isEqualTo(Decision.Outcome.ALLOWED);
    }
  }

  @Test
  void withoutResources_theInventoryRequestsAreDenied() {
    String policy =
        ScannerPolicy.json(new ScannerPolicy.Options(false, true, false, "KmsPostureAudit"));

    for (String action : actions(everything())) {
      assertThat(decide(policy, action)).as(action).isEqualTo(Decision.Outcome.IMPLICITLY_DENIED);
    }
  }

  @Test
  void policy_isReadOnly() {
    List<String> all = ScannerPolicy.actions(new ScannerPolicy.Options(true, true, true, "*"));

    assertThat(all)
        .allMatch(
            a ->
                a.matches("[a-z0-9]+:(List|Describe|Get|Lookup)[A-Za-z]*")
                    || a.equals("sts:AssumeRole"));
  }
}

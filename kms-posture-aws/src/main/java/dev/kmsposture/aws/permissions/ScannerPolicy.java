package dev.kmsposture.aws.permissions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The least-privilege IAM policy a scan needs: read-only actions only, so a security team can
 * create the audit role in one step. The key scan's KMS reads are always in; {@link
 * Options#cloudTrail()} adds the CloudTrail reads (trails, event data stores, {@code
 * LookupEvents}), {@link Options#resources()} the reads of the resource inventory, and {@link
 * Options#organization()} what the management account's caller needs to list the accounts and
 * assume the audit role.
 *
 * <p>Every action is a read (List, Describe, Get): none changes anything. {@code
 * sts:GetCallerIdentity} needs no permission (STS API Reference), so it is not listed.
 */
public final class ScannerPolicy {
  /** What the scan reads. */
  public record Options(
      boolean resources, boolean cloudTrail, boolean organization, String auditRole) {
    private static final Pattern ROLE = Pattern.compile("[\\w+=,.@*-]{1,64}");

    /**
     * Checks the role name.
     *
     * @throws IllegalArgumentException if {@code auditRole} is not an IAM role name (or {@code *})
     */
    public Options {
      Objects.requireNonNull(auditRole, "auditRole");
      if (!ROLE.matcher(auditRole).matches()) {
        throw new IllegalArgumentException(
            String.format(
                "audit role [%s] is not an IAM role name; expected 1 to 64 of letters, digits and"
                    + " +=,.@_-",
                auditRole));
      }
    }
  }

  /** The KMS reads of the key scan. */
  public static final List<String> KMS =
      List.of(
          "kms:DescribeKey",
          "kms:GetKeyLastUsage",
          "kms:GetKeyPolicy",
          "kms:GetKeyRotationStatus",
          "kms:ListAliases",
          "kms:ListGrants",
          "kms:ListKeyRotations",
          "kms:ListKeys",
          "kms:ListResourceTags");

  /** The CloudTrail reads: trails, their selectors and status, event data stores, events. */
  public static final List<String> CLOUDTRAIL =
      List.of(
          "cloudtrail:DescribeTrails",
          "cloudtrail:GetEventDataStore",
          "cloudtrail:GetEventSelectors",
          "cloudtrail:GetTrailStatus",
          "cloudtrail:ListEventDataStores",
          "cloudtrail:LookupEvents");

  /**
   * The reads of the resource inventory, as IAM actions (Service Authorization Reference: S3's
   * {@code ListBuckets} is authorised as {@code s3:ListAllMyBuckets}, {@code GetBucketEncryption}
   * as {@code s3:GetEncryptionConfiguration}).
   */
  public static final List<String> RESOURCES =
      List.of(
          "dynamodb:DescribeTable",
          "dynamodb:ListTables",
          "ec2:DescribeSnapshots",
          "ec2:DescribeVolumes",
          "ec2:GetEbsDefaultKmsKeyId",
          "ec2:GetEbsEncryptionByDefault",
          "elasticfilesystem:DescribeFileSystems",
          "fsx:DescribeFileSystems",
          "logs:DescribeLogGroups",
          "rds:DescribeDBClusterSnapshots",
          "rds:DescribeDBClusters",
          "rds:DescribeDBInstances",
          "rds:DescribeDBSnapshots",
          "s3:GetBucketLocation",
          "s3:GetBucketTagging",
          "s3:GetEncryptionConfiguration",
          "s3:ListAllMyBuckets",
          "secretsmanager:ListSecrets",
          "sns:GetTopicAttributes",
          "sns:ListTopics",
          "sqs:GetQueueAttributes",
          "sqs:ListQueues");

  /** Wire operations whose IAM action has another name. */
  private static final Map<String, String> RENAMED =
      Map.of(
          "s3:ListBuckets", "s3:ListAllMyBuckets",
          "s3:GetBucketEncryption", "s3:GetEncryptionConfiguration");

  private ScannerPolicy() {}

  /**
   * Returns the IAM action that authorises the API operation {@code operation} of the service whose
   * signing name is {@code signingName} ({@code s3}, {@code ec2}, {@code logs}, …).
   */
  public static String iamAction(String signingName, String operation) {
    String wire = signingName + ":" + operation;
    return RENAMED.getOrDefault(wire, wire);
  }

  /** Returns the policy document, pretty-printed JSON with a final line break. */
  public static String json(Options options) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode doc = mapper.createObjectNode();
    doc.put("Version", "2012-10-17");
    ArrayNode statements = doc.putArray("Statement");
    statement(statements, "KmsPostureReadKeys", KMS, "*");
    if (options.cloudTrail()) {
      statement(statements, "KmsPostureReadCloudTrail", CLOUDTRAIL, "*");
    }
    if (options.resources()) {
      statement(statements, "KmsPostureReadResourceEncryption", RESOURCES, "*");
    }
    if (options.organization()) {
      statement(statements, "KmsPostureListAccounts", List.of("organizations:ListAccounts"), "*");
      statement(
          statements,
          "KmsPostureAssumeAuditRole",
          List.of("sts:AssumeRole"),
          "arn:aws:iam::*:role/" + options.auditRole());
    }
    try {
      return mapper.writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bug in kms-posture: cannot write the scanner policy", e);
    }
  }

  /** Returns every action the policy for {@code options} allows. */
  public static List<String> actions(Options options) {
    List<String> all = new ArrayList<>(KMS);
    if (options.cloudTrail()) {
      all.addAll(CLOUDTRAIL);
    }
    if (options.resources()) {
      all.addAll(RESOURCES);
    }
    if (options.organization()) {
      all.add("organizations:ListAccounts");
      all.add("sts:AssumeRole");
    }
    return List.copyOf(all);
  }

  private static void statement(
      ArrayNode statements, String sid, List<String> actions, String resource) {
    ObjectNode s = statements.addObject();
    s.put("Sid", sid);
    s.put("Effect", "Allow");
    ArrayNode a = s.putArray("Action");
    actions.forEach(a::add);
    s.put("Resource", resource);
  }
}

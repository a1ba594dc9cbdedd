package dev.kmsposture.aws.inventory;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The KMS-integrated services whose encryption at rest the inventory reads, by the names {@code
 * --services} and the snapshot use.
 */
public enum InventoryService {
  /** Amazon S3: buckets' default encryption and tags. */
  S3("s3", null),
  /** Amazon EBS: volumes, snapshots owned by the account, the Region's default EBS key. */
  EBS("ebs", null),
  /** Amazon RDS (and Aurora, Neptune, DocumentDB): instances, clusters and their snapshots. */
  RDS("rds", null),
  /** AWS Secrets Manager: secrets. */
  SECRETS_MANAGER("secretsmanager", null),
  /** Amazon CloudWatch Logs: log groups. */
  LOGS("logs", null),
  /** Amazon SNS: topics. */
  SNS("sns", null),
  /** Amazon SQS: queues. */
  SQS("sqs", null),
  /** Amazon DynamoDB: tables. */
  DYNAMODB("dynamodb", null),
  /** Amazon EFS: not read by this build (see {@link #notReadBecause()}). */
  EFS(
      "efs",
      "kms-posture does not read Amazon EFS yet (no EFS client in this build): its file systems"
          + " are not in the inventory"),
  /** Amazon FSx: not read by this build (see {@link #notReadBecause()}). */
  FSX(
      "fsx",
      "kms-posture does not read Amazon FSx yet (no FSx client in this build): its file systems"
          + " are not in the inventory");

  private final String id;
  private final String notReadBecause;

  InventoryService(String id, @org.jspecify.annotations.Nullable String notReadBecause) {
    this.id = id;
    this.notReadBecause = notReadBecause == null ? "" : notReadBecause;
  }

  /** Returns the name ({@code s3}, {@code ebs}, …). */
  public String id() {
    return id;
  }

  /** Returns why this build cannot read the service, when it cannot. */
  public Optional<String> notReadBecause() {
    return notReadBecause.isEmpty() ? Optional.empty() : Optional.of(notReadBecause);
  }

  /**
   * Returns the service named {@code name}.
   *
   * @throws IllegalArgumentException if no service has that name; the message lists the names
   */
  public static InventoryService of(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (InventoryService s : values()) {
      if (s.id.equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            "service [%s] is not one the inventory reads; expected one of %s",
            name,
            Arrays.stream(values()).map(InventoryService::id).collect(Collectors.joining(", "))));
  }
}

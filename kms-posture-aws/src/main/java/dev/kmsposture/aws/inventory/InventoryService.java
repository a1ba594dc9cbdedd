package dev.kmsposture.aws.inventory;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The KMS-integrated services whose encryption at rest the inventory reads, by the names {@code
 * --services} and the snapshot use.
 */
public enum InventoryService {
  /** Amazon S3: buckets' default encryption and tags. */
  S3("s3"),
  /** Amazon EBS: volumes, snapshots owned by the account, the Region's default EBS key. */
  EBS("ebs"),
  /** Amazon RDS (and Aurora, Neptune, DocumentDB): instances, clusters and their snapshots. */
  RDS("rds"),
  /** AWS Secrets Manager: secrets. */
  SECRETS_MANAGER("secretsmanager"),
  /** Amazon CloudWatch Logs: log groups. */
  LOGS("logs"),
  /** Amazon SNS: topics. */
  SNS("sns"),
  /** Amazon SQS: queues. */
  SQS("sqs"),
  /** Amazon DynamoDB: tables. */
  DYNAMODB("dynamodb"),
  /** Amazon EFS: file systems (through a {@link FileSystemLister}). */
  EFS("efs"),
  /**
   * Amazon FSx (Lustre, Windows File Server, ONTAP, OpenZFS): file systems (through a {@link
   * FileSystemLister}).
   */
  FSX("fsx");

  private final String id;

  InventoryService(String id) {
    this.id = id;
  }

  /** Returns the name ({@code s3}, {@code ebs}, …). */
  public String id() {
    return id;
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

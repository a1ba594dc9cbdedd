package dev.kmsposture.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The migration plan for a resource under an aws/<service> key: steps per service and an ADR. */
class MigrationPlanTest {
  static final KeyBlueprint TARGET = KeyBlueprint.fromYaml(Blueprints.PAYMENTS);

  static ResourceSnapshot underAwsKey(String arn, String service, String type, String alias) {
    return ResourceSnapshot.builder(arn, service, type, "us-east-1")
        .encryption("KmsKeyId", ResourceProtection.AWS_MANAGED_KEY)
        .key(KeyReference.unresolvable(alias, "the predefined alias points at no key yet"))
        .tags(Map.of("DataClassification", "restricted"))
        .build();
  }

  @Test
  void secret_isReEncryptedInPlace_withUpdateSecret_andOlderVersionsAreNamed() {
    ResourceSnapshot secret =
        underAwsKey(
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "secretsmanager",
            "secret",
            "alias/aws/secretsmanager");

    MigrationPlan plan = Remediator.planMigration(secret, TARGET);

    assertThat(plan.inPlace()).isTrue();
    assertThat(plan.currentKey()).isEqualTo("alias/aws/secretsmanager");
    assertThat(plan.targetAlias()).isEqualTo("alias/prod-payments-customer-pii");
    assertThat(plan.steps().get(0)).startsWith("Create the customer managed key");
    assertThat(plan.steps())
        .anyMatch(
            s ->
                s.contains(
                    "aws secretsmanager update-secret --secret-id "
                        + secret.arn()
                        + " --kms-key-id"));
    assertThat(plan.caveats()).anyMatch(c -> c.contains("AWSCURRENT, AWSPENDING and AWSPREVIOUS"));
    assertThat(plan.toString()).contains("  2. Re-encrypt the secret with the new key");
  }

  @Test
  void rdsInstance_needsASnapshotCopyWithTheNewKey_andARestore() {
    MigrationPlan plan =
        Remediator.planMigration(
            underAwsKey(
                "arn:aws:rds:us-east-1:123456789012:db:orders",
                "rds",
                "db-instance",
                "alias/aws/rds"),
            TARGET);

    assertThat(plan.inPlace()).isFalse();
    assertThat(String.join("\n", plan.steps()))
        .contains("aws rds create-db-snapshot --db-instance-identifier orders")
        .contains("aws rds copy-db-snapshot")
        .contains("aws rds restore-db-instance-from-db-snapshot");
  }

  @Test
  void efsAndFsx_cannotChangeKeyInPlace_soANewFileSystemAndACopy() {
    MigrationPlan efs =
        Remediator.planMigration(
            underAwsKey(
                "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1",
                "efs",
                "file-system",
                "alias/aws/elasticfilesystem"),
            TARGET);
    MigrationPlan fsx =
        Remediator.planMigration(
            underAwsKey(
                "arn:aws:fsx:us-east-1:123456789012:file-system/fs-0a",
                "fsx",
                "file-system",
                "alias/aws/fsx"),
            TARGET);

    assertThat(efs.inPlace()).isFalse();
    assertThat(efs.steps()).anyMatch(s -> s.contains("aws efs create-file-system --encrypted"));
    assertThat(fsx.inPlace()).isFalse();
    assertThat(fsx.steps()).anyMatch(s -> s.contains("create-file-system-from-backup"));
  }

  @Test
  void eachServiceHasItsOwnPath_andEveryPlanEndsWithAScan() {
    for (String[] r :
        new String[][] {
          {"arn:aws:s3:::bucket", "s3", "bucket", "put-bucket-encryption"},
          {"arn:aws:ec2:us-east-1:123456789012:volume/vol-1", "ebs", "volume", "copy-snapshot"},
          {
            "arn:aws:logs:us-east-1:123456789012:log-group:/app",
            "logs",
            "log-group",
            "associate-kms-key"
          },
          {"arn:aws:sns:us-east-1:123456789012:t", "sns", "topic", "set-topic-attributes"},
          {"arn:aws:sqs:us-east-1:123456789012:q", "sqs", "queue", "set-queue-attributes"},
          {"arn:aws:dynamodb:us-east-1:123456789012:table/t", "dynamodb", "table", "update-table"}
        }) {
      MigrationPlan plan =
          Remediator.planMigration(underAwsKey(r[0], r[1], r[2], "alias/aws/" + r[1]), TARGET);
      assertThat(String.join("\n", plan.steps())).as(r[1]).contains(r[3]);
      assertThat(plan.steps().get(plan.steps().size() - 1)).startsWith("Verify with a new scan");
    }
  }

  @Test
  void adr_isAProposedRecordWithContextDecisionPlanAndRollback() {
    MigrationPlan plan =
        Remediator.planMigration(
            underAwsKey("arn:aws:sqs:us-east-1:123456789012:q", "sqs", "queue", "alias/aws/sqs"),
            TARGET);

    assertThat(plan.adr())
        .startsWith(
            "# ADR: move arn:aws:sqs:us-east-1:123456789012:q to the customer managed key"
                + " alias/prod-payments-customer-pii\n")
        .contains("- Status: proposed\n")
        .contains("- Data classification: restricted\n")
        .contains("## Context", "## Decision", "## Plan", "## Consequences", "## Rollback")
        .contains("customer names, addresses and card tokens");
  }

  @Test
  void resourceNotRead_isRefusedWithTheReason() {
    ResourceSnapshot unread =
        ResourceSnapshot.builder(
                "arn:aws:sns:us-east-1:123456789012:t", "sns", "topic", "us-east-1")
            .encryption("GetTopicAttributes: AccessDenied", ResourceProtection.NOT_READ)
            .build();

    assertThatThrownBy(() -> Remediator.planMigration(unread, TARGET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "resource [arn:aws:sns:us-east-1:123456789012:t] was not read (GetTopicAttributes:"
                + " AccessDenied); a migration is planned from a resource whose encryption is"
                + " known");
  }
}

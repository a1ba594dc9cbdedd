package dev.kmsposture.aws.provision;

import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The checklist's fix for the "encrypted with KMS, but…" anti-pattern, per service: a customer
 * managed key from a blueprint, then the service's own re-encryption path. Each path is the one the
 * service documents for changing the key of existing data:
 *
 * <ul>
 *   <li>S3: default encryption applies to new objects only; existing objects are rewritten with a
 *       copy (S3 Batch Operations "Copy" with SSE-KMS, S3 User Guide "Batch Operations");
 *   <li>EBS: a volume's key cannot change; snapshot, {@code CopySnapshot} with the new {@code
 *       KmsKeyId}, {@code CreateVolume} from the copy (EC2 User Guide, "Amazon EBS encryption");
 *   <li>RDS: an instance's or cluster's key cannot change; snapshot, {@code CopyDBSnapshot} /
 *       {@code CopyDBClusterSnapshot} with the new {@code KmsKeyId}, restore (RDS User Guide,
 *       "Limitations of Amazon RDS encrypted DB instances");
 *   <li>Secrets Manager: {@code UpdateSecret --kms-key-id} re-encrypts the {@code AWSCURRENT},
 *       {@code AWSPENDING} and {@code AWSPREVIOUS} versions only;
 *   <li>CloudWatch Logs: {@code AssociateKmsKey}, for events ingested from then on;
 *   <li>SNS and SQS: the {@code KmsMasterKeyId} attribute, for messages sent from then on;
 *   <li>DynamoDB: {@code UpdateTable --sse-specification} switches the table's key in place;
 *   <li>EFS and FSx: a file system's key cannot change: a new file system with the key and a copy
 *       (AWS DataSync, or a restore from AWS Backup / {@code CreateFileSystemFromBackup} with the
 *       new {@code KmsKeyId}).
 * </ul>
 */
final class Migration {
  private Migration() {}

  static MigrationPlan plan(ResourceSnapshot r, KeyBlueprint blueprint) {
    if (r.protection() == ResourceProtection.NOT_READ) {
      throw new IllegalArgumentException(
          String.format(
              "resource [%s] was not read (%s); a migration is planned from a resource whose"
                  + " encryption is known",
              r.arn(), r.encryption()));
    }
    String alias = blueprint.alias().toString();
    String current =
        r.key() != null ? r.key().written() : r.encryption() + " (" + r.protection() + ")";
    String name = r.name();
    String newKey = "<new key ARN>";
    List<String> steps = new ArrayList<>();
    List<String> caveats = new ArrayList<>();
    steps.add(
        "Create the customer managed key "
            + alias
            + " from its blueprint and review the plan before applying it: kms-posture provision"
            + " --blueprint <blueprint file> (the key policy must let "
            + r.service()
            + " use the key for the principals that use the resource, kms:ViaService "
            + viaService(r)
            + ")");
    boolean inPlace = true;
    switch (r.service()) {
      case "s3" -> {
        steps.add(
            "Set the bucket's default encryption to the new key: aws s3api put-bucket-encryption"
                + " --bucket "
                + name
                + " --server-side-encryption-configuration"
                + " '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":"
                + "\"aws:kms\",\"KMSMasterKeyID\":\""
                + newKey
                + "\"},\"BucketKeyEnabled\":true}]}'");
        steps.add(
            "Re-encrypt the existing objects with an S3 Batch Operations Copy job (SSE-KMS with"
                + " the new key) over an S3 Inventory report of the bucket; for a small bucket, aws"
                + " s3 cp s3://"
                + name
                + "/ s3://"
                + name
                + "/ --recursive --sse aws:kms --sse-kms-key-id "
                + newKey);
        caveats.add(
            "Default encryption applies to new objects only; until the copy finishes, and for"
                + " noncurrent versions it does not rewrite, objects keep the old key.");
      }
      case "ebs" -> {
        if (r.resourceType().equals("ebs-default-kms-key")) {
          steps.add(
              "Make the new key the Region's default EBS key: aws ec2 modify-ebs-default-kms-key-id"
                  + " --kms-key-id "
                  + newKey
                  + " --region "
                  + r.region());
          caveats.add("Existing volumes keep their key; migrate each one on its own.");
        } else if (r.resourceType().equals("snapshot")) {
          inPlace = false;
          steps.add(
              "Copy the snapshot with the new key: aws ec2 copy-snapshot --source-snapshot-id "
                  + name
                  + " --source-region "
                  + r.region()
                  + " --encrypted --kms-key-id "
                  + newKey);
          steps.add("Verify the copy, then delete the old snapshot.");
        } else {
          inPlace = false;
          steps.add("Snapshot the volume: aws ec2 create-snapshot --volume-id " + name);
          steps.add(
              "Copy the snapshot with the new key: aws ec2 copy-snapshot --source-snapshot-id"
                  + " <snapshot> --source-region "
                  + r.region()
                  + " --encrypted --kms-key-id "
                  + newKey);
          steps.add(
              "Create a volume from the copy in the same Availability Zone: aws ec2 create-volume"
                  + " --snapshot-id <copy> --availability-zone <az> --encrypted --kms-key-id "
                  + newKey);
          steps.add(
              "Stop the instance, detach the old volume, attach the new one at the same device,"
                  + " start and verify; then delete the old volume and snapshots.");
        }
      }
      case "rds" -> {
        inPlace = false;
        boolean cluster =
            r.resourceType().startsWith("db-cluster") || r.resourceType().equals("cluster");
        String noun = cluster ? "db-cluster" : "db";
        if (!r.resourceType().endsWith("snapshot")) {
          steps.add(
              "Snapshot it: aws rds create-"
                  + noun
                  + "-snapshot --"
                  + (cluster ? "db-cluster-identifier " : "db-instance-identifier ")
                  + name
                  + " --"
                  + noun
                  + "-snapshot-identifier "
                  + name
                  + "-premigration");
        }
        steps.add(
            "Copy the snapshot with the new key: aws rds copy-"
                + noun
                + "-snapshot --source-"
                + noun
                + "-snapshot-identifier <snapshot> --target-"
                + noun
                + "-snapshot-identifier <copy> --kms-key-id "
                + newKey);
        if (!r.resourceType().endsWith("snapshot")) {
          steps.add(
              "Restore from the copy: aws rds restore-"
                  + (cluster ? "db-cluster-from-snapshot" : "db-instance-from-db-snapshot")
                  + " … --snapshot-identifier <copy> (the restored "
                  + (cluster ? "cluster" : "instance")
                  + " is encrypted with the new key); point the applications at its endpoint"
                  + " during a write freeze, verify, then delete the old one.");
        }
        caveats.add(
            "Performance Insights, activity streams and a managed master-user secret name keys"
                + " of their own; move them separately.");
      }
      case "secretsmanager" -> {
        steps.add(
            "Re-encrypt the secret with the new key: aws secretsmanager update-secret --secret-id "
                + r.arn()
                + " --kms-key-id "
                + newKey);
        caveats.add(
            "UpdateSecret re-encrypts only the AWSCURRENT, AWSPENDING and AWSPREVIOUS versions;"
                + " older versions keep the old key. Every reader needs kms:Decrypt on the new key"
                + " first.");
      }
      case "logs" -> {
        steps.add(
            "Associate the new key with the log group (its key policy must allow the service"
                + " principal logs."
                + r.region()
                + ".amazonaws.com): aws logs associate-kms-key --log-group-name "
                + name
                + " --kms-key-id "
                + newKey);
        caveats.add("Events ingested before the change stay under the key they were written with.");
      }
      case "sns" ->
          steps.add(
              "Set the topic's key: aws sns set-topic-attributes --topic-arn "
                  + r.arn()
                  + " --attribute-name KmsMasterKeyId --attribute-value "
                  + newKey
                  + " (publishers, and the service principals of event sources, need"
                  + " kms:GenerateDataKey* and kms:Decrypt on it)");
      case "sqs" -> {
        steps.add(
            "Set the queue's key: aws sqs set-queue-attributes --queue-url <queue URL of "
                + name
                + "> --attributes KmsMasterKeyId="
                + newKey);
        caveats.add(
            "Messages sent before the change keep the old key until they are consumed or expire:"
                + " keep the old key usable for the queue's retention period.");
      }
      case "dynamodb" -> {
        steps.add(
            "Switch the table's key in place: aws dynamodb update-table --table-name "
                + name
                + " --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId="
                + newKey);
        caveats.add(
            "A global table's replicas have keys of their own: use a key in each replica's"
                + " Region (update-table --replica-updates).");
      }
      case "efs" -> {
        inPlace = false;
        steps.add(
            "Create a new file system with the key (a file system's key cannot change): aws efs"
                + " create-file-system --encrypted --kms-key-id "
                + newKey
                + ", and its mount targets");
        steps.add(
            "Copy the data with AWS DataSync (or restore an AWS Backup recovery point to a new file"
                + " system with the new key); cut the clients over, verify, then delete "
                + name
                + ".");
      }
      case "fsx" -> {
        inPlace = false;
        steps.add(
            "Create a new file system with the key (a file system's key cannot change): aws fsx"
                + " create-file-system-from-backup --backup-id <backup of "
                + name
                + "> --kms-key-id "
                + newKey
                + ", or create-file-system with --kms-key-id and copy with AWS DataSync");
        steps.add("Cut the clients over, verify, then delete " + name + ".");
        if (r.attribute("deploymentType").orElse("").startsWith("SCRATCH")) {
          caveats.add(
              "Lustre scratch file systems always use the FSx service key: a customer managed"
                  + " key needs a PERSISTENT deployment type.");
        }
      }
      default ->
          steps.add(
              "Follow "
                  + r.service()
                  + "'s documented way to change the key of "
                  + name
                  + " (kms-posture knows no re-encryption path for it).");
    }
    steps.add(
        "Verify with a new scan (kms-posture scan --resources): "
            + name
            + " names the new key, and no finding of AwsManagedKeyForSensitiveData is left.");
    caveats.add(
        "The old key stays needed while any data written under it remains; an aws/<service> key"
            + " cannot be deleted, and a customer managed one is disabled first, never deleted"
            + " while CloudTrail still shows its use.");
    return new MigrationPlan(
        r.arn(),
        r.service(),
        current,
        alias,
        inPlace,
        steps,
        caveats,
        adr(r, blueprint, current, steps, caveats, inPlace));
  }

  private static String viaService(ResourceSnapshot r) {
    String prefix =
        switch (r.service()) {
          case "ebs" -> "ec2";
          case "efs" -> "elasticfilesystem";
          default -> r.service();
        };
    return r.service().equals("logs")
        ? "(not used: CloudWatch Logs calls KMS as its own service principal)"
        : prefix + "." + r.region() + ".amazonaws.com";
  }

  private static String adr(
      ResourceSnapshot r,
      KeyBlueprint blueprint,
      String current,
      List<String> steps,
      List<String> caveats,
      boolean inPlace) {
    StringBuilder md = new StringBuilder();
    md.append("# ADR: move ")
        .append(r.displayName())
        .append(" to the customer managed key ")
        .append(blueprint.alias())
        .append("\n\n");
    md.append("- Status: proposed\n");
    md.append("- Resource: `")
        .append(r.arn())
        .append("` (")
        .append(r.service())
        .append(' ')
        .append(r.resourceType())
        .append(", ")
        .append(r.region())
        .append(")\n");
    md.append("- Encrypted now: ")
        .append(r.encryption())
        .append(", key `")
        .append(current)
        .append("`\n");
    String classification =
        r.tags() == null ? "?" : r.tags().getOrDefault("DataClassification", "?");
    md.append("- Data classification: ").append(classification).append("\n\n");
    md.append("## Context\n\n")
        .append(
            "The resource is encrypted with KMS, but under a key the account does not control:"
                + " an AWS managed key's policy cannot be changed (every principal of the account"
                + " that can use the service can use it), its use cannot be limited to named"
                + " roles, and it cannot be disabled to cut access in an incident.\n\n");
    md.append("## Decision\n\n")
        .append("Move the data to the customer managed key `")
        .append(blueprint.alias())
        .append("`: ")
        .append(blueprint.description())
        .append(". It protects: ")
        .append(blueprint.protects())
        .append(".\n\n");
    md.append("## Plan\n\n");
    md.append(
        inPlace
            ? "The service changes the key in place.\n\n"
            : "The service cannot change the key in place: a new resource with the key, and a"
                + " copy.\n\n");
    for (int i = 0; i < steps.size(); i++) {
      md.append(i + 1).append(". ").append(steps.get(i)).append('\n');
    }
    md.append("\n## Consequences\n\n");
    for (String c : caveats) {
      md.append("- ").append(c).append('\n');
    }
    md.append("- The new key costs $1 a month plus requests, and its policy, rotation and")
        .append(" lifecycle are ours to keep (see its own ADR from the provisioner).\n");
    md.append("\n## Rollback\n\n")
        .append(
            inPlace
                ? "Point the resource back at the old key the same way; data written meanwhile"
                    + " stays under the new key, so keep the new key enabled.\n"
                : "Keep the old resource until the new one is verified; switch the clients"
                    + " back if needed.\n");
    return md.toString();
  }
}

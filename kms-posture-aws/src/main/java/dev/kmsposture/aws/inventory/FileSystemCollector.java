package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Amazon EFS and Amazon FSx file systems, through the caller's {@link FileSystemLister}, every page
 * of {@code DescribeFileSystems}, each page one rate-limited request.
 *
 * <p>EFS: {@code Encrypted=false} is not encrypted; an encrypted file system names its key in
 * {@code KmsKeyId} (without one given at creation, the AWS managed key {@code
 * aws/elasticfilesystem}, per the EFS user guide, "Encrypting data at rest").
 *
 * <p>FSx always encrypts at rest. Lustre {@code SCRATCH_1} and {@code SCRATCH_2} file systems are
 * "encrypted using the Amazon FSx service KMS key for your account" and report no {@code KmsKeyId}
 * (Amazon FSx API Reference, "FileSystem", {@code KmsKeyId}); the others report theirs ({@code
 * aws/fsx} when none was given). A file system of another kind without a {@code KmsKeyId} is kept
 * as written and marked unrecognised, never guessed.
 *
 * <p>Neither service can change a file system's key in place: the migration is a new file system
 * and a copy.
 */
final class FileSystemCollector implements ServiceCollector {
  private final InventoryService service;

  FileSystemCollector(InventoryService service) {
    if (service != InventoryService.EFS && service != InventoryService.FSX) {
      throw new IllegalArgumentException(
          "bug in kms-posture: no file-system collector for [" + service.id() + "]");
    }
    this.service = service;
  }

  @Override
  public InventoryService service() {
    return service;
  }

  /** The IAM service prefix and ARN service of the file systems. */
  String prefix() {
    return service == InventoryService.EFS ? "elasticfilesystem" : "fsx";
  }

  @Override
  public void read(String region, Reading reading, List<String> problems) {
    FileSystemLister lister = reading.clients.fileSystems(region, service).orElseThrow();
    String next = null;
    do {
      String n = next;
      FileSystemPage page =
          reading.call(prefix(), region, "DescribeFileSystems", () -> lister.page(n));
      for (FileSystemDescription f : page.fileSystems()) {
        reading.add(
            service == InventoryService.EFS ? efs(f, region, reading) : fsx(f, region, reading));
      }
      String following = page.nextPage().orElse(null);
      if (following != null && following.equals(next)) {
        throw SdkClientException.create(
            String.format(
                "%s DescribeFileSystems in %s answered the same next page [%s] twice; the rest"
                    + " of the list cannot be read",
                service.id(), region, following));
      }
      next = following;
    } while (next != null);
  }

  private ResourceSnapshot.Builder builder(FileSystemDescription f, String region, Reading r) {
    String arn =
        f.arn() != null ? f.arn() : r.arn(prefix(), region, "file-system/" + f.fileSystemId());
    ResourceSnapshot.Builder b = ResourceSnapshot.builder(arn, service.id(), "file-system", region);
    if (f.lifecycle() != null) {
      b.putAttribute("lifecycle", f.lifecycle());
    }
    return b.tags(f.tags());
  }

  private ResourceSnapshot efs(FileSystemDescription f, String region, Reading reading) {
    ResourceSnapshot.Builder b = builder(f, region, reading);
    if (Boolean.FALSE.equals(f.encrypted())) {
      return b.encryption("Encrypted=false", ResourceProtection.NOT_ENCRYPTED).build();
    }
    if (f.key().isPresent()) {
      return reading.kmsKey(b, "Encrypted=true", f.key().get(), region).build();
    }
    if (Boolean.TRUE.equals(f.encrypted())) {
      return reading
          .kmsKey(
              b,
              "Encrypted=true, no KmsKeyId reported (aws/elasticfilesystem)",
              "alias/aws/elasticfilesystem",
              region)
          .build();
    }
    return b.encryption("no Encrypted field", ResourceProtection.UNRECOGNISED).build();
  }

  private ResourceSnapshot fsx(FileSystemDescription f, String region, Reading reading) {
    ResourceSnapshot.Builder b = builder(f, region, reading);
    b.putAttribute("fileSystemType", f.fileSystemType());
    String deployment = f.deploymentType();
    if (deployment != null) {
      b.putAttribute("deploymentType", deployment);
    }
    String how =
        "FileSystemType="
            + f.fileSystemType()
            + (deployment == null ? "" : ", DeploymentType=" + deployment);
    if (f.key().isPresent()) {
      return reading.kmsKey(b, how, f.key().get(), region).build();
    }
    if ("LUSTRE".equals(f.fileSystemType())
        && deployment != null
        && deployment.toUpperCase(Locale.ROOT).startsWith("SCRATCH")) {
      return b.encryption(
              how + ": the Amazon FSx service key, no KmsKeyId", ResourceProtection.AWS_OWNED_KEY)
          .build();
    }
    return b.encryption(how + ", no KmsKeyId reported", ResourceProtection.UNRECOGNISED).build();
  }
}

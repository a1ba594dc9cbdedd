package dev.kmsposture.aws.inventory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the inventory needs of one Amazon EFS or Amazon FSx file system, as {@code
 * DescribeFileSystems} reports it.
 *
 * @param fileSystemId the file system's id ({@code fs-…})
 * @param arn its ARN ({@code FileSystemArn} in EFS, {@code ResourceARN} in FSx), or null when the
 *     answer left it out (the inventory then builds it from the id)
 * @param fileSystemType {@code EFS}, or FSx's {@code FileSystemType} ({@code LUSTRE}, {@code
 *     WINDOWS}, {@code ONTAP}, {@code OPENZFS}, or a type added since, kept as written)
 * @param deploymentType FSx for Lustre's {@code LustreConfiguration.DeploymentType} ({@code
 *     SCRATCH_1}, {@code SCRATCH_2}, {@code PERSISTENT_1}, {@code PERSISTENT_2}), or null
 * @param encrypted EFS's {@code Encrypted}; null for FSx, which always encrypts at rest and has no
 *     such field
 * @param kmsKeyId the {@code KmsKeyId} as written, or null when there is none
 * @param lifecycle {@code LifeCycleState} (EFS) or {@code Lifecycle} (FSx), or null
 * @param tags the file system's tags (possibly none)
 */
public record FileSystemDescription(
    String fileSystemId,
    @Nullable String arn,
    String fileSystemType,
    @Nullable String deploymentType,
    @Nullable Boolean encrypted,
    @Nullable String kmsKeyId,
    @Nullable String lifecycle,
    Map<String, String> tags) {

  /** Checks the id and type, copies the tags. */
  public FileSystemDescription {
    Objects.requireNonNull(fileSystemId, "fileSystemId");
    Objects.requireNonNull(fileSystemType, "fileSystemType");
    if (fileSystemId.isBlank()) {
      throw new IllegalArgumentException(
          "file system id [] is blank; DescribeFileSystems gives every file system an id");
    }
    tags = Map.copyOf(new TreeMap<>(Objects.requireNonNull(tags, "tags")));
  }

  /** The {@code KmsKeyId}, if the file system reports one. */
  public Optional<String> key() {
    return kmsKeyId == null || kmsKeyId.isBlank() ? Optional.empty() : Optional.of(kmsKeyId);
  }
}

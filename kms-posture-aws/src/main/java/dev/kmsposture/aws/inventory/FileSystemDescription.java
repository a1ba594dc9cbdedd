package dev.kmsposture.aws.inventory;

import java.util.HashMap;
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
    checkId(fileSystemId);
    tags = Map.copyOf(new TreeMap<>(Objects.requireNonNull(tags, "tags")));
  }

  /** The {@code KmsKeyId}, if the file system reports one. */
  public Optional<String> key() {
    return kmsKeyId == null || kmsKeyId.isBlank() ? Optional.empty() : Optional.of(kmsKeyId);
  }

  private static String checkId(String fileSystemId) {
    if (fileSystemId.isBlank()) {
      throw new IllegalArgumentException(
          String.format(
              "file system id [%s] is blank; DescribeFileSystems gives every file system an id",
              fileSystemId));
    }
    return fileSystemId;
  }

  /**
   * Returns an empty builder; {@link Builder#fileSystemId} and {@link Builder#fileSystemType} are
   * required, everything else starts absent and the tags empty.
   *
   * <pre>{@code
   * FileSystemDescription efs = FileSystemDescription.builder()
   *     .fileSystemId(f.fileSystemId()).arn(f.fileSystemArn()).fileSystemType("EFS")
   *     .encrypted(f.encrypted()).kmsKeyId(f.kmsKeyId())
   *     .build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this description. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link FileSystemDescription}. The id setter rejects a blank id at once; {@link
   * #build()} fails, naming the setter, when the id or the type is missing. Not thread-safe; the
   * descriptions it builds are immutable.
   */
  public static final class Builder {
    private @Nullable String fileSystemId;
    private @Nullable String arn;
    private @Nullable String fileSystemType;
    private @Nullable String deploymentType;
    private @Nullable Boolean encrypted;
    private @Nullable String kmsKeyId;
    private @Nullable String lifecycle;
    private final Map<String, String> tags = new HashMap<>();

    private Builder() {}

    private Builder(FileSystemDescription f) {
      this.fileSystemId = f.fileSystemId;
      this.arn = f.arn;
      this.fileSystemType = f.fileSystemType;
      this.deploymentType = f.deploymentType;
      this.encrypted = f.encrypted;
      this.kmsKeyId = f.kmsKeyId;
      this.lifecycle = f.lifecycle;
      this.tags.putAll(f.tags);
    }

    /**
     * Sets the file system's id ({@code fs-…}).
     *
     * @throws IllegalArgumentException if the id is blank
     */
    public Builder fileSystemId(String fileSystemId) {
      this.fileSystemId = checkId(Objects.requireNonNull(fileSystemId, "fileSystemId"));
      return this;
    }

    /**
     * Sets the ARN ({@code FileSystemArn} in EFS, {@code ResourceARN} in FSx); null (the default)
     * when the answer left it out, and the inventory builds it from the id.
     */
    public Builder arn(@Nullable String arn) {
      this.arn = arn;
      return this;
    }

    /**
     * Sets the type: {@code EFS}, or FSx's {@code FileSystemType} ({@code LUSTRE}, {@code WINDOWS},
     * {@code ONTAP}, {@code OPENZFS}, or a type added since, kept as written).
     */
    public Builder fileSystemType(String fileSystemType) {
      this.fileSystemType = Objects.requireNonNull(fileSystemType, "fileSystemType");
      return this;
    }

    /**
     * Sets FSx for Lustre's {@code LustreConfiguration.DeploymentType}; null (the default) for
     * other file systems.
     */
    public Builder deploymentType(@Nullable String deploymentType) {
      this.deploymentType = deploymentType;
      return this;
    }

    /** Sets EFS's {@code Encrypted}; null (the default) for FSx, which always encrypts at rest. */
    public Builder encrypted(@Nullable Boolean encrypted) {
      this.encrypted = encrypted;
      return this;
    }

    /** Sets the {@code KmsKeyId} as written; null (the default) when there is none. */
    public Builder kmsKeyId(@Nullable String kmsKeyId) {
      this.kmsKeyId = kmsKeyId;
      return this;
    }

    /**
     * Sets {@code LifeCycleState} (EFS) or {@code Lifecycle} (FSx); null (the default) if unknown.
     */
    public Builder lifecycle(@Nullable String lifecycle) {
      this.lifecycle = lifecycle;
      return this;
    }

    /** Replaces the tags (none by default). */
    public Builder tags(Map<String, String> tags) {
      Objects.requireNonNull(tags, "tags");
      this.tags.clear();
      tags.forEach(this::putTag);
      return this;
    }

    /** Sets one tag. */
    public Builder putTag(String key, String value) {
      tags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Returns the description.
     *
     * @throws IllegalStateException if the id or the type is not set
     */
    public FileSystemDescription build() {
      if (fileSystemId == null) {
        throw missing("id", "fileSystemId(...)");
      }
      if (fileSystemType == null) {
        throw missing("type", "fileSystemType(...)");
      }
      return new FileSystemDescription(
          fileSystemId, arn, fileSystemType, deploymentType, encrypted, kmsKeyId, lifecycle, tags);
    }

    private static IllegalStateException missing(String what, String setter) {
      return new IllegalStateException(
          String.format("file system has no %s; set it with %s before build()", what, setter));
    }
  }
}

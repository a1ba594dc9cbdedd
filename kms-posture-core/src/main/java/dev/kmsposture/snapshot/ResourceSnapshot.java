package dev.kmsposture.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How one resource of a KMS-integrated service is encrypted at rest, and with which key: one entry
 * of the snapshot's {@linkplain ResourceInventory inventory}.
 *
 * <p>A resource can name more than one key: an RDS instance has its storage key, and may have a
 * Performance Insights key, a database activity stream key and the key of its managed master-user
 * secret. Each is its own entry, told apart by {@link #use()}; the resource's ARN and use together
 * identify an entry.
 *
 * <p>The inventory shows <em>current settings only</em>: objects written to a bucket before its
 * default encryption changed, log events ingested before a log group's key changed, and earlier
 * secret versions keep the key they were encrypted with.
 *
 * @param arn the resource's ARN ({@code arn:aws:s3:::bucket}, {@code
 *     arn:aws:ec2:eu-west-1:111122223333:volume/vol-…}); for the Region's default EBS key, which is
 *     a setting of the account, {@code arn:PARTITION:ec2:REGION:ACCOUNT:ebs-default-kms-key}
 * @param service the service, as kms-posture names it: {@code s3}, {@code ebs}, {@code rds}, {@code
 *     secretsmanager}, {@code logs}, {@code sns}, {@code sqs}, {@code efs}, {@code fsx}, {@code
 *     dynamodb}
 * @param resourceType what it is, in the service's words: {@code bucket}, {@code volume}, {@code
 *     snapshot}, {@code ebs-default-kms-key}, {@code db-instance}, {@code db-cluster}, {@code
 *     db-snapshot}, {@code db-cluster-snapshot}, {@code secret}, {@code log-group}, {@code topic},
 *     {@code queue}, {@code file-system}, {@code table}, {@code table-replica}
 * @param region the resource's Region (a bucket's own Region)
 * @param use what the key protects: {@link #DATA} for the resource's data, or {@code
 *     performance-insights}, {@code activity-stream}, {@code master-user-secret}
 * @param encryption how the service itself describes the encryption ({@code AES256}, {@code
 *     aws:kms}, {@code aws:kms:dsse}, {@code SSE-SQS}, {@code sse-rds}, {@code KMS}, …), kept as
 *     written, or why it could not be read
 * @param protection which kind of key protects the data
 * @param key the KMS key named, or null when no KMS key is named
 * @param tags the resource's tags, sorted; null when they were not collected or could not be read
 * @param attributes service-specific facts the rules read, sorted by name (for example {@code
 *     engine}, {@code tableStatus}, {@code deploymentType}); empty when none
 */
public record ResourceSnapshot(
    String arn,
    String service,
    String resourceType,
    String region,
    String use,
    String encryption,
    ResourceProtection protection,
    @Nullable KeyReference key,
    @Nullable Map<String, String> tags,
    Map<String, String> attributes) {

  /** The {@link #use()} of a resource's own data. */
  public static final String DATA = "data";

  /**
   * Checks the parts and copies the maps.
   *
   * @throws IllegalArgumentException if a required part is blank, or a KMS protection names no key
   */
  public ResourceSnapshot {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(use, "use");
    Objects.requireNonNull(encryption, "encryption");
    Objects.requireNonNull(protection, "protection");
    if (!arn.startsWith("arn:")) {
      throw new IllegalArgumentException(
          String.format("resource ARN [%s] is not an ARN; expected arn:PARTITION:SERVICE:…", arn));
    }
    for (Map.Entry<String, String> part :
        Map.of("service", service, "resourceType", resourceType, "use", use).entrySet()) {
      if (part.getValue().isBlank()) {
        throw new IllegalArgumentException(
            String.format("resource [%s] has a blank %s", arn, part.getKey()));
      }
    }
    if (protection.usesKmsKey() && key == null) {
      throw new IllegalArgumentException(
          String.format(
              "resource [%s] is protected by a KMS key (%s) but names no key reference",
              arn, protection));
    }
    tags = tags == null ? null : Collections.unmodifiableMap(new TreeMap<>(tags));
    attributes =
        attributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  /** Returns a builder for the resource {@code arn} of {@code service}. */
  public static Builder builder(String arn, String service, String resourceType, String region) {
    return new Builder(arn, service, resourceType, region);
  }

  /** Returns a builder that starts from this resource. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns the key's ARN, when a KMS key is named and was resolved. */
  public Optional<String> keyArn() {
    return key == null ? Optional.empty() : key.resolvedArn();
  }

  /** Returns the attribute {@code name}, if the service reported it. */
  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /** Returns the resource's name: the last part of its ARN (after {@code :} or {@code /}). */
  public String name() {
    int slash = arn.lastIndexOf('/');
    int colon = arn.lastIndexOf(':');
    String last = arn.substring(Math.max(slash, colon) + 1);
    return last.isEmpty() ? arn : last;
  }

  /**
   * Returns how messages name the resource: its ARN, and what the key protects when it is not the
   * resource's data ({@code arn:… (performance-insights)}).
   */
  public String displayName() {
    return DATA.equals(use) ? arn : arn + " (" + use + ")";
  }

  /** Builds a {@link ResourceSnapshot}. Not thread-safe. */
  public static final class Builder {
    private final String arn;
    private final String service;
    private final String resourceType;
    private final String region;
    private String use = DATA;
    private String encryption = "";
    private ResourceProtection protection = ResourceProtection.UNRECOGNISED;
    private @Nullable KeyReference key;
    private @Nullable Map<String, String> tags;
    private final Map<String, String> attributes = new TreeMap<>();

    private Builder(String arn, String service, String resourceType, String region) {
      this.arn = Objects.requireNonNull(arn, "arn");
      this.service = Objects.requireNonNull(service, "service");
      this.resourceType = Objects.requireNonNull(resourceType, "resourceType");
      this.region = Objects.requireNonNull(region, "region");
    }

    private Builder(ResourceSnapshot r) {
      this(r.arn, r.service, r.resourceType, r.region);
      this.use = r.use;
      this.encryption = r.encryption;
      this.protection = r.protection;
      this.key = r.key;
      this.tags = r.tags;
      this.attributes.putAll(r.attributes);
    }

    /** Sets what the key protects; {@link ResourceSnapshot#DATA} by default. */
    public Builder use(String use) {
      this.use = Objects.requireNonNull(use, "use");
      return this;
    }

    /** Sets the encryption in the service's words, and its classification. */
    public Builder encryption(String encryption, ResourceProtection protection) {
      this.encryption = Objects.requireNonNull(encryption, "encryption");
      this.protection = Objects.requireNonNull(protection, "protection");
      return this;
    }

    /** Sets the classification only. */
    public Builder protection(ResourceProtection protection) {
      this.protection = Objects.requireNonNull(protection, "protection");
      return this;
    }

    /** Sets the KMS key named. */
    public Builder key(@Nullable KeyReference key) {
      this.key = key;
      return this;
    }

    /** Sets the tags; null when they were not collected. */
    public Builder tags(@Nullable Map<String, String> tags) {
      this.tags = tags;
      return this;
    }

    /** Puts a service-specific attribute. */
    public Builder putAttribute(String name, String value) {
      attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the resource.
     *
     * @throws IllegalArgumentException as {@link ResourceSnapshot#ResourceSnapshot} does
     */
    public ResourceSnapshot build() {
      return new ResourceSnapshot(
          arn,
          service,
          resourceType,
          region,
          use,
          encryption.isEmpty() ? protection.name() : encryption,
          protection,
          key,
          tags,
          attributes);
    }
  }
}

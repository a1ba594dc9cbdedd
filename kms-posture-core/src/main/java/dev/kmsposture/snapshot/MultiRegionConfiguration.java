package dev.kmsposture.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * The multi-Region configuration of a key: its role and the keys of its set.
 *
 * @param keyType {@code PRIMARY} or {@code REPLICA}
 * @param primaryKey the primary key of the set
 * @param replicaKeys the replica keys of the set; null (as when a snapshot leaves the member out,
 *     which the KMS API allows) means none
 */
public record MultiRegionConfiguration(
    String keyType, MultiRegionKey primaryKey, List<MultiRegionKey> replicaKeys) {

  /** Copies the replicas and checks the type. */
  public MultiRegionConfiguration {
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(primaryKey, "primaryKey");
    replicaKeys = replicaKeys == null ? List.of() : List.copyOf(replicaKeys);
    if (!keyType.equals("PRIMARY") && !keyType.equals("REPLICA")) {
      throw new IllegalArgumentException(
          String.format(
              "multi-Region key type [%s] is not valid; expected PRIMARY or REPLICA", keyType));
    }
  }

  /**
   * One key of a multi-Region set.
   *
   * @param arn the key ARN
   * @param region the key's Region
   */
  public record MultiRegionKey(String arn, String region) {
    /** Checks that no part is null. */
    public MultiRegionKey {
      Objects.requireNonNull(arn, "arn");
      Objects.requireNonNull(region, "region");
    }
  }
}

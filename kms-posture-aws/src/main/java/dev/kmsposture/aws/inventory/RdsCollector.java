package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterSnapshotsResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsResponse;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * RDS, and Aurora, Neptune and DocumentDB, which {@code DescribeDBInstances} also returns:
 * instances, clusters, and their snapshots. An instance of a cluster has its cluster's storage key,
 * so its storage is counted once, on the cluster; Performance Insights, database activity streams
 * and the managed master-user secret name keys of their own ({@link ResourceSnapshot#use()}).
 * {@code StorageEncryptionType=sse-rds} is a key RDS owns.
 */
final class RdsCollector implements ServiceCollector {
  @Override
  public InventoryService service() {
    return InventoryService.RDS;
  }

  @Override
  public void read(String region, Reading reading, List<String> problems) {
    RdsClient rds = reading.clients.client(region, RdsClient.class).orElseThrow();
    String marker = null;
    do {
      String m = marker;
      DescribeDbInstancesResponse page =
          reading.call(
              "rds",
              region,
              "DescribeDBInstances",
              () -> rds.describeDBInstances(r -> r.marker(m)));
      for (DBInstance i : page.dbInstances()) {
        instance(i, region, reading);
      }
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
    marker = null;
    do {
      String m = marker;
      DescribeDbClustersResponse page =
          reading.call(
              "rds", region, "DescribeDBClusters", () -> rds.describeDBClusters(r -> r.marker(m)));
      for (DBCluster c : page.dbClusters()) {
        cluster(c, region, reading);
      }
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
    marker = null;
    do {
      String m = marker;
      DescribeDbSnapshotsResponse page =
          reading.call(
              "rds",
              region,
              "DescribeDBSnapshots",
              () -> rds.describeDBSnapshots(r -> r.marker(m)));
      for (DBSnapshot s : page.dbSnapshots()) {
        ResourceSnapshot.Builder b =
            ResourceSnapshot.builder(s.dbSnapshotArn(), "rds", "db-snapshot", region);
        storage(
            b,
            s.encrypted(),
            s.storageEncryptionTypeAsString(),
            s.kmsKeyId(),
            "Encrypted",
            region,
            reading);
        engine(b, s.engine());
        reading.add(b.tags(tags(s.tagList())).build());
      }
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
    marker = null;
    do {
      String m = marker;
      DescribeDbClusterSnapshotsResponse page =
          reading.call(
              "rds",
              region,
              "DescribeDBClusterSnapshots",
              () -> rds.describeDBClusterSnapshots(r -> r.marker(m)));
      for (DBClusterSnapshot s : page.dbClusterSnapshots()) {
        ResourceSnapshot.Builder b =
            ResourceSnapshot.builder(
                s.dbClusterSnapshotArn(), "rds", "db-cluster-snapshot", region);
        storage(
            b,
            s.storageEncrypted(),
            s.storageEncryptionTypeAsString(),
            s.kmsKeyId(),
            "StorageEncrypted",
            region,
            reading);
        engine(b, s.engine());
        reading.add(b.tags(tags(s.tagList())).build());
      }
      marker = page.marker();
    } while (marker != null && !marker.isEmpty());
  }

  private static void instance(DBInstance i, String region, Reading reading) {
    Map<String, String> tags = tags(i.tagList());
    if (i.dbClusterIdentifier() == null || i.dbClusterIdentifier().isBlank()) {
      ResourceSnapshot.Builder b =
          ResourceSnapshot.builder(i.dbInstanceArn(), "rds", "db-instance", region);
      storage(
          b,
          i.storageEncrypted(),
          i.storageEncryptionTypeAsString(),
          i.kmsKeyId(),
          "StorageEncrypted",
          region,
          reading);
      engine(b, i.engine());
      reading.add(b.tags(tags).build());
    }
    extra(
        i.dbInstanceArn(),
        "db-instance",
        "performance-insights",
        i.performanceInsightsKMSKeyId(),
        region,
        reading,
        tags);
    extra(
        i.dbInstanceArn(),
        "db-instance",
        "activity-stream",
        i.activityStreamKmsKeyId(),
        region,
        reading,
        tags);
    if (i.masterUserSecret() != null) {
      extra(
          i.dbInstanceArn(),
          "db-instance",
          "master-user-secret",
          i.masterUserSecret().kmsKeyId(),
          region,
          reading,
          tags);
    }
  }

  private static void cluster(DBCluster c, String region, Reading reading) {
    Map<String, String> tags = tags(c.tagList());
    ResourceSnapshot.Builder b =
        ResourceSnapshot.builder(c.dbClusterArn(), "rds", "db-cluster", region);
    storage(
        b,
        c.storageEncrypted(),
        c.storageEncryptionTypeAsString(),
        c.kmsKeyId(),
        "StorageEncrypted",
        region,
        reading);
    engine(b, c.engine());
    reading.add(b.tags(tags).build());
    extra(
        c.dbClusterArn(),
        "db-cluster",
        "performance-insights",
        c.performanceInsightsKMSKeyId(),
        region,
        reading,
        tags);
    extra(
        c.dbClusterArn(),
        "db-cluster",
        "activity-stream",
        c.activityStreamKmsKeyId(),
        region,
        reading,
        tags);
    if (c.masterUserSecret() != null) {
      extra(
          c.dbClusterArn(),
          "db-cluster",
          "master-user-secret",
          c.masterUserSecret().kmsKeyId(),
          region,
          reading,
          tags);
    }
  }

  private static void storage(
      ResourceSnapshot.Builder b,
      @Nullable Boolean encrypted,
      @Nullable String type,
      @Nullable String kmsKeyId,
      String flag,
      String region,
      Reading reading) {
    if ("sse-rds".equals(type)) {
      b.encryption("StorageEncryptionType=sse-rds", ResourceProtection.AWS_OWNED_KEY);
    } else if (kmsKeyId != null && !kmsKeyId.isBlank()) {
      reading.kmsKey(
          b,
          flag + "=" + encrypted + (type == null ? "" : ", StorageEncryptionType=" + type),
          kmsKeyId,
          region);
      if (type != null && !type.equals("sse-kms")) {
        b.protection(ResourceProtection.UNRECOGNISED);
      }
    } else if (Boolean.FALSE.equals(encrypted) || "none".equals(type)) {
      b.encryption(flag + "=false", ResourceProtection.NOT_ENCRYPTED);
    } else {
      b.encryption(
          flag + "=" + encrypted + (type == null ? "" : ", StorageEncryptionType=" + type),
          ResourceProtection.UNRECOGNISED);
    }
  }

  private static void extra(
      String arn,
      String type,
      String use,
      @Nullable String kmsKeyId,
      String region,
      Reading reading,
      Map<String, String> tags) {
    if (kmsKeyId == null || kmsKeyId.isBlank()) {
      return;
    }
    ResourceSnapshot.Builder b = ResourceSnapshot.builder(arn, "rds", type, region).use(use);
    reading.kmsKey(b, use + " KmsKeyId", kmsKeyId, region);
    reading.add(b.tags(tags).build());
  }

  private static void engine(ResourceSnapshot.Builder b, @Nullable String engine) {
    if (engine != null) {
      b.putAttribute("engine", engine);
    }
  }

  private static Map<String, String> tags(List<Tag> tags) {
    Map<String, String> m = new TreeMap<>();
    for (Tag t : tags) {
      m.put(t.key(), t.value() == null ? "" : t.value());
    }
    return m;
  }
}

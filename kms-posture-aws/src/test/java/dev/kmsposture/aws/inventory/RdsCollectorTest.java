package dev.kmsposture.aws.inventory;

import static dev.kmsposture.aws.inventory.InventoryFixtures.CMK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.ResourceInventory;
import org.junit.jupiter.api.Test;

class RdsCollectorTest {
  static final String NS = " xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"";
  static final String ARN = "arn:aws:rds:eu-west-1:111122223333:";

  static String wrap(String op, String inner) {
    return "<"
        + op
        + "Response"
        + NS
        + "><"
        + op
        + "Result>"
        + inner
        + "</"
        + op
        + "Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></"
        + op
        + "Response>";
  }

  @Test
  void instancesClustersSnapshots_countAClustersStorageOnce() {
    ReplayHttp http =
        new ReplayHttp()
            .xml(
                "DescribeDBInstances",
                wrap(
                    "DescribeDBInstances",
                    "<DBInstances><DBInstance><DBInstanceArn>"
                        + ARN
                        + "db:solo</DBInstanceArn><Engine>postgres</Engine>"
                        + "<StorageEncrypted>true</StorageEncrypted><KmsKeyId>"
                        + CMK
                        + "</KmsKeyId>"
                        + "<PerformanceInsightsKMSKeyId>alias/aws/rds</PerformanceInsightsKMSKeyId>"
                        + "<MasterUserSecret><SecretArn>arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-1</SecretArn><KmsKeyId>"
                        + CMK
                        + "</KmsKeyId></MasterUserSecret>"
                        + "<TagList><Tag><Key>DataClassification</Key><Value>pii</Value></Tag></TagList></DBInstance></DBInstances><Marker>m2</Marker>"))
            .xml(
                "DescribeDBInstances",
                wrap(
                    "DescribeDBInstances",
                    "<DBInstances><DBInstance><DBInstanceArn>"
                        + ARN
                        + "db:aurora-1</DBInstanceArn><Engine>aurora-postgresql</Engine>"
                        + "<DBClusterIdentifier>aurora</DBClusterIdentifier><StorageEncrypted>true</StorageEncrypted><KmsKeyId>"
                        + CMK
                        + "</KmsKeyId></DBInstance>"
                        + "<DBInstance><DBInstanceArn>"
                        + ARN
                        + "db:plain</DBInstanceArn><Engine>mysql</Engine><StorageEncrypted>false</StorageEncrypted></DBInstance></DBInstances>"))
            .xml(
                "DescribeDBClusters",
                wrap(
                    "DescribeDBClusters",
                    "<DBClusters><DBCluster><DBClusterArn>"
                        + ARN
                        + "cluster:aurora</DBClusterArn><Engine>aurora-postgresql</Engine>"
                        + "<StorageEncrypted>true</StorageEncrypted><StorageEncryptionType>sse-kms</StorageEncryptionType><KmsKeyId>"
                        + CMK
                        + "</KmsKeyId></DBCluster>"
                        + "<DBCluster><DBClusterArn>"
                        + ARN
                        + "cluster:owned</DBClusterArn><Engine>aurora-mysql</Engine>"
                        + "<StorageEncrypted>true</StorageEncrypted><StorageEncryptionType>sse-rds</StorageEncryptionType></DBCluster></DBClusters>"))
            .xml(
                "DescribeDBSnapshots",
                wrap(
                    "DescribeDBSnapshots",
                    "<DBSnapshots><DBSnapshot><DBSnapshotArn>"
                        + ARN
                        + "snapshot:s1</DBSnapshotArn><Engine>postgres</Engine><Encrypted>true</Encrypted><KmsKeyId>"
                        + InventoryFixtures.DOOMED
                        + "</KmsKeyId></DBSnapshot></DBSnapshots>"))
            .xml(
                "DescribeDBClusterSnapshots",
                wrap(
                    "DescribeDBClusterSnapshots",
                    "<DBClusterSnapshots><DBClusterSnapshot><DBClusterSnapshotArn>"
                        + ARN
                        + "cluster-snapshot:c1</DBClusterSnapshotArn><StorageEncrypted>true</StorageEncrypted><StorageEncryptionType>sse-quantum</StorageEncryptionType><KmsKeyId>"
                        + CMK
                        + "</KmsKeyId></DBClusterSnapshot></DBClusterSnapshots>"));

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.RDS));

    assertThat(inv.resources())
        .extracting(
            r ->
                r.displayName()
                    + " "
                    + r.protection()
                    + " "
                    + r.keyArn().orElse(r.key() == null ? "-" : r.key().written()))
        .containsExactly(
            ARN + "cluster-snapshot:c1 UNRECOGNISED " + CMK,
            ARN + "cluster:aurora CUSTOMER_MANAGED_KEY " + CMK,
            ARN + "cluster:owned AWS_OWNED_KEY -",
            ARN + "db:plain NOT_ENCRYPTED -",
            ARN + "db:solo CUSTOMER_MANAGED_KEY " + CMK,
            ARN + "db:solo (master-user-secret) CUSTOMER_MANAGED_KEY " + CMK,
            ARN + "db:solo (performance-insights) AWS_MANAGED_KEY alias/aws/rds",
            ARN + "snapshot:s1 CUSTOMER_MANAGED_KEY " + InventoryFixtures.DOOMED);
    assertThat(inv.resourcesUsing(CMK)).hasSize(4);
    assertThat(inv.resources(ARN + "db:solo").get(0).attribute("engine")).contains("postgres");
    assertThat(http.sent("DescribeDBInstances").get(1).body()).contains("Marker=m2");
  }

  @Test
  void deniedClusters_leaveTheRegionIncompleteButKeepTheInstances() {
    ReplayHttp http =
        new ReplayHttp()
            .xml(
                "DescribeDBInstances",
                wrap(
                    "DescribeDBInstances",
                    "<DBInstances><DBInstance><DBInstanceArn>"
                        + ARN
                        + "db:solo</DBInstanceArn><StorageEncrypted>true</StorageEncrypted><KmsKeyId>"
                        + CMK
                        + "</KmsKeyId></DBInstance></DBInstances>"))
            .reply(
                "DescribeDBClusters",
                403,
                "text/xml",
                "<ErrorResponse"
                    + NS
                    + "><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform rds:DescribeDBClusters</Message></Error><RequestId>r</RequestId></ErrorResponse>");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.RDS));

    assertThat(inv.resources()).hasSize(1);
    assertThat(inv.coverage("rds", "eu-west-1").orElseThrow().problem())
        .contains("AccessDenied")
        .contains("rds:DescribeDBClusters");
  }
}

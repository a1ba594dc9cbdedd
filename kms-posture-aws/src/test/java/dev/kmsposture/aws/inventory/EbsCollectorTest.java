package dev.kmsposture.aws.inventory;

import static dev.kmsposture.aws.inventory.InventoryFixtures.CMK;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class EbsCollectorTest {
  static final String NS = " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";

  static String volume(String id, boolean encrypted, @Nullable String key) {
    return "<item><volumeId>"
        + id
        + "</volumeId><size>8</size><encrypted>"
        + encrypted
        + "</encrypted>"
        + (key == null ? "" : "<kmsKeyId>" + key + "</kmsKeyId>")
        + "<tagSet><item><key>DataClassification</key><value>restricted</value></item></tagSet></item>";
  }

  @Test
  void volumesSnapshotsAndDefaultKey_withPagination() {
    ReplayHttp http =
        new ReplayHttp()
            .xml(
                "DescribeVolumes",
                "<DescribeVolumesResponse"
                    + NS
                    + "><requestId>r</requestId><volumeSet>"
                    + volume("vol-1", true, CMK)
                    + "</volumeSet><nextToken>v2</nextToken></DescribeVolumesResponse>")
            .xml(
                "DescribeVolumes",
                "<DescribeVolumesResponse"
                    + NS
                    + "><requestId>r</requestId><volumeSet>"
                    + volume("vol-2", false, null)
                    + "</volumeSet></DescribeVolumesResponse>")
            .xml(
                "DescribeSnapshots",
                "<DescribeSnapshotsResponse"
                    + NS
                    + "><requestId>r</requestId><snapshotSet><item><snapshotId>snap-1</snapshotId><encrypted>true</encrypted><kmsKeyId>"
                    + InventoryFixtures.DOOMED
                    + "</kmsKeyId></item></snapshotSet></DescribeSnapshotsResponse>")
            .xml(
                "GetEbsEncryptionByDefault",
                "<GetEbsEncryptionByDefaultResponse"
                    + NS
                    + "><requestId>r</requestId><ebsEncryptionByDefault>true</ebsEncryptionByDefault></GetEbsEncryptionByDefaultResponse>")
            .xml(
                "GetEbsDefaultKmsKeyId",
                "<GetEbsDefaultKmsKeyIdResponse"
                    + NS
                    + "><requestId>r</requestId><kmsKeyId>alias/pii</kmsKeyId></GetEbsDefaultKmsKeyIdResponse>");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.EBS));

    assertThat(inv.resources())
        .extracting(r -> r.arn() + " " + r.protection() + " " + r.keyArn().orElse("-"))
        .containsExactly(
            "arn:aws:ec2:eu-west-1:111122223333:ebs-default-kms-key CUSTOMER_MANAGED_KEY " + CMK,
            "arn:aws:ec2:eu-west-1:111122223333:volume/vol-1 CUSTOMER_MANAGED_KEY " + CMK,
            "arn:aws:ec2:eu-west-1:111122223333:volume/vol-2 NOT_ENCRYPTED -",
            "arn:aws:ec2:eu-west-1::snapshot/snap-1 CUSTOMER_MANAGED_KEY "
                + InventoryFixtures.DOOMED);
    ResourceSnapshot def =
        inv.resources("arn:aws:ec2:eu-west-1:111122223333:ebs-default-kms-key").get(0);
    assertThat(def.attribute("encryptionByDefault")).contains("true");
    assertThat(requireNonNull(def.key()).note()).contains("asynchronously");
    assertThat(inv.resources("arn:aws:ec2:eu-west-1:111122223333:volume/vol-1").get(0).tags())
        .isEqualTo(Map.of("DataClassification", "restricted"));
    assertThat(http.sent("DescribeSnapshots").get(0).body()).contains("Owner.1=self");
    assertThat(http.sent("DescribeVolumes").get(1).body()).contains("NextToken=v2");
  }

  @Test
  void deniedVolumes_isACoverageProblem() {
    ReplayHttp http =
        new ReplayHttp()
            .reply(
                "DescribeVolumes",
                403,
                "text/xml",
                "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r</RequestID></Response>");

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.EBS));

    assertThat(inv.resources()).isEmpty();
    assertThat(inv.coverage("ebs", "eu-west-1").orElseThrow().problem())
        .contains("UnauthorizedOperation");
  }
}

package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * EBS: volumes, snapshots the account owns ({@code OwnerIds=self}), and the Region's default EBS
 * encryption key with whether encryption by default is on.
 */
final class EbsCollector implements ServiceCollector {
  static final String DEFAULT_KEY_CAVEAT =
      "EC2 checks the default EBS key only when a volume is created (asynchronously): a default key"
          + " that is disabled or missing shows only then";

  @Override
  public InventoryService service() {
    return InventoryService.EBS;
  }

  @Override
  public void read(String region, Reading reading, List<String> problems) {
    Ec2Client ec2 = reading.clients.client(region, Ec2Client.class).orElseThrow();
    String token = null;
    do {
      String t = token;
      DescribeVolumesResponse page =
          reading.call(
              "ec2",
              region,
              "DescribeVolumes",
              () -> ec2.describeVolumes(r -> r.maxResults(500).nextToken(t)));
      for (Volume v : page.volumes()) {
        ResourceSnapshot.Builder b =
            ResourceSnapshot.builder(
                reading.arn("ec2", region, "volume/" + v.volumeId()), "ebs", "volume", region);
        encryption(b, v.encrypted(), v.kmsKeyId(), region, reading);
        reading.add(b.tags(tags(v.tags())).build());
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    token = null;
    do {
      String t = token;
      DescribeSnapshotsResponse page =
          reading.call(
              "ec2",
              region,
              "DescribeSnapshots",
              () -> ec2.describeSnapshots(r -> r.ownerIds("self").maxResults(1000).nextToken(t)));
      for (Snapshot s : page.snapshots()) {
        // EC2 snapshot ARNs carry no account: arn:aws:ec2:REGION::snapshot/ID.
        ResourceSnapshot.Builder b =
            ResourceSnapshot.builder(
                "arn:" + reading.partition + ":ec2:" + region + "::snapshot/" + s.snapshotId(),
                "ebs",
                "snapshot",
                region);
        encryption(b, s.encrypted(), s.kmsKeyId(), region, reading);
        reading.add(b.tags(tags(s.tags())).build());
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    defaultKey(ec2, region, reading, problems);
  }

  private static void encryption(
      ResourceSnapshot.Builder b,
      Boolean encrypted,
      String kmsKeyId,
      String region,
      Reading reading) {
    if (Boolean.TRUE.equals(encrypted)) {
      if (kmsKeyId == null || kmsKeyId.isBlank()) {
        reading.kmsKey(b, "Encrypted=true (no KmsKeyId reported)", "alias/aws/ebs", region);
      } else {
        reading.kmsKey(b, "Encrypted=true", kmsKeyId, region);
      }
    } else {
      b.encryption("Encrypted=false", ResourceProtection.NOT_ENCRYPTED);
    }
  }

  private static void defaultKey(
      Ec2Client ec2, String region, Reading reading, List<String> problems) {
    ResourceSnapshot.Builder b =
        ResourceSnapshot.builder(
            reading.arn("ec2", region, "ebs-default-kms-key"),
            "ebs",
            "ebs-default-kms-key",
            region);
    try {
      Boolean byDefault =
          reading
              .call(
                  "ec2",
                  region,
                  "GetEbsEncryptionByDefault",
                  () -> ec2.getEbsEncryptionByDefault(r -> {}))
              .ebsEncryptionByDefault();
      String key =
          reading
              .call(
                  "ec2", region, "GetEbsDefaultKmsKeyId", () -> ec2.getEbsDefaultKmsKeyId(r -> {}))
              .kmsKeyId();
      b.putAttribute("encryptionByDefault", String.valueOf(Boolean.TRUE.equals(byDefault)));
      String written = key == null || key.isBlank() ? "alias/aws/ebs" : key;
      KeyReference ref = reading.resolver.resolve(written, region);
      String resolvedArn = ref.keyArn();
      ref =
          resolvedArn != null
              ? KeyReference.resolved(
                  written,
                  resolvedArn,
                  ref.note() == null ? DEFAULT_KEY_CAVEAT : ref.note() + "; " + DEFAULT_KEY_CAVEAT)
              : KeyReference.unresolvable(written, ref.note() + "; " + DEFAULT_KEY_CAVEAT);
      reading.kmsKey(b, "EbsEncryptionByDefault=" + Boolean.TRUE.equals(byDefault), ref);
    } catch (SdkException e) {
      String why = Reading.describe("GetEbsDefaultKmsKeyId", e);
      problems.add("default EBS key: " + why);
      b.encryption(why, ResourceProtection.NOT_READ);
    }
    reading.add(b.build());
  }

  static Map<String, String> tags(List<Tag> tags) {
    Map<String, String> m = new TreeMap<>();
    for (Tag t : tags) {
      m.put(t.key(), t.value() == null ? "" : t.value());
    }
    return m;
  }
}

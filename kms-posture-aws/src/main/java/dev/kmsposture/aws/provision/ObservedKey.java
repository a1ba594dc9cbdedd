package dev.kmsposture.aws.provision;

import dev.kmsposture.aws.internal.SdkMapping;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.RotationStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * A key as read back from KMS — what the provisioner compares with a blueprint, to plan the calls
 * that converge it and to verify what it did. Reads: {@code DescribeKey}, {@code GetKeyPolicy}
 * ({@code PolicyName=default}, which some KMS-compatible endpoints require), {@code
 * GetKeyRotationStatus} (only where the key can rotate, decided from its metadata), {@code
 * ListResourceTags} and {@code ListAliases} for the key.
 *
 * @param arn the key ARN
 * @param region the key's Region
 * @param metadata what DescribeKey said (mapped as the scanner maps it)
 * @param missing the DescribeKey fields the answer left out
 * @param policy the key policy text, or null when the answer had none
 * @param rotation the rotation status, or null when not read or not answered
 * @param tags the tags
 * @param aliases the alias names pointing at the key
 */
record ObservedKey(
    String arn,
    String region,
    KeyMetadata metadata,
    List<String> missing,
    @Nullable String policy,
    @Nullable RotationStatus rotation,
    SortedMap<String, String> tags,
    List<String> aliases) {

  ObservedKey {
    missing = List.copyOf(missing);
    tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    aliases = List.copyOf(aliases);
  }

  /** Reads everything but rotation (for replicas, whose rotation is the primary's). */
  static ObservedKey read(KmsClient kms, String region, String keyId, boolean readRotation) {
    DescribeKeyResponse d = kms.describeKey(r -> r.keyId(keyId));
    var m = d.keyMetadata();
    String arn = m.arn() != null ? m.arn() : keyId;
    String id = m.keyId() != null ? m.keyId() : arn.substring(arn.lastIndexOf('/') + 1);
    SdkMapping.Metadata mapped = SdkMapping.metadata(m, id, false);
    GetKeyPolicyResponse p = kms.getKeyPolicy(r -> r.keyId(arn).policyName("default"));
    RotationStatus rotation = null;
    if (readRotation) {
      rotation = SdkMapping.rotation(kms.getKeyRotationStatus(r -> r.keyId(arn))).orElse(null);
    }
    return new ObservedKey(
        arn,
        region,
        mapped.metadata(),
        mapped.missing(),
        p.policy(),
        rotation,
        tags(kms, arn),
        aliases(kms, arn));
  }

  static SortedMap<String, String> tags(KmsClient kms, String arn) {
    TreeMap<String, String> tags = new TreeMap<>();
    for (ListResourceTagsResponse page : kms.listResourceTagsPaginator(r -> r.keyId(arn))) {
      if (page.hasTags()) {
        for (Tag t : page.tags()) {
          if (t.tagKey() != null) {
            tags.put(t.tagKey(), t.tagValue() == null ? "" : t.tagValue());
          }
        }
      }
    }
    return tags;
  }

  static List<String> aliases(KmsClient kms, String arn) {
    List<String> out = new ArrayList<>();
    for (AliasListEntry a : kms.listAliasesPaginator(r -> r.keyId(arn)).aliases()) {
      if (a.aliasName() != null) {
        out.add(a.aliasName());
      }
    }
    return out;
  }

  /** Returns the alias's target key id in {@code kms}'s Region, when the alias exists. */
  static Optional<String> aliasTarget(KmsClient kms, String aliasName) {
    for (AliasListEntry a : kms.listAliasesPaginator().aliases()) {
      if (aliasName.equals(a.aliasName())) {
        return Optional.of(a.targetKeyId() == null ? "" : a.targetKeyId());
      }
    }
    return Optional.empty();
  }
}

package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Writes the response structures KMS returns: {@code KeyMetadata} and its parts. */
final class Render {
  private Render() {}

  /**
   * The {@code KeyMetadata} structure, member for member as the KMS API reference defines it:
   * members that do not apply (DeletionDate, ValidTo, MultiRegionConfiguration, algorithm lists of
   * other key usages, …) are left out, never written as null.
   */
  static ObjectNode keyMetadata(KmsKey k) {
    ObjectNode o = Json.object();
    o.put("AWSAccountId", k.account.value());
    o.put("KeyId", k.keyId());
    o.put("Arn", k.arn);
    o.set("CreationDate", Json.time(k.creationDate));
    o.put("Enabled", isEnabled(k));
    o.put("Description", k.description);
    o.put("KeyUsage", k.usage());
    o.put("KeyState", k.state);
    if (k.state.equals("PendingDeletion") && k.deletionDate != null) {
      o.set("DeletionDate", Json.time(k.deletionDate));
    }
    if (k.validTo != null) {
      o.set("ValidTo", Json.time(k.validTo));
    }
    o.put("Origin", k.origin());
    if (k.expirationModel != null) {
      o.put("ExpirationModel", k.expirationModel);
    }
    o.put("KeyManager", k.shared.keyManager);
    o.put("CustomerMasterKeySpec", k.spec());
    o.put("KeySpec", k.spec());
    putList(o, "EncryptionAlgorithms", KeySpecs.encryptionAlgorithms(k.spec(), k.usage()));
    putList(o, "SigningAlgorithms", KeySpecs.signingAlgorithms(k.spec(), k.usage()));
    putList(o, "KeyAgreementAlgorithms", KeySpecs.keyAgreementAlgorithms(k.usage()));
    putList(o, "EncapsulationAlgorithms", KeySpecs.encapsulationAlgorithms(k.spec(), k.usage()));
    o.put("MultiRegion", k.shared.multiRegion);
    if (k.shared.multiRegion) {
      o.set("MultiRegionConfiguration", multiRegionConfiguration(k));
    }
    if (k.state.equals("PendingReplicaDeletion")) {
      o.put("PendingDeletionWindowInDays", k.pendingWindowDays);
    }
    putList(o, "MacAlgorithms", KeySpecs.macAlgorithms(k.spec()));
    MaterialVersion current = k.shared.current();
    if (KeySpecs.isSymmetric(k.spec()) && current != null && k.hasMaterial()) {
      o.put("CurrentKeyMaterialId", current.materialId());
    }
    return o;
  }

  /** Whether DescribeKey reports the key as enabled (an update in progress keeps it so). */
  static boolean isEnabled(KmsKey k) {
    return k.state.equals("Enabled")
        || (k.state.equals("Updating") && k.stateAfterTransition.equals("Enabled"));
  }

  static ObjectNode multiRegionConfiguration(KmsKey k) {
    ObjectNode o = Json.object();
    o.put("MultiRegionKeyType", k.isPrimary() ? "PRIMARY" : "REPLICA");
    ObjectNode primary = Json.object();
    primary.put("Arn", KmsState.keyArn(k.account.value(), k.shared.primaryRegion, k.keyId()));
    primary.put("Region", k.shared.primaryRegion);
    o.set("PrimaryKey", primary);
    ArrayNode replicas = Json.array();
    for (KmsKey member : k.shared.members.values()) {
      if (!member.region.equals(k.shared.primaryRegion)) {
        ObjectNode r = Json.object();
        r.put("Arn", member.arn);
        r.put("Region", member.region);
        replicas.add(r);
      }
    }
    o.set("ReplicaKeys", replicas);
    return o;
  }

  static ObjectNode tag(String key, String value) {
    ObjectNode t = Json.object();
    t.put("TagKey", key);
    t.put("TagValue", value);
    return t;
  }

  private static void putList(ObjectNode o, String member, List<String> values) {
    if (!values.isEmpty()) {
      o.set(member, Json.strings(values));
    }
  }
}

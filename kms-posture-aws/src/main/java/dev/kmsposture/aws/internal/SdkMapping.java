package dev.kmsposture.aws.internal;

import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyRotation;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.snapshot.MultiRegionConfiguration.MultiRegionKey;
import dev.kmsposture.snapshot.RotationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.GrantConstraints;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.KeyLastUsageData;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;

/**
 * Maps SDK responses into the core's snapshot records. The SDK's types stop here.
 *
 * <p>Every optional field the service (or an emulator) may leave out is read as "not known": a
 * missing field the rules need and that cannot be derived from the others is reported, so the key
 * is marked unreadable rather than judged on a guess.
 */
public final class SdkMapping {
  private SdkMapping() {}

  /** Metadata, and the fields that were missing and could not be derived. */
  public record Metadata(KeyMetadata metadata, List<String> missing) {}

  /**
   * Maps {@code DescribeKey}'s metadata.
   *
   * @param m the SDK metadata
   * @param keyId the key id ListKeys gave (for the multi-Region id form)
   * @param awsAliased whether an {@code alias/aws/…} alias points at the key (only AWS managed keys
   *     can have one), used when {@code KeyManager} is missing
   */
  public static Metadata metadata(
      software.amazon.awssdk.services.kms.model.KeyMetadata m, String keyId, boolean awsAliased) {
    List<String> missing = new ArrayList<>();
    String keyManager = present(m.keyManagerAsString());
    if (keyManager == null) {
      if (awsAliased) {
        keyManager = "AWS"; // CreateAlias refuses alias/aws/ names for customer keys
      } else {
        keyManager = unknown(missing, "KeyManager");
      }
    }
    String keySpec = present(m.keySpecAsString());
    if (keySpec == null) {
      keySpec = present(legacyKeySpec(m));
    }
    if (keySpec == null) {
      keySpec = unknown(missing, "KeySpec");
    }
    String keyUsage = present(m.keyUsageAsString());
    if (keyUsage == null) {
      keyUsage = onlyUsageOf(keySpec).orElseGet(() -> unknown(missing, "KeyUsage"));
    }
    String origin = present(m.originAsString());
    if (origin == null) {
      origin = unknown(missing, "Origin");
    }
    String keyState = present(m.keyStateAsString());
    if (keyState == null) {
      // Enabled is true exactly when KeyState is Enabled (KeyMetadata API reference).
      keyState =
          Boolean.TRUE.equals(m.enabled())
              ? KeyMetadata.ENABLED
              : m.deletionDate() != null
                  ? KeyMetadata.PENDING_DELETION
                  : unknown(missing, "KeyState");
    }
    Instant created = m.creationDate();
    if (created == null) {
      missing.add("CreationDate");
      created = Instant.EPOCH;
    }
    MultiRegionConfiguration multiRegion = null;
    var mr = m.multiRegionConfiguration();
    boolean multiRegionId = keyId.startsWith("mrk-");
    if (mr != null && mr.multiRegionKeyTypeAsString() != null && mr.primaryKey() != null) {
      List<MultiRegionKey> replicas = new ArrayList<>();
      if (mr.hasReplicaKeys()) {
        for (var r : mr.replicaKeys()) {
          if (r.arn() != null && r.region() != null) {
            replicas.add(new MultiRegionKey(r.arn(), r.region()));
          }
        }
      }
      var primary = mr.primaryKey();
      if (primary.arn() != null && primary.region() != null) {
        try {
          multiRegion =
              new MultiRegionConfiguration(
                  mr.multiRegionKeyTypeAsString(),
                  new MultiRegionKey(primary.arn(), primary.region()),
                  replicas);
        } catch (IllegalArgumentException e) {
          missing.add("MultiRegionConfiguration (" + e.getMessage() + ")");
        }
      }
    }
    if (multiRegion == null && (Boolean.TRUE.equals(m.multiRegion()) || multiRegionId)) {
      // A multi-Region key (its id says so) whose configuration the answer left out.
      missing.add("MultiRegionConfiguration");
    }
    String description = m.description() == null ? "" : m.description();
    KeyMetadata metadata =
        KeyMetadata.builder()
            .keyManager(keyManager)
            .keySpec(keySpec)
            .keyUsage(keyUsage)
            .origin(origin)
            .customKeyStoreId(m.customKeyStoreId())
            .keyState(keyState)
            .creationDate(created)
            .deletionDate(m.deletionDate())
            .pendingDeletionWindowInDays(m.pendingDeletionWindowInDays())
            .description(description)
            .multiRegion(multiRegion)
            .expirationModel(m.expirationModelAsString())
            .validTo(m.validTo())
            .build();
    return new Metadata(metadata, List.copyOf(missing));
  }

  // KMS never answers an empty vocabulary field; one that is blank is treated as missing, because
  // KeyMetadata's builder refuses blank text.
  private static @Nullable String present(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  // CustomerMasterKeySpec is the deprecated name of KeySpec; older emulators return only it.
  @SuppressWarnings("deprecation")
  private static @Nullable String legacyKeySpec(
      software.amazon.awssdk.services.kms.model.KeyMetadata m) {
    return m.customerMasterKeySpecAsString();
  }

  private static String unknown(List<String> missing, String field) {
    missing.add(field);
    return KeyMetadata.UNKNOWN;
  }

  /**
   * The key usage a key spec allows, when it allows only one (KeySpec and KeyUsage pairs of the
   * CreateKey API reference): symmetric keys encrypt, HMAC keys make MACs, and secp256k1, Ed25519
   * and ML-DSA keys only sign. RSA, NIST P curves and SM2 allow several.
   */
  static Optional<String> onlyUsageOf(String keySpec) {
    if (keySpec.equals("SYMMETRIC_DEFAULT")) {
      return Optional.of("ENCRYPT_DECRYPT");
    }
    if (keySpec.startsWith("HMAC_")) {
      return Optional.of("GENERATE_VERIFY_MAC");
    }
    if (keySpec.equals("ECC_SECG_P256K1")
        || keySpec.equals("ECC_NIST_EDWARDS25519")
        || keySpec.startsWith("ML_DSA_")) {
      return Optional.of("SIGN_VERIFY");
    }
    if (keySpec.startsWith("ML_KEM_")) {
      return Optional.of("ENCAPSULATE_DECAPSULATE");
    }
    return Optional.empty();
  }

  /**
   * Maps {@code GetKeyRotationStatus}; empty when the answer lacks {@code KeyRotationEnabled} (then
   * nothing is known).
   */
  public static Optional<RotationStatus> rotation(GetKeyRotationStatusResponse r) {
    if (r.keyRotationEnabled() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new RotationStatus(
            r.keyRotationEnabled(),
            r.rotationPeriodInDays(),
            r.nextRotationDate(),
            r.onDemandRotationStartDate()));
  }

  /** Maps one {@code ListKeyRotations} entry; empty when it carries neither date nor material. */
  public static Optional<KeyRotation> rotation(RotationsListEntry e) {
    if (e.rotationDate() == null && e.keyMaterialId() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new KeyRotation(
            e.rotationDate(),
            e.rotationTypeAsString(),
            e.keyMaterialId(),
            e.keyMaterialStateAsString(),
            e.importStateAsString(),
            e.validTo()));
  }

  /**
   * Maps one grant; empty when it names no grantee (neither {@code GranteePrincipal} nor {@code
   * GranteeServicePrincipal}) or has no id (a blank one counts as none).
   */
  public static Optional<KeyGrant> grant(GrantListEntry g) {
    String grantee =
        g.granteePrincipal() != null ? g.granteePrincipal() : g.granteeServicePrincipal();
    if (grantee == null || grantee.isBlank() || g.grantId() == null || g.grantId().isBlank()) {
      return Optional.empty();
    }
    String retiring =
        g.retiringPrincipal() != null ? g.retiringPrincipal() : g.retiringServicePrincipal();
    GrantConstraints c = g.constraints();
    Map<String, String> equals = Map.of();
    Map<String, String> subset = Map.of();
    if (c != null) {
      if (c.hasEncryptionContextEquals()) {
        equals = new TreeMap<>(c.encryptionContextEquals());
      }
      if (c.hasEncryptionContextSubset()) {
        subset = new TreeMap<>(c.encryptionContextSubset());
      }
    }
    List<String> operations = g.hasOperations() ? g.operationsAsStrings() : List.of();
    return Optional.of(
        KeyGrant.builder()
            .grantId(g.grantId())
            .name(g.name() == null || g.name().isEmpty() ? null : g.name())
            .granteePrincipal(grantee)
            .retiringPrincipal(retiring)
            .issuingAccount(g.issuingAccount())
            .operations(operations)
            .encryptionContextEquals(equals)
            .encryptionContextSubset(subset)
            .creationDate(g.creationDate())
            .build());
  }

  /** Maps {@code GetKeyLastUsage}. */
  public static KeyLastUsage lastUsage(GetKeyLastUsageResponse r) {
    KeyLastUsageData used = r.keyLastUsage();
    @Nullable Instant at = used == null ? null : used.timestamp();
    @Nullable String operation = used == null || at == null ? null : used.operationAsString();
    return new KeyLastUsage(at, operation, r.trackingStartDate());
  }
}

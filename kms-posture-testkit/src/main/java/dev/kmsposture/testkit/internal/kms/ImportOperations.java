package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.testkit.internal.kms.crypto.AwsValidation;
import dev.kmsposture.testkit.internal.kms.crypto.KeyImport;
import dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial;
import dev.kmsposture.testkit.internal.kms.crypto.KmsCryptoException;
import dev.kmsposture.testkit.internal.kms.crypto.WrappingAlgorithm;
import dev.kmsposture.testkit.internal.kms.crypto.WrappingKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The import workflow: GetParametersForImport, ImportKeyMaterial and DeleteImportedKeyMaterial.
 *
 * <p>A key created with origin {@code EXTERNAL} is {@code PendingImport} until material is
 * imported; it then becomes {@code Enabled}. Material imported with {@code KEY_MATERIAL_EXPIRES} (a
 * {@code ValidTo} within 365 days) is deleted when the clock passes {@code ValidTo}: the key
 * returns to {@code PendingImport} and the journal records a {@code DeleteExpiredKeyMaterial}
 * service event. The same material must be imported again (into the key or a replica of a
 * multi-Region key): other material is {@code IncorrectKeyMaterialException}, except that a
 * single-Region symmetric key takes new material with ImportType {@code NEW_KEY_MATERIAL}, which
 * becomes current at its next RotateKeyOnDemand. Other origins answer {@code
 * UnsupportedOperationException} ("origin is AWS_KMS which is not valid for this operation",
 * recorded from AWS).
 */
final class ImportOperations {
  private static final List<String> WRAPPING_ALGORITHMS =
      Arrays.stream(WrappingAlgorithm.values()).map(WrappingAlgorithm::wireName).toList();
  private static final List<String> WRAPPING_KEY_SPECS =
      Arrays.stream(WrappingKeySpec.values()).map(WrappingKeySpec::wireName).toList();
  // the model's patterns of KeyMaterialDescriptionType and BackingKeyIdType
  private static final Pattern DESCRIPTION = Pattern.compile("^[a-zA-Z0-9:/_\\s.-]+$");
  private static final Pattern MATERIAL_ID = Pattern.compile("^[a-f0-9]+$");
  private static final List<String> EXPIRATION_MODELS =
      List.of("KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE");

  private final KmsState state;
  private final AccessControl access;
  private final KeyImport keyImport = KeyImport.create();

  ImportOperations(KmsState state, AccessControl access) {
    this.state = state;
    this.access = access;
  }

  void register(Map<String, Operation> ops) {
    ops.put("GetParametersForImport", this::getParametersForImport);
    ops.put("ImportKeyMaterial", this::importKeyMaterial);
    ops.put("DeleteImportedKeyMaterial", this::deleteImportedKeyMaterial);
  }

  private static void requireExternal(KmsKey key) {
    if (!key.origin().equals("EXTERNAL")) {
      throw KmsErrors.originNotValid(key.arn, key.origin());
    }
  }

  private static <T> T crypto(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (KmsCryptoException e) {
      throw e.toAwsServiceError();
    }
  }

  private JsonNode getParametersForImport(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    String algorithm = c.in.requiredEnum("WrappingAlgorithm", WRAPPING_ALGORITHMS);
    String wrappingSpec = c.in.requiredEnum("WrappingKeySpec", WRAPPING_KEY_SPECS);
    c.in.throwIfInvalid();
    KmsKey key =
        state.locked(
            c,
            () -> {
              KmsKey k =
                  state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
              access.authorize(
                  c,
                  KmsAction.GET_PARAMETERS_FOR_IMPORT,
                  k,
                  Map.of(
                      "kms:WrappingAlgorithm", List.of(Objects.requireNonNull(algorithm)),
                      "kms:WrappingKeySpec", List.of(Objects.requireNonNull(wrappingSpec))));
              requireExternal(k);
              KeyStates.require(k, KeyStates.Use.IMPORT, state.config.pendingDeletionErrorCode());
              return k;
            });
    KeyImport.ImportParameters parameters =
        crypto(
            () ->
                keyImport.parametersForImport(
                    CryptoOperations.cryptoSpec(key),
                    key.arn,
                    AwsValidation.findEnum(
                            WrappingAlgorithm.class, Objects.requireNonNull(algorithm))
                        .orElseThrow(),
                    AwsValidation.findEnum(
                            WrappingKeySpec.class, Objects.requireNonNull(wrappingSpec))
                        .orElseThrow(),
                    c.now()));
    ObjectNode out = Json.object();
    out.put("KeyId", key.arn);
    out.put("ImportToken", Json.base64(parameters.importToken()));
    out.put("PublicKey", Json.base64(parameters.publicKey()));
    out.set("ParametersValidTo", Json.time(parameters.parametersValidTo()));
    return out;
  }

  private JsonNode importKeyMaterial(KmsCall c) {
    Request in = c.in;
    String keyId = Support.keyIdParam(in);
    byte[] token = in.requiredBlob("ImportToken", 1, 6144);
    byte[] encrypted = in.requiredBlob("EncryptedKeyMaterial", 1, 6144);
    Instant validTo = in.timestamp("ValidTo");
    String model = in.optionalEnum("ExpirationModel", EXPIRATION_MODELS);
    String importType =
        in.optionalEnum("ImportType", List.of("NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"));
    String description = in.optionalString("KeyMaterialDescription", 0, 256, DESCRIPTION);
    String materialIdParam = in.optionalString("KeyMaterialId", 64, 64, MATERIAL_ID);
    in.throwIfInvalid();
    if (materialIdParam != null && "NEW_KEY_MATERIAL".equals(importType)) {
      // API reference, ImportKeyMaterial: "You cannot specify a key material ID with ImportType
      // set to NEW_KEY_MATERIAL."
      throw KmsErrors.validation(
          "You cannot specify a KeyMaterialId with ImportType NEW_KEY_MATERIAL.");
    }
    // Recorded from AWS: without ExpirationModel, AWS takes KEY_MATERIAL_EXPIRES and refuses a
    // request without ValidTo with this same message (ImportKeyMaterial with only a token and the
    // material is this error, not an import that never expires).
    String expirationModel = model != null ? model : "KEY_MATERIAL_EXPIRES";
    if ("KEY_MATERIAL_EXPIRES".equals(expirationModel) && validTo == null) {
      throw KmsErrors.validation(
          "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES");
    }
    if ("KEY_MATERIAL_DOES_NOT_EXPIRE".equals(model) && validTo != null) {
      throw KmsErrors.validation(
          "A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE");
    }
    boolean newMaterial = "NEW_KEY_MATERIAL".equals(importType);
    if (validTo != null) {
      crypto(
          () -> {
            KeyImport.requireValidTo(validTo, c.now());
            return null;
          });
    }
    KmsKey key =
        state.locked(
            c,
            () -> {
              KmsKey k =
                  state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
              access.authorize(
                  c,
                  KmsAction.IMPORT_KEY_MATERIAL,
                  k,
                  Map.of("kms:ExpirationModel", List.of(expirationModel)));
              requireExternal(k);
              KeyStates.require(k, KeyStates.Use.IMPORT, state.config.pendingDeletionErrorCode());
              if (newMaterial && k.shared.current() != null) {
                requireNewMaterialAllowed(k);
              }
              if (materialIdParam != null) {
                requireMaterialIdUsable(k);
              }
              return k;
            });
    // Unwrapping is RSA work: outside the lock.
    KeyMaterial material =
        crypto(
            () ->
                keyImport.importKeyMaterial(
                    CryptoOperations.cryptoSpec(key),
                    key.arn,
                    Objects.requireNonNull(token),
                    Objects.requireNonNull(encrypted),
                    c.now()));
    String materialId =
        state.locked(
            c,
            () -> {
              if (key.deleted) {
                throw KmsErrors.keyNotFound(key.arn);
              }
              KeyStates.require(key, KeyStates.Use.IMPORT, state.config.pendingDeletionErrorCode());
              if (materialIdParam != null && !materialIdParam.equals(material.id().value())) {
                // API reference, ImportKeyMaterial: KMS computes the identifier of the imported
                // material and matches it against the KeyMaterialId given.
                throw KmsCryptoException.incorrectKeyMaterial(
                        "the material's key material id is not " + materialIdParam)
                    .toAwsServiceError();
              }
              SharedKey shared = key.shared;
              MaterialVersion existing = shared.current();
              MaterialVersion pending = shared.pendingRotation;
              String id;
              if (existing == null) {
                shared.versions.add(new MaterialVersion(material.id().value(), c.now(), material));
                id = material.id().value();
              } else if (newMaterial) {
                // New material for the next on-demand rotation; the current material and the
                // key's state stay as they are until then.
                requireNewMaterialAllowed(key);
                for (MaterialVersion v : shared.versions) {
                  if (v.material().hasSameSecretAs(material)) {
                    throw KmsCryptoException.incorrectKeyMaterial(
                            "the material is already associated with " + key.keyId())
                        .toAwsServiceError();
                  }
                }
                shared.pendingRotation =
                    new MaterialVersion(material.id().value(), c.now(), material);
                shared.pendingExpirationModel = expirationModel;
                shared.pendingValidTo = validTo;
                return material.id().value();
              } else if (existing.material().hasSameSecretAs(material)) {
                id = existing.materialId();
              } else if (pending != null && pending.material().hasSameSecretAs(material)) {
                // the material pending rotation imported again: its expiry changes
                shared.pendingExpirationModel = expirationModel;
                shared.pendingValidTo = validTo;
                return pending.materialId();
              } else {
                throw KmsCryptoException.incorrectKeyMaterial(
                        "the material is not the material imported into " + key.keyId() + " before")
                    .toAwsServiceError();
              }
              key.materialImported = true;
              key.expirationModel = expirationModel;
              key.validTo = validTo;
              if (validTo != null) {
                state.schedule(validTo, KmsState.Kind.EXPIRE_MATERIAL, key, null);
              }
              if (key.state.equals("PendingImport")) {
                key.state = "Enabled";
              }
              return id;
            });
    if (description != null) {
      // kept for ListKeyRotations; without one, the last description given stays (API reference)
      key.shared.materialDescriptions.put(materialId, description);
    }
    ObjectNode out = Json.object();
    out.put("KeyId", key.arn);
    out.put("KeyMaterialId", materialId);
    return out;
  }

  /**
   * New material (ImportType {@code NEW_KEY_MATERIAL}) goes into a single-Region symmetric key that
   * has material and none pending rotation. (The messages are ours: AWS's are not known.)
   */
  private static void requireNewMaterialAllowed(KmsKey key) {
    if (!KeySpecs.isSymmetric(key.spec())) {
      throw KmsErrors.unsupported(
          key.arn
              + " key spec is "
              + key.spec()
              + " which is not valid for ImportType NEW_KEY_MATERIAL; only symmetric encryption"
              + " keys take new key material.");
    }
    if (key.shared.multiRegion) {
      throw KmsErrors.unsupported(
          key.arn
              + " is a multi-Region key; the embedded KMS imports new key material into"
              + " single-Region keys only.");
    }
    MaterialVersion pending = key.shared.pendingRotation;
    if (pending != null) {
      throw KmsErrors.invalidState(
          key.arn
              + " already has key material pending rotation ("
              + pending.materialId()
              + "); rotate the key with RotateKeyOnDemand before importing new key material.");
    }
  }

  /**
   * A {@code KeyMaterialId} re-imports material the key already has (API reference,
   * ImportKeyMaterial: the parameter "is optional and only usable with symmetric encryption keys";
   * without material imported before, ImportType defaults to {@code NEW_KEY_MATERIAL}, which does
   * not take a key material id).
   */
  private static void requireMaterialIdUsable(KmsKey key) {
    if (!KeySpecs.isSymmetric(key.spec())) {
      throw KmsErrors.validation(
          "KeyMaterialId is valid only for symmetric encryption KMS keys; "
              + key.arn
              + " has key spec "
              + key.spec()
              + ".");
    }
    if (key.shared.current() == null) {
      throw KmsErrors.validation(
          "You cannot specify a KeyMaterialId with ImportType NEW_KEY_MATERIAL, the default"
              + " when no key material was imported into "
              + key.arn
              + " before.");
    }
  }

  /**
   * DeleteImportedKeyMaterial (API reference): deletes the current material, or the material that
   * {@code KeyMaterialId} names; "When the specified KMS key is in the PendingDeletion state, this
   * operation does not change the KMS key's state. Otherwise, it changes the KMS key's state to
   * PendingImport." Material imported as {@code NEW_KEY_MATERIAL} and still pending rotation is not
   * yet the key's: deleting it leaves the key as it is. A {@code KeyMaterialId} the key does not
   * have is {@code NotFoundException}.
   */
  private JsonNode deleteImportedKeyMaterial(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    String materialId = c.in.optionalString("KeyMaterialId", 64, 64, MATERIAL_ID);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.DELETE_IMPORTED_KEY_MATERIAL, key, Map.of());
          requireExternal(key);
          if (key.state.equals("Creating")) {
            throw KmsErrors.creating(key.arn);
          }
          SharedKey shared = key.shared;
          MaterialVersion current = shared.current();
          MaterialVersion pending = shared.pendingRotation;
          ObjectNode out = Json.object();
          out.put("KeyId", key.arn);
          if (materialId != null && pending != null && materialId.equals(pending.materialId())) {
            shared.pendingRotation = null;
            shared.pendingExpirationModel = null;
            shared.pendingValidTo = null;
            out.put("KeyMaterialId", pending.materialId());
            return out;
          }
          if (materialId != null && (current == null || !materialId.equals(current.materialId()))) {
            if (shared.version(materialId) == null) {
              throw KmsErrors.materialNotFound(materialId, key.arn);
            }
            throw KmsErrors.unsupported(
                "Key material "
                    + materialId
                    + " of "
                    + key.arn
                    + " is not current; the embedded KMS deletes only the current key material"
                    + " or the key material pending rotation.");
          }
          // Key-state table: in PendingImport the call succeeds with no effect.
          if (key.materialImported) {
            key.materialImported = false;
            key.validTo = null;
            key.expirationModel = null;
            if (key.state.equals("Enabled") || key.state.equals("Disabled")) {
              key.state = "PendingImport";
            }
          }
          if (current != null) {
            out.put("KeyMaterialId", current.materialId());
          }
          return out;
        });
  }
}

package dev.kmsposture.testkit.internal.kms;

/**
 * The key-state matrix: which operations a key's state allows, and the error each state gives
 * otherwise.
 *
 * <p>From the Developer Guide's "Key states of AWS KMS keys" table and its footnotes: [1] {@code
 * DisabledException: <arn> is disabled.}; [2]/[3] {@code DisabledException} or {@code
 * KMSInvalidStateException: <arn> is pending deletion.} (cryptographic operations may answer
 * either; the engine answers the configured one, {@code KMSInvalidStateException} by default); [4]
 * {@code <arn> is not pending deletion.}; [5] {@code <arn> is pending import.}; and for the states
 * of multi-Region keys, {@code Creating} (a new replica cannot be used or enabled yet) and {@code
 * Updating} (during UpdatePrimaryRegion cryptographic operations work, but enabling, disabling,
 * replicating and scheduling deletion do not).
 */
final class KeyStates {
  private KeyStates() {}

  /** What an operation does with the key, which decides the states it accepts. */
  enum Use {
    /** Cryptographic operations, GetPublicKey and CreateGrant. */
    CRYPTO,
    /** CreateAlias (target), TagResource, UntagResource, UpdateKeyDescription. */
    MANAGE,
    /** EnableKey, DisableKey. */
    ENABLE_DISABLE,
    SCHEDULE_DELETION,
    CANCEL_DELETION,
    /** EnableKeyRotation, DisableKeyRotation, RotateKeyOnDemand. */
    ROTATION,
    /** GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial. */
    IMPORT,
    /** ReplicateKey and UpdatePrimaryRegion on the primary. */
    MULTI_REGION
  }

  static void require(KmsKey key, Use use, String pendingDeletionCryptoCode) {
    String arn = key.arn;
    String state = key.state;
    boolean pendingDeletion = key.isPendingDeletion();
    switch (use) {
      case CRYPTO -> {
        switch (state) {
          case "Enabled", "Updating" -> {
            // allowed: crypto keeps working while a primary-Region update is in progress
          }
          case "Disabled" -> throw KmsErrors.disabled(arn);
          case "PendingImport" -> throw KmsErrors.pendingImport(arn);
          case "Creating" -> throw KmsErrors.creating(arn);
          default -> {
            if (pendingDeletion) {
              throw KmsErrors.pendingDeletion(pendingDeletionCryptoCode, arn);
            }
            throw KmsErrors.invalidState(arn + " is " + state + ".");
          }
        }
      }
      case MANAGE -> {
        if (pendingDeletion) {
          throw KmsErrors.pendingDeletion("KMSInvalidStateException", arn);
        }
      }
      case ENABLE_DISABLE -> {
        if (pendingDeletion) {
          throw KmsErrors.pendingDeletion("KMSInvalidStateException", arn);
        }
        switch (state) {
          case "PendingImport" -> throw KmsErrors.pendingImport(arn);
          case "Creating" -> throw KmsErrors.creating(arn);
          case "Updating" -> throw KmsErrors.updating(arn);
          default -> {
            // Enabled, Disabled
          }
        }
      }
      case SCHEDULE_DELETION -> {
        if (pendingDeletion) {
          throw KmsErrors.pendingDeletion("KMSInvalidStateException", arn);
        }
        if (state.equals("Creating")) {
          throw KmsErrors.creating(arn);
        }
        if (state.equals("Updating")) {
          throw KmsErrors.updating(arn);
        }
      }
      case CANCEL_DELETION -> {
        if (!pendingDeletion) {
          throw KmsErrors.notPendingDeletion(arn);
        }
      }
      case ROTATION -> {
        switch (state) {
          case "Enabled", "Updating" -> {
            // allowed
          }
          case "Disabled" -> throw KmsErrors.disabled(arn);
          case "PendingImport" -> throw KmsErrors.pendingImport(arn);
          case "Creating" -> throw KmsErrors.creating(arn);
          default -> throw KmsErrors.pendingDeletion("KMSInvalidStateException", arn);
        }
      }
      case IMPORT -> {
        if (pendingDeletion) {
          throw KmsErrors.pendingDeletion("KMSInvalidStateException", arn);
        }
        if (state.equals("Creating")) {
          throw KmsErrors.creating(arn);
        }
      }
      case MULTI_REGION -> {
        switch (state) {
          case "Enabled", "PendingImport" -> {
            // allowed: a primary with imported material replicates without material
          }
          case "Disabled" -> throw KmsErrors.disabled(arn);
          case "Creating" -> throw KmsErrors.creating(arn);
          case "Updating" -> throw KmsErrors.updating(arn);
          default -> throw KmsErrors.pendingDeletion("KMSInvalidStateException", arn);
        }
      }
    }
  }
}

package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.testkit.internal.kms.crypto.KmsCryptoException;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;

/**
 * The errors the embedded KMS answers with: AWS's wire codes, and AWS's messages where they are
 * known.
 *
 * <p>Messages marked "recorded" were observed from AWS KMS (responses recorded against real AWS and
 * published with an open-source KMS test suite, 2023–2025) or are quoted in the Developer Guide's
 * key-state table; the others are written to be helpful where AWS's exact text is not known.
 */
final class KmsErrors {
  private KmsErrors() {}

  // ---- not found / identifiers ----

  /** Recorded: a well-formed key id or key ARN that names no key. */
  static AwsServiceError keyNotFound(String keyArn) {
    return AwsServiceError.client("NotFoundException", "Key '" + keyArn + "' does not exist");
  }

  /** Recorded: a key id that is not a key id, key ARN, alias name or alias ARN. */
  static AwsServiceError invalidKeyId(String value) {
    return AwsServiceError.client("NotFoundException", "Invalid keyId '" + value + "'");
  }

  /** Recorded: a key ARN of another Region than the request's. */
  static AwsServiceError invalidArnRegion(String arnRegion) {
    return AwsServiceError.client("NotFoundException", "Invalid arn " + arnRegion);
  }

  static AwsServiceError aliasNotFound(String aliasArn) {
    return AwsServiceError.client("NotFoundException", "Alias " + aliasArn + " is not found.");
  }

  /** A {@code KeyMaterialId} that names no key material of the key. */
  static AwsServiceError materialNotFound(String materialId, String keyArn) {
    return AwsServiceError.client(
        "NotFoundException",
        "Key material " + materialId + " is not associated with " + keyArn + ".");
  }

  static AwsServiceError invalidArn(String message) {
    return AwsServiceError.client("InvalidArnException", message);
  }

  // ---- key states (Developer Guide, "Key states of AWS KMS keys", table footnotes) ----

  static AwsServiceError disabled(String keyArn) {
    return AwsServiceError.client("DisabledException", keyArn + " is disabled.");
  }

  static AwsServiceError pendingDeletion(String code, String keyArn) {
    return AwsServiceError.client(code, keyArn + " is pending deletion.");
  }

  static AwsServiceError notPendingDeletion(String keyArn) {
    return AwsServiceError.client("KMSInvalidStateException", keyArn + " is not pending deletion.");
  }

  static AwsServiceError pendingImport(String keyArn) {
    return AwsServiceError.client("KMSInvalidStateException", keyArn + " is pending import.");
  }

  static AwsServiceError creating(String keyArn) {
    return AwsServiceError.client("KMSInvalidStateException", keyArn + " is creating.");
  }

  static AwsServiceError updating(String keyArn) {
    return AwsServiceError.client("KMSInvalidStateException", keyArn + " is updating.");
  }

  static AwsServiceError invalidState(String message) {
    return AwsServiceError.client("KMSInvalidStateException", message);
  }

  /** Recorded ("origin is AWS_KMS/EXTERNAL which is not valid for this operation."). */
  static AwsServiceError originNotValid(String keyArn, String origin) {
    return AwsServiceError.client(
        "UnsupportedOperationException",
        keyArn + " origin is " + origin + " which is not valid for this operation.");
  }

  static AwsServiceError unsupported(String message) {
    return AwsServiceError.client("UnsupportedOperationException", message);
  }

  /** Recorded: replicating a key that is not a multi-Region primary key. */
  static AwsServiceError notMultiRegionPrimary(String keyArn) {
    return AwsServiceError.client(
        "UnsupportedOperationException", keyArn + " is not a multi-region primary key.");
  }

  // ---- request problems ----

  static AwsServiceError validation(String message) {
    return AwsServiceError.client("ValidationException", message);
  }

  static AwsServiceError serialization(String message) {
    return AwsServiceError.client("SerializationException", message);
  }

  static AwsServiceError tag(String message) {
    return AwsServiceError.client("TagException", message);
  }

  static AwsServiceError limitExceeded(String message) {
    return AwsServiceError.client("LimitExceededException", message);
  }

  static AwsServiceError alreadyExists(String message) {
    return AwsServiceError.client("AlreadyExistsException", message);
  }

  static AwsServiceError malformedPolicy(String message) {
    return AwsServiceError.client("MalformedPolicyDocumentException", message);
  }

  /** Documented lockout-check message (CreateKey, PutKeyPolicy, ReplicateKey). */
  static AwsServiceError lockout() {
    return malformedPolicy(
        "The new key policy will not allow you to update the key policy in the future.");
  }

  static AwsServiceError invalidAliasName(String message) {
    return AwsServiceError.client("InvalidAliasNameException", message);
  }

  /** Recorded: a key whose usage does not allow the operation. */
  static AwsServiceError invalidKeyUsage(String keyArn, String usage, String operation) {
    return AwsServiceError.client(
        "InvalidKeyUsageException",
        keyArn + " key usage is " + usage + " which is not valid for " + operation + ".");
  }

  static AwsServiceError invalidKeyUsage(String message) {
    return AwsServiceError.client("InvalidKeyUsageException", message);
  }

  /** Recorded. */
  static AwsServiceError incorrectKey() {
    return AwsServiceError.client(
        KmsCryptoException.INCORRECT_KEY, KmsCryptoException.INCORRECT_KEY_MESSAGE);
  }

  /** Recorded: AWS answers a ciphertext it cannot decrypt with an empty message. */
  static AwsServiceError invalidCiphertext() {
    return AwsServiceError.client("InvalidCiphertextException", "");
  }

  /** Recorded. */
  static AwsServiceError dryRun() {
    return AwsServiceError.client(
        "DryRunOperationException",
        "The request would have succeeded, but the DryRun option is set.");
  }

  static AwsServiceError invalidMarker() {
    return AwsServiceError.client(
        "InvalidMarkerException", "The marker is not valid for this request.");
  }

  static AwsServiceError invalidGrantToken() {
    return AwsServiceError.client("InvalidGrantTokenException", "Invalid grant token.");
  }

  static AwsServiceError invalidGrantId(String grantId) {
    return AwsServiceError.client("InvalidGrantIdException", "Invalid grant id " + grantId);
  }

  static AwsServiceError grantNotFound(String grantId) {
    return AwsServiceError.client("NotFoundException", "Grant ID " + grantId + " not found");
  }

  static AwsServiceError conflict(String message) {
    return AwsServiceError.client("ConflictException", message);
  }

  static AwsServiceError accessDenied(String message) {
    return AwsServiceError.client("AccessDeniedException", message);
  }

  static AwsServiceError unknownOperation(String operation) {
    return AwsServiceError.client(
        "UnknownOperationException",
        "operation [" + operation + "] is not supported by the embedded KMS");
  }

  static AwsServiceError customKeyStoreNotFound(String idOrName) {
    return AwsServiceError.client(
        "CustomKeyStoreNotFoundException",
        "Custom key store "
            + idOrName
            + " does not exist; the embedded KMS has no custom key"
            + " stores.");
  }

  static AwsServiceError internal(String message) {
    return AwsServiceError.fault(500, "KMSInternalException", message);
  }
}

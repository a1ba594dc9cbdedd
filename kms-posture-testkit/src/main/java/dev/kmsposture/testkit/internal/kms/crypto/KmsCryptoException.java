package dev.kmsposture.testkit.internal.kms.crypto;

import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import java.util.Objects;

/**
 * A cryptographic request that AWS KMS would refuse, carrying the AWS error code and the message
 * AWS sends, so the engine can answer exactly as AWS does ({@link #toAwsServiceError()}).
 *
 * <p>Three texts are kept apart:
 *
 * <ul>
 *   <li>{@link #code()}: the wire error code ({@code __type}), such as {@code
 *       InvalidCiphertextException};
 *   <li>{@link #awsMessage()}: the message AWS sends with it. It is empty where AWS sends none (AWS
 *       answers {@code InvalidCiphertextException} with no message; the SDKs then show {@code
 *       null});
 *   <li>{@link #getMessage()}: our own explanation for logs and test failures: what was wrong,
 *       where, and what is accepted. It never contains plaintext or key bytes.
 * </ul>
 */
public final class KmsCryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Request validation failed (sizes, enum values, missing or conflicting members). */
  public static final String VALIDATION = "ValidationException";

  /** The ciphertext, or the encryption context bound to it, is corrupt or does not match. */
  public static final String INVALID_CIPHERTEXT = "InvalidCiphertextException";

  /** The KMS key named in the request is not the one that encrypted the ciphertext. */
  public static final String INCORRECT_KEY = "IncorrectKeyException";

  /** The algorithm is not valid for the key spec, or the key usage does not fit the operation. */
  public static final String INVALID_KEY_USAGE = "InvalidKeyUsageException";

  /** A signature did not verify. */
  public static final String INVALID_SIGNATURE = "KMSInvalidSignatureException";

  /** An HMAC did not verify. */
  public static final String INVALID_MAC = "KMSInvalidMacException";

  /** The operation is not supported for the key (here also: not supported by the embedded KMS). */
  public static final String UNSUPPORTED_OPERATION = "UnsupportedOperationException";

  /** The import token is corrupt or belongs to another KMS key. */
  public static final String INVALID_IMPORT_TOKEN = "InvalidImportTokenException";

  /** The import token's 24 hours have passed. */
  public static final String EXPIRED_IMPORT_TOKEN = "ExpiredImportTokenException";

  /** The imported key material is invalid for the key, or not the material imported before. */
  public static final String INCORRECT_KEY_MATERIAL = "IncorrectKeyMaterialException";

  /**
   * AWS's text for {@code IncorrectKeyException}: recorded responses (2023 and 2025) and AWS's
   * CloudTrail examples still say "CMK"; the API reference gives none.
   */
  public static final String INCORRECT_KEY_MESSAGE =
      "The key ID in the request does not identify a CMK that can perform this operation.";

  private final String code;
  private final String awsMessage;

  private KmsCryptoException(String code, String awsMessage, String detail) {
    super(detail);
    this.code = Objects.requireNonNull(code, "code");
    this.awsMessage = Objects.requireNonNull(awsMessage, "awsMessage");
  }

  /** An error with the given code, AWS message (empty where AWS sends none) and our explanation. */
  public static KmsCryptoException of(String code, String awsMessage, String detail) {
    return new KmsCryptoException(code, awsMessage, detail);
  }

  /**
   * A {@code ValidationException} whose AWS message is also the explanation (AWS's validation
   * messages already say what and where).
   */
  public static KmsCryptoException validation(String awsMessage) {
    return new KmsCryptoException(VALIDATION, awsMessage, awsMessage);
  }

  /** An {@code InvalidCiphertextException}; AWS sends no message, {@code detail} says why. */
  public static KmsCryptoException invalidCiphertext(String detail) {
    return new KmsCryptoException(INVALID_CIPHERTEXT, "", detail);
  }

  /** An {@code IncorrectKeyException} with AWS's message; {@code detail} names both keys. */
  public static KmsCryptoException incorrectKey(String detail) {
    return new KmsCryptoException(INCORRECT_KEY, INCORRECT_KEY_MESSAGE, detail);
  }

  /**
   * The {@code InvalidKeyUsageException} AWS answers when {@code algorithm} is not one of the key
   * spec's algorithms: "Algorithm X is incompatible with key spec Y."
   */
  public static KmsCryptoException incompatibleAlgorithm(WireEnum algorithm, KeySpec spec) {
    String message =
        String.format(
            "Algorithm %s is incompatible with key spec %s.",
            algorithm.wireName(), spec.wireName());
    return new KmsCryptoException(INVALID_KEY_USAGE, message, message);
  }

  /** A {@code KMSInvalidSignatureException} (AWS sends no message). */
  public static KmsCryptoException invalidSignature(String detail) {
    return new KmsCryptoException(INVALID_SIGNATURE, "", detail);
  }

  /** A {@code KMSInvalidMacException} (AWS sends no message). */
  public static KmsCryptoException invalidMac(String detail) {
    return new KmsCryptoException(INVALID_MAC, "", detail);
  }

  /**
   * An {@code UnsupportedOperationException} for something AWS offers but the embedded KMS cannot
   * do on this JDK, such as the key spec {@code ECC_SECG_P256K1}; {@code what} names it.
   */
  public static KmsCryptoException unsupportedByEmbeddedKms(String what, String reason) {
    String message = String.format("%s is not supported by the embedded KMS: %s", what, reason);
    return new KmsCryptoException(UNSUPPORTED_OPERATION, message, message);
  }

  /** An {@code InvalidImportTokenException}; {@code detail} says why. */
  public static KmsCryptoException invalidImportToken(String detail) {
    // Message from the API reference's description of the error.
    return new KmsCryptoException(
        INVALID_IMPORT_TOKEN,
        "The import token is invalid or is associated with a different KMS key.",
        detail);
  }

  /** An {@code ExpiredImportTokenException}; {@code detail} gives the times. */
  public static KmsCryptoException expiredImportToken(String detail) {
    return new KmsCryptoException(
        EXPIRED_IMPORT_TOKEN, "The import token is expired.", "import token expired: " + detail);
  }

  /** An {@code IncorrectKeyMaterialException}; {@code detail} says what does not fit. */
  public static KmsCryptoException incorrectKeyMaterial(String detail) {
    return new KmsCryptoException(
        INCORRECT_KEY_MATERIAL,
        "The key material in the request is expired, invalid, or is not the same key material that"
            + " was previously imported into this KMS key.",
        detail);
  }

  /** The wire error code, such as {@code InvalidCiphertextException}. */
  public String code() {
    return code;
  }

  /** The message AWS sends with the error; empty where AWS sends none. */
  public String awsMessage() {
    return awsMessage;
  }

  /**
   * This error as the engine answers it: HTTP 400 with {@link #code()} and {@link #awsMessage()}.
   */
  public AwsServiceError toAwsServiceError() {
    return AwsServiceError.client(code, awsMessage);
  }

  @Override
  @SuppressWarnings("OverrideThrowableToString") // getMessage() stays the bare KMS message
  public String toString() {
    return code + ": " + getMessage();
  }
}

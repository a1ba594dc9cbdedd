/**
 * The embedded KMS's cryptography, with the JDK's own providers (JCA) only: small, stateless,
 * thread-safe building blocks that the engine ({@code KmsEngine}) calls once it has resolved the
 * key, checked its state, usage and permissions, and picked the key material.
 *
 * <h2>Errors</h2>
 *
 * Every refusal AWS would give is a {@link
 * dev.kmsposture.testkit.internal.kms.crypto.KmsCryptoException} with AWS's error code and AWS's
 * message; the engine rethrows it with {@code toAwsServiceError()}. Its {@code getMessage()} is our
 * own explanation (what and where), for logs and test failures. No message, {@code toString} or log
 * line holds plaintext or key bytes. {@code IllegalArgumentException} and {@code
 * IllegalStateException} mean the engine called wrongly (for example, passed material the blob does
 * not name).
 *
 * <h2>Vocabulary</h2>
 *
 * Enums for each closed KMS vocabulary, parsed from wire text with {@link
 * dev.kmsposture.testkit.internal.kms.crypto.AwsValidation#parseEnum} (AWS's "Member must satisfy
 * enum value set" message): {@code KeySpec}, {@code KeyUsage}, {@code EncryptionAlgorithm}, {@code
 * SigningAlgorithm}, {@code MessageType}, {@code MacAlgorithm}, {@code KeyAgreementAlgorithm},
 * {@code DataKeySpec}, {@code DataKeyPairSpec}, {@code WrappingKeySpec}, {@code WrappingAlgorithm}.
 * {@link dev.kmsposture.testkit.internal.kms.crypto.KeySpec} knows, per spec, the algorithms and
 * key usages AWS allows (what DescribeKey reports), answers "is algorithm A valid for spec S"
 * ({@code allows}, {@code requireAllowed}: AWS's {@code InvalidKeyUsageException}), and whether the
 * embedded KMS can do the spec at all ({@code isSupported}, {@code unsupportedReason}).
 *
 * <h2>Key material</h2>
 *
 * {@link dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial} is one material of a key: {@code
 * generate(spec)} for CreateKey and rotations, {@code imported(spec, keyId, bytes)} for
 * ImportKeyMaterial (with {@code expiringAt(validTo)}), {@code restore(...)} and {@code
 * insecureEncoded()} for snapshots. Its {@link
 * dev.kmsposture.testkit.internal.kms.crypto.KeyMaterialId} is 64 hex characters; imported material
 * gets the same id when the same material is imported into the same key again. A key keeps all its
 * materials so old ciphertexts decrypt after rotation.
 *
 * <h2>Operations</h2>
 *
 * <pre>{@code
 * // Encrypt / Decrypt / ReEncrypt under SYMMETRIC_DEFAULT
 * byte[] blob = SymmetricEnvelope.encrypt(current, keyArn, plaintext, EncryptionContext.of(ctx));
 * CiphertextBlob parsed = CiphertextBlob.parse(blob);   // keyId(), keyMaterialId()
 * // engine: resolve parsed.keyId(); IncorrectKeyException if the request named another key;
 * //         find the material by parsed.keyMaterialId() (InvalidCiphertextException if none)
 * byte[] plaintext = SymmetricEnvelope.decrypt(parsed, material, EncryptionContext.of(ctx));
 * // ReEncrypt = decrypt with the source, then encrypt with the destination
 *
 * // GenerateDataKey(WithoutPlaintext), GenerateRandom
 * int length = DataKeys.length(keySpec, numberOfBytes);
 * DataKeys.DataKey dataKey = DataKeys.generate(current, keyArn, length, context);
 * byte[] random = DataKeys.generateRandom(numberOfBytes);
 * }</pre>
 *
 * <h2>What the embedded KMS cannot do on JDK 17</h2>
 *
 * Key specs {@code ECC_SECG_P256K1} (SunEC dropped secp256k1 in JDK 16), {@code SM2} (no JDK
 * implementation), {@code ML_DSA_44/65/87} and {@code ML_KEM_512/768/1024} (JDK 24 and later), with
 * their algorithms {@code SM2DSA}, {@code SM2PKE}, {@code ML_DSA_SHAKE_256}, the message type
 * {@code EXTERNAL_MU}, and the same data key pair specs. They answer {@code
 * UnsupportedOperationException} naming the spec and the reason.
 */
package dev.kmsposture.testkit.internal.kms.crypto;

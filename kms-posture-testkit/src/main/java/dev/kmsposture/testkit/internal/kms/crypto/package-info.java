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
 * Each class validates its inputs as AWS does (the model's sizes, the algorithm against the key
 * spec, message types, digest lengths), then does the work. Which key, which state, which key usage
 * and which permissions stay with the engine.
 *
 * <pre>{@code
 * // Encrypt / Decrypt under SYMMETRIC_DEFAULT (AES-256-GCM, context bound as AAD)
 * byte[] blob = SymmetricEnvelope.encrypt(current, keyArn, plaintext, EncryptionContext.of(ctx));
 * CiphertextBlob parsed = CiphertextBlob.parse(blob);   // keyId(), keyMaterialId()
 * // engine: resolve parsed.keyId() (no KeyId needed); IncorrectKeyException if the request named
 * //         another key; find the material by parsed.keyMaterialId() among all the key's
 * //         materials, old ones included (InvalidCiphertextException if there is none)
 * byte[] plaintext = SymmetricEnvelope.decrypt(parsed, material, EncryptionContext.of(ctx));
 *
 * // Encrypt / Decrypt under RSA (RSAES_OAEP_SHA_1 / _256; the blob is bare, KeyId required)
 * byte[] rsaBlob = RsaEncryption.encrypt(material, EncryptionAlgorithm.RSAES_OAEP_SHA_256, data);
 * byte[] data2 = RsaEncryption.decrypt(material, EncryptionAlgorithm.RSAES_OAEP_SHA_256, rsaBlob);
 *
 * // ReEncrypt: decrypt with the source as above, then encrypt with the destination as above
 * // (SYMMETRIC_DEFAULT sources take the blob's key; RSA sources need SourceKeyId)
 *
 * // GenerateDataKey(WithoutPlaintext), GenerateRandom, GenerateDataKeyPair(WithoutPlaintext)
 * int length = DataKeys.length(keySpec, numberOfBytes);   // "Please specify either ..."
 * DataKeys.DataKey dataKey = DataKeys.generate(current, keyArn, length, context);
 * byte[] random = DataKeys.generateRandom(numberOfBytes);
 * DataKeyPairs.DataKeyPair pair = DataKeyPairs.generate(pairSpec, current, keyArn, context);
 *
 * // Sign / Verify (Verify answers KMSInvalidSignatureException, never SignatureValid=false)
 * byte[] signature = Signatures.sign(material, algorithm, MessageType.RAW, message);
 * Signatures.verifyOrThrow(material, algorithm, MessageType.RAW, message, signature);
 *
 * // GenerateMac / VerifyMac (VerifyMac answers KMSInvalidMacException on a mismatch)
 * byte[] mac = Hmacs.generate(material, MacAlgorithm.HMAC_SHA_256, message);
 * Hmacs.verifyOrThrow(material, MacAlgorithm.HMAC_SHA_256, message, mac);
 *
 * // DeriveSharedSecret (ECDH; the peer's key as DER SubjectPublicKeyInfo)
 * byte[] secret = KeyAgreements.deriveSharedSecret(material, KeyAgreementAlgorithm.ECDH, peer);
 *
 * // GetParametersForImport / ImportKeyMaterial (one KeyImport per engine; tokens hold 24 hours)
 * KeyImport.ImportParameters p = keyImport.parametersForImport(spec, keyArn, algorithm,
 *     wrappingKeySpec, clock.instant());
 * KeyMaterial imported = keyImport.importKeyMaterial(spec, keyArn, token, wrapped, clock.instant());
 * KeyImport.requireValidTo(validTo, clock.instant());     // KEY_MATERIAL_EXPIRES
 * KeyMaterial expiring = imported.expiringAt(validTo);
 * }</pre>
 *
 * <h2>Facts decided here</h2>
 *
 * <ul>
 *   <li>AWS sends no message with {@code InvalidCiphertextException}, {@code
 *       KMSInvalidSignatureException} and {@code KMSInvalidMacException}: {@code awsMessage()} is
 *       empty for them.
 *   <li>Messages taken from observed AWS responses (the API reference gives none): "Algorithm X is
 *       incompatible with key spec Y.", "Digest is invalid length for algorithm X.", "Message type
 *       M is incompatible with algorithm X.", "Algorithm X and key spec Y cannot encrypt data
 *       larger than N bytes.", "Please specify either number of bytes or key spec.", and AWS's "1
 *       validation error detected: ..." form for sizes, ranges and enum values.
 *   <li>Messages of our own wording, where AWS's is unknown: the import combinations refused,
 *       {@code ValidTo} limits, DeriveSharedSecret's malformed or foreign-curve public key, and the
 *       import token errors.
 *   <li>Imported HMAC material: 28–64 (HMAC_224), 32–64 (HMAC_256), 48–128 (HMAC_384), 64–128
 *       (HMAC_512) bytes; symmetric material exactly 32 bytes; key pairs as PKCS#8 DER.
 *   <li>{@code ED25519_PH_SHA_512} with {@code DIGEST} signs Ed25519ph (RFC 8032) whose prehash is
 *       the given SHA-512 digest ("KMS skips the hashing step"): the signature equals the JDK's
 *       Ed25519ph over the original message.
 *   <li>The encryption context has no size limit (the model sets none).
 * </ul>
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

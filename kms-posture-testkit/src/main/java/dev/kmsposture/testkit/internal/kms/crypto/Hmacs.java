package dev.kmsposture.testkit.internal.kms.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * GenerateMac and VerifyMac under an HMAC key: the standard, raw HMAC of RFC 2104 with the spec's
 * one algorithm. Messages are taken as they are (1–4096 bytes); there is no special handling of
 * digests. Verification compares in constant time.
 */
public final class Hmacs {
  private static final ThreadLocal<Map<MacAlgorithm, Mac>> MACS =
      ThreadLocal.withInitial(() -> new EnumMap<>(MacAlgorithm.class));

  private Hmacs() {}

  /**
   * GenerateMac.
   *
   * @throws KmsCryptoException {@code ValidationException} for a message outside 1–4096 bytes;
   *     {@code InvalidKeyUsageException} if the algorithm is not the key spec's
   */
  public static byte[] generate(KeyMaterial material, MacAlgorithm algorithm, byte[] message) {
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(message, "message");
    AwsValidation.requireLength("message", message, 1, 4096);
    material.spec().requireAllowed(algorithm);
    Mac mac = mac(algorithm);
    try {
      mac.init(material.secretKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: HMAC key refused", e);
    }
    return mac.doFinal(message);
  }

  /**
   * VerifyMac: whether {@code mac} is the HMAC of {@code message}. AWS answers a mismatch with
   * {@code KMSInvalidMacException}, never with {@code MacValid=false}: see {@link #verifyOrThrow}.
   *
   * @throws KmsCryptoException {@code ValidationException} for a message outside 1–4096 bytes or a
   *     MAC outside 1–6144 bytes; {@code InvalidKeyUsageException} if the algorithm is not the key
   *     spec's
   */
  public static boolean verify(
      KeyMaterial material, MacAlgorithm algorithm, byte[] message, byte[] mac) {
    Objects.requireNonNull(mac, "mac");
    AwsValidation.requireLength("mac", mac, 1, 6144);
    byte[] expected = generate(material, algorithm, message);
    return MessageDigest.isEqual(expected, mac);
  }

  /**
   * VerifyMac as AWS answers it.
   *
   * @throws KmsCryptoException {@code KMSInvalidMacException} if the MAC does not verify, and what
   *     {@link #verify} throws
   */
  public static void verifyOrThrow(
      KeyMaterial material, MacAlgorithm algorithm, byte[] message, byte[] mac) {
    if (!verify(material, algorithm, message, mac)) {
      throw KmsCryptoException.invalidMac(
          String.format(
              "the %d-byte MAC is not the %s of the %d-byte message under key material [%s]",
              mac.length, algorithm.wireName(), message.length, material.id().value()));
    }
  }

  private static Mac mac(MacAlgorithm algorithm) {
    return MACS.get()
        .computeIfAbsent(
            algorithm,
            a -> {
              try {
                return Mac.getInstance(a.jcaName());
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(
                    String.format("bug in kms-posture: the JDK has no [%s]", a.jcaName()), e);
              }
            });
  }
}

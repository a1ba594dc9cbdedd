package dev.kmsposture.leastprivilege;

import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A key's spec and usage ({@code KeySpec} and {@code KeyUsage} of {@code CreateKey}), which decide
 * the cryptographic actions its users need. An open value: a spec this library does not know is
 * accepted with any known usage, so new specs work before the library learns them.
 *
 * @param keySpec the key spec, such as {@code SYMMETRIC_DEFAULT}, {@code RSA_3072} or {@code
 *     ML_KEM_768}
 * @param keyUsage the key usage: {@code ENCRYPT_DECRYPT}, {@code SIGN_VERIFY}, {@code
 *     GENERATE_VERIFY_MAC}, {@code KEY_AGREEMENT} or {@code ENCAPSULATE_DECAPSULATE}
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html">CreateKey</a>
 */
public record KeyKind(String keySpec, String keyUsage) {

  private static final Set<String> USAGES =
      Set.of(
          "ENCRYPT_DECRYPT",
          "SIGN_VERIFY",
          "GENERATE_VERIFY_MAC",
          "KEY_AGREEMENT",
          "ENCAPSULATE_DECAPSULATE");

  // Which usages each known spec supports (KMS Developer Guide, "Key spec reference"; SDK 2.57.8
  // KeySpec enum). SM2 is China Regions only.
  private static final Map<String, Set<String>> SPECS =
      Map.ofEntries(
          Map.entry("SYMMETRIC_DEFAULT", Set.of("ENCRYPT_DECRYPT")),
          Map.entry("RSA_2048", Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY")),
          Map.entry("RSA_3072", Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY")),
          Map.entry("RSA_4096", Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY")),
          Map.entry("ECC_NIST_P256", Set.of("SIGN_VERIFY", "KEY_AGREEMENT")),
          Map.entry("ECC_NIST_P384", Set.of("SIGN_VERIFY", "KEY_AGREEMENT")),
          Map.entry("ECC_NIST_P521", Set.of("SIGN_VERIFY", "KEY_AGREEMENT")),
          Map.entry("ECC_NIST_EDWARDS25519", Set.of("SIGN_VERIFY")),
          Map.entry("ECC_SECG_P256K1", Set.of("SIGN_VERIFY")),
          Map.entry("HMAC_224", Set.of("GENERATE_VERIFY_MAC")),
          Map.entry("HMAC_256", Set.of("GENERATE_VERIFY_MAC")),
          Map.entry("HMAC_384", Set.of("GENERATE_VERIFY_MAC")),
          Map.entry("HMAC_512", Set.of("GENERATE_VERIFY_MAC")),
          Map.entry("ML_DSA_44", Set.of("SIGN_VERIFY")),
          Map.entry("ML_DSA_65", Set.of("SIGN_VERIFY")),
          Map.entry("ML_DSA_87", Set.of("SIGN_VERIFY")),
          Map.entry("ML_KEM_512", Set.of("ENCAPSULATE_DECAPSULATE")),
          Map.entry("ML_KEM_768", Set.of("ENCAPSULATE_DECAPSULATE")),
          Map.entry("ML_KEM_1024", Set.of("ENCAPSULATE_DECAPSULATE")),
          Map.entry("SM2", Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT")));

  // Declared after USAGES and SPECS, which its constructor reads.
  /** A symmetric encryption key: {@code SYMMETRIC_DEFAULT} / {@code ENCRYPT_DECRYPT}. */
  public static final KeyKind SYMMETRIC_DEFAULT =
      new KeyKind("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");

  /**
   * Validates the spec and usage.
   *
   * @throws IllegalArgumentException if the usage is not one of the five KMS usages, or a known
   *     spec does not support it
   */
  public KeyKind {
    Objects.requireNonNull(keySpec, "keySpec");
    Objects.requireNonNull(keyUsage, "keyUsage");
    if (!USAGES.contains(keyUsage)) {
      throw new IllegalArgumentException(
          String.format(
              "key usage [%s] is not valid; expected one of ENCRYPT_DECRYPT, SIGN_VERIFY,"
                  + " GENERATE_VERIFY_MAC, KEY_AGREEMENT, ENCAPSULATE_DECAPSULATE",
              keyUsage));
    }
    if (keySpec.isBlank()) {
      throw new IllegalArgumentException("key spec [] is blank; expected e.g. SYMMETRIC_DEFAULT");
    }
    Set<String> supported = usagesOf(keySpec);
    if (!supported.isEmpty() && !supported.contains(keyUsage)) {
      throw new IllegalArgumentException(
          String.format(
              "key spec [%s] does not support key usage [%s]; it supports %s",
              keySpec, keyUsage, new TreeSet<>(supported)));
    }
  }

  /**
   * Returns the kind with {@code keySpec} and {@code keyUsage}.
   *
   * @throws IllegalArgumentException if the pair is not valid
   */
  public static KeyKind of(String keySpec, String keyUsage) {
    return new KeyKind(keySpec, keyUsage);
  }

  /**
   * Returns the kind for {@code keySpec} when the spec has exactly one usage ({@code
   * SYMMETRIC_DEFAULT}, HMAC, ML-DSA, ML-KEM, Edwards and secp256k1 curves); empty when the usage
   * must be chosen (RSA, NIST curves, SM2) or the spec is unknown.
   */
  public static Optional<KeyKind> forSpec(String keySpec) {
    Objects.requireNonNull(keySpec, "keySpec");
    Set<String> usages = usagesOf(keySpec);
    return usages.size() == 1
        ? Optional.of(new KeyKind(keySpec, usages.iterator().next()))
        : Optional.empty();
  }

  private static Set<String> usagesOf(String keySpec) {
    return SPECS.getOrDefault(keySpec, Set.of());
  }

  /** Returns whether this is a symmetric encryption key. */
  public boolean isSymmetricEncryption() {
    return keySpec.equals("SYMMETRIC_DEFAULT");
  }

  /**
   * Returns the actions a user of the key needs, sorted by name: {@code DescribeKey} plus, for
   *
   * <ul>
   *   <li>symmetric encryption: {@code Encrypt}, {@code Decrypt}, {@code ReEncryptFrom}, {@code
   *       ReEncryptTo} and the four {@code GenerateDataKey…} variants;
   *   <li>asymmetric encryption: {@code Encrypt}, {@code Decrypt}, {@code ReEncryptFrom}, {@code
   *       ReEncryptTo}, {@code GetPublicKey};
   *   <li>signing: {@code Sign}, {@code Verify}, {@code GetPublicKey};
   *   <li>HMAC: {@code GenerateMac}, {@code VerifyMac};
   *   <li>key agreement: {@code DeriveSharedSecret}, {@code GetPublicKey};
   *   <li>ML-KEM: {@code Encapsulate}, {@code Decapsulate}, {@code GetPublicKey}.
   * </ul>
   */
  public List<KmsAction> userActions() {

    List<KmsAction> out =
        switch (keyUsage) {
          case "ENCRYPT_DECRYPT" ->
              isSymmetricEncryption()
                  ? List.of(
                      KmsAction.ENCRYPT,
                      KmsAction.DECRYPT,
                      KmsAction.RE_ENCRYPT_FROM,
                      KmsAction.RE_ENCRYPT_TO,
                      KmsAction.GENERATE_DATA_KEY,
                      KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
                      KmsAction.GENERATE_DATA_KEY_PAIR,
                      KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT)
                  : List.of(
                      KmsAction.ENCRYPT,
                      KmsAction.DECRYPT,
                      KmsAction.RE_ENCRYPT_FROM,
                      KmsAction.RE_ENCRYPT_TO,
                      KmsAction.GET_PUBLIC_KEY);
          case "SIGN_VERIFY" -> List.of(KmsAction.SIGN, KmsAction.VERIFY, KmsAction.GET_PUBLIC_KEY);
          case "GENERATE_VERIFY_MAC" -> List.of(KmsAction.GENERATE_MAC, KmsAction.VERIFY_MAC);
          case "KEY_AGREEMENT" -> List.of(KmsAction.DERIVE_SHARED_SECRET, KmsAction.GET_PUBLIC_KEY);
          case "ENCAPSULATE_DECAPSULATE" ->
              List.of(KmsAction.ENCAPSULATE, KmsAction.DECAPSULATE, KmsAction.GET_PUBLIC_KEY);
          default ->
              throw new IllegalStateException(
                  "bug in kms-posture: unhandled key usage " + keyUsage);
        };
    return Actions.sorted(out, List.of(KmsAction.DESCRIBE_KEY));
  }

  @Override
  public String toString() {
    return keySpec + "/" + keyUsage;
  }
}

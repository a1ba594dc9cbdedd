package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdDSAParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SignaturesTest {
  private static final byte[] MESSAGE =
      "transfer 100 to account 42".getBytes(StandardCharsets.UTF_8);

  /** Every supported (spec, algorithm) pair. */
  static Stream<Arguments> pairs() {
    return Stream.of(
            KeySpec.RSA_2048,
            KeySpec.RSA_3072,
            KeySpec.ECC_NIST_P256,
            KeySpec.ECC_NIST_P384,
            KeySpec.ECC_NIST_P521,
            KeySpec.ECC_NIST_EDWARDS25519)
        .flatMap(spec -> spec.signingAlgorithms().stream().map(a -> Arguments.of(spec, a)));
  }

  /** The pairs that take a {@code RAW} message. */
  static Stream<Arguments> rawPairs() {
    return pairs().filter(a -> a.get()[1] != SigningAlgorithm.ED25519_PH_SHA_512);
  }

  /** The pairs that take a {@code DIGEST} message. */
  static Stream<Arguments> digestPairs() {
    return pairs().filter(a -> a.get()[1] != SigningAlgorithm.ED25519_SHA_512);
  }

  @ParameterizedTest
  @MethodSource("rawPairs")
  void rawSignature_verifiesWithPlainJcaAndTheExportedPublicKey(
      KeySpec spec, SigningAlgorithm algorithm) throws Exception {
    KeyMaterial material = TestKeys.of(spec);

    byte[] signature = Signatures.sign(material, algorithm, MessageType.RAW, MESSAGE);

    Signature jca = jcaVerifier(algorithm, exportedPublicKey(material));
    jca.update(MESSAGE);
    assertThat(jca.verify(signature)).isTrue();
    assertThat(Signatures.verify(material, algorithm, MessageType.RAW, MESSAGE, signature))
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("digestPairs")
  void digestSignature_verifiesWithPlainJcaOverTheMessage(KeySpec spec, SigningAlgorithm algorithm)
      throws Exception {
    // given
    KeyMaterial material = TestKeys.of(spec);
    byte[] digest = MessageDigest.getInstance(algorithm.digest()).digest(MESSAGE);

    // when
    byte[] signature = Signatures.sign(material, algorithm, MessageType.DIGEST, digest);

    // then: the same signature as over the raw message, seen by plain JCA
    Signature jca = jcaVerifier(algorithm, exportedPublicKey(material));
    jca.update(MESSAGE);
    assertThat(jca.verify(signature)).isTrue();
    assertThat(Signatures.verify(material, algorithm, MessageType.DIGEST, digest, signature))
        .isTrue();
    if (algorithm != SigningAlgorithm.ED25519_PH_SHA_512) {
      assertThat(Signatures.verify(material, algorithm, MessageType.RAW, MESSAGE, signature))
          .isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("digestPairs")
  void jcaSignatureOverTheMessage_verifiesAsADigest(KeySpec spec, SigningAlgorithm algorithm)
      throws Exception {
    KeyMaterial material = TestKeys.of(spec);
    Signature jca = jcaSigner(algorithm, material);
    jca.update(MESSAGE);
    byte[] signature = jca.sign();
    byte[] digest = MessageDigest.getInstance(algorithm.digest()).digest(MESSAGE);

    assertThat(Signatures.verify(material, algorithm, MessageType.DIGEST, digest, signature))
        .isTrue();
  }

  @Test
  void pkcs1DigestSignature_equalsTheRawSignature() {
    // PKCS #1 v1.5 is deterministic, so both paths must give the same bytes.
    KeyMaterial material = TestKeys.of(KeySpec.RSA_2048);
    for (SigningAlgorithm algorithm :
        new SigningAlgorithm[] {
          SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256,
          SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384,
          SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512
        }) {
      byte[] digest = digest(algorithm);
      assertThat(Signatures.sign(material, algorithm, MessageType.DIGEST, digest))
          .isEqualTo(Signatures.sign(material, algorithm, MessageType.RAW, MESSAGE));
    }
  }

  @ParameterizedTest
  @MethodSource("pairs")
  void verify_alteredMessageOrSignature_isInvalid(KeySpec spec, SigningAlgorithm algorithm)
      throws Exception {
    // given
    KeyMaterial material = TestKeys.of(spec);
    MessageType type =
        algorithm == SigningAlgorithm.ED25519_PH_SHA_512 ? MessageType.DIGEST : MessageType.RAW;
    byte[] message =
        type == MessageType.DIGEST ? MessageDigest.getInstance("SHA-512").digest(MESSAGE) : MESSAGE;
    byte[] signature = Signatures.sign(material, algorithm, type, message);
    byte[] otherMessage = message.clone();
    otherMessage[0] ^= 1;
    byte[] otherSignature = signature.clone();
    otherSignature[signature.length / 2] ^= 1;

    // then
    assertThat(Signatures.verify(material, algorithm, type, otherMessage, signature)).isFalse();
    assertThat(Signatures.verify(material, algorithm, type, message, otherSignature)).isFalse();
    assertThat(Signatures.verify(material, algorithm, type, message, new byte[] {0x30, 0x00}))
        .isFalse();
    assertThatThrownBy(
            () -> Signatures.verifyOrThrow(material, algorithm, type, otherMessage, signature))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("KMSInvalidSignatureException");
              assertThat(e.awsMessage()).isEmpty();
            });
  }

  @Test
  void verify_signatureOfAnotherKey_isInvalid() {
    KeyMaterial signer = TestKeys.of(KeySpec.ECC_NIST_P256);
    KeyMaterial other = KeyMaterial.generate(KeySpec.ECC_NIST_P256);
    byte[] signature =
        Signatures.sign(signer, SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, MESSAGE);

    assertThat(
            Signatures.verify(
                other, SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, MESSAGE, signature))
        .isFalse();
  }

  @Test
  void pssSignature_usesASaltAsLongAsTheDigest() throws Exception {
    // A verifier that insists on salt length 32 accepts it; one that insists on 20 does not.
    KeyMaterial material = TestKeys.of(KeySpec.RSA_2048);
    byte[] signature =
        Signatures.sign(material, SigningAlgorithm.RSASSA_PSS_SHA_256, MessageType.RAW, MESSAGE);

    assertThat(pssVerify(material, signature, 32)).isTrue();
    assertThat(pssVerify(material, signature, 20)).isFalse();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(MESSAGE);
    byte[] digestSignature =
        Signatures.sign(material, SigningAlgorithm.RSASSA_PSS_SHA_256, MessageType.DIGEST, digest);
    assertThat(pssVerify(material, digestSignature, 32)).isTrue();
    assertThat(pssVerify(material, digestSignature, 20)).isFalse();
  }

  @Test
  void sign_algorithmOfAnotherSpec_isInvalidKeyUsage() {
    assertThatThrownBy(
            () ->
                Signatures.sign(
                    TestKeys.of(KeySpec.ECC_NIST_P384),
                    SigningAlgorithm.ECDSA_SHA_256,
                    MessageType.RAW,
                    MESSAGE))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidKeyUsageException");
              assertThat(e.awsMessage())
                  .isEqualTo(
                      "Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_P384.");
            });
    assertThatThrownBy(
            () ->
                Signatures.sign(
                    TestKeys.of(KeySpec.RSA_2048),
                    SigningAlgorithm.ED25519_SHA_512,
                    MessageType.RAW,
                    MESSAGE))
        .hasMessage("Algorithm ED25519_SHA_512 is incompatible with key spec RSA_2048.");
  }

  @Test
  void sign_digestOfTheWrongLength_isAwsValidationError() {
    assertThatThrownBy(
            () ->
                Signatures.sign(
                    TestKeys.of(KeySpec.ECC_NIST_P256),
                    SigningAlgorithm.ECDSA_SHA_256,
                    MessageType.DIGEST,
                    new byte[31]))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.awsMessage())
                  .isEqualTo("Digest is invalid length for algorithm ECDSA_SHA_256.");
            });
    assertThatThrownBy(
            () ->
                Signatures.verify(
                    TestKeys.of(KeySpec.ECC_NIST_EDWARDS25519),
                    SigningAlgorithm.ED25519_PH_SHA_512,
                    MessageType.DIGEST,
                    "not a sha-512 digest".getBytes(StandardCharsets.UTF_8),
                    new byte[64]))
        .hasMessage("Digest is invalid length for algorithm ED25519_PH_SHA_512.");
  }

  @Test
  void ed25519_eachAlgorithmTakesOneMessageType() {
    KeyMaterial material = TestKeys.of(KeySpec.ECC_NIST_EDWARDS25519);

    assertThatThrownBy(
            () ->
                Signatures.sign(
                    material, SigningAlgorithm.ED25519_SHA_512, MessageType.DIGEST, new byte[64]))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.awsMessage())
                  .isEqualTo("Message type DIGEST is incompatible with algorithm ED25519_SHA_512.");
            });
    assertThatThrownBy(
            () ->
                Signatures.sign(
                    material, SigningAlgorithm.ED25519_PH_SHA_512, MessageType.RAW, MESSAGE))
        .hasMessage("Message type RAW is incompatible with algorithm ED25519_PH_SHA_512.");
  }

  @Test
  void ed25519PrehashOfTheDigest_isTheJdksEd25519phOfTheMessage() throws Exception {
    KeyMaterial material = TestKeys.of(KeySpec.ECC_NIST_EDWARDS25519);
    byte[] digest = MessageDigest.getInstance("SHA-512").digest(MESSAGE);

    byte[] ours =
        Signatures.sign(material, SigningAlgorithm.ED25519_PH_SHA_512, MessageType.DIGEST, digest);

    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initSign(material.privateKey());
    jdk.setParameter(new EdDSAParameterSpec(true));
    jdk.update(MESSAGE);
    assertThat(ours).isEqualTo(jdk.sign());
    assertThat(ours)
        .isNotEqualTo(
            Signatures.sign(material, SigningAlgorithm.ED25519_SHA_512, MessageType.RAW, MESSAGE));
  }

  @Test
  void externalMu_isRefusedForEverySupportedSpec() {
    assertThatThrownBy(
            () ->
                Signatures.sign(
                    TestKeys.of(KeySpec.ECC_NIST_P256),
                    SigningAlgorithm.ECDSA_SHA_256,
                    MessageType.EXTERNAL_MU,
                    new byte[64]))
        .hasMessage("Message type EXTERNAL_MU is incompatible with key spec ECC_NIST_P256.");
  }

  @Test
  void messageAndSignatureSizes_areTheModels() {
    KeyMaterial material = TestKeys.of(KeySpec.ECC_NIST_P256);

    assertThatThrownBy(
            () ->
                Signatures.sign(
                    material, SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, new byte[4097]))
        .hasMessage(
            "1 validation error detected: Value at 'message' failed to satisfy constraint: Member"
                + " must have length less than or equal to 4096");
    assertThat(
            Signatures.sign(
                material, SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, new byte[4096]))
        .isNotEmpty();
    assertThatThrownBy(
            () ->
                Signatures.verify(
                    material,
                    SigningAlgorithm.ECDSA_SHA_256,
                    MessageType.RAW,
                    MESSAGE,
                    new byte[6145]))
        .hasMessage(
            "1 validation error detected: Value at 'signature' failed to satisfy constraint:"
                + " Member must have length less than or equal to 6144");
  }

  private static byte[] digest(SigningAlgorithm algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.digest()).digest(MESSAGE);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static PublicKey exportedPublicKey(KeyMaterial material) throws Exception {
    String algorithm =
        switch (material.spec().family()) {
          case RSA -> "RSA";
          case EDWARDS -> "Ed25519";
          default -> "EC";
        };
    return KeyFactory.getInstance(algorithm)
        .generatePublic(new X509EncodedKeySpec(material.publicKeyDer()));
  }

  private static Signature jcaVerifier(SigningAlgorithm algorithm, PublicKey key) throws Exception {
    Signature jca = jcaSignature(algorithm);
    jca.initVerify(key);
    prehashIfPh(jca, algorithm);
    return jca;
  }

  private static Signature jcaSigner(SigningAlgorithm algorithm, KeyMaterial material)
      throws Exception {
    Signature jca = jcaSignature(algorithm);
    jca.initSign(material.privateKey());
    prehashIfPh(jca, algorithm);
    return jca;
  }

  private static Signature jcaSignature(SigningAlgorithm algorithm) throws Exception {
    String digest = algorithm.digest().replace("-", "");
    return switch (algorithm.scheme()) {
      case RSA_PKCS1 -> Signature.getInstance(digest + "withRSA");
      case RSA_PSS -> {
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(
            new PSSParameterSpec(
                algorithm.digest(),
                "MGF1",
                new MGF1ParameterSpec(algorithm.digest()),
                algorithm.digestLength(),
                1));
        yield pss;
      }
      case ECDSA -> Signature.getInstance(digest + "withECDSA");
      case ED25519 -> Signature.getInstance("Ed25519");
      case ED25519_PH -> Signature.getInstance("Ed25519");
      case UNSUPPORTED -> throw new AssertionError(algorithm);
    };
  }

  private static void prehashIfPh(Signature jca, SigningAlgorithm algorithm) throws Exception {
    if (algorithm == SigningAlgorithm.ED25519_PH_SHA_512) {
      jca.setParameter(new EdDSAParameterSpec(true));
    }
  }

  private static boolean pssVerify(KeyMaterial material, byte[] signature, int saltLength)
      throws Exception {
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(
        new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, saltLength, 1));
    pss.initVerify(exportedPublicKey(material));
    pss.update(MESSAGE);
    return pss.verify(signature);
  }
}

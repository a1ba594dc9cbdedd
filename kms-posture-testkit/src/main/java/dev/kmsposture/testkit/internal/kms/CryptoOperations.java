package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.testkit.internal.kms.crypto.AwsValidation;
import dev.kmsposture.testkit.internal.kms.crypto.CiphertextBlob;
import dev.kmsposture.testkit.internal.kms.crypto.DataKeyPairSpec;
import dev.kmsposture.testkit.internal.kms.crypto.DataKeyPairs;
import dev.kmsposture.testkit.internal.kms.crypto.DataKeySpec;
import dev.kmsposture.testkit.internal.kms.crypto.DataKeys;
import dev.kmsposture.testkit.internal.kms.crypto.EncryptionAlgorithm;
import dev.kmsposture.testkit.internal.kms.crypto.EncryptionContext;
import dev.kmsposture.testkit.internal.kms.crypto.Hmacs;
import dev.kmsposture.testkit.internal.kms.crypto.KeyAgreementAlgorithm;
import dev.kmsposture.testkit.internal.kms.crypto.KeyAgreements;
import dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial;
import dev.kmsposture.testkit.internal.kms.crypto.KmsCryptoException;
import dev.kmsposture.testkit.internal.kms.crypto.MacAlgorithm;
import dev.kmsposture.testkit.internal.kms.crypto.MessageType;
import dev.kmsposture.testkit.internal.kms.crypto.RsaEncryption;
import dev.kmsposture.testkit.internal.kms.crypto.Signatures;
import dev.kmsposture.testkit.internal.kms.crypto.SigningAlgorithm;
import dev.kmsposture.testkit.internal.kms.crypto.SymmetricEnvelope;
import dev.kmsposture.testkit.internal.kms.crypto.WireEnum;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.internal.wire.RepeatedText;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The cryptographic operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext),
 * GenerateDataKeyPair(WithoutPlaintext), GenerateRandom, Sign, Verify, GenerateMac, VerifyMac,
 * DeriveSharedSecret and GetPublicKey.
 *
 * <p>Each resolves the key, checks the caller's permission, the key state, the key usage and the
 * algorithm under the engine's lock and takes the material it needs; the cryptography itself (the
 * crypto package) runs outside the lock. A successful operation becomes the key's last usage
 * ({@code GetKeyLastUsage}), with this request's journal event id; a failed one (a signature or MAC
 * that does not verify included) does not.
 *
 * <p>Symmetric ciphertexts record the key ARN and the material id, so Decrypt finds the key without
 * a {@code KeyId}; in another Region it finds the related multi-Region key (same key id, shared
 * material), as AWS does. Old material is kept after rotation, so old ciphertexts decrypt.
 */
final class CryptoOperations {
  private static final List<String> ENCRYPTION_ALGORITHMS = names(EncryptionAlgorithm.values());
  private static final List<String> SIGNING_ALGORITHMS = names(SigningAlgorithm.values());
  private static final List<String> MESSAGE_TYPES = names(MessageType.values());
  // In the order of AWS's "Member must satisfy enum value set" message (recorded), not the model's.
  private static final List<String> MAC_ALGORITHMS =
      List.of("HMAC_SHA_384", "HMAC_SHA_256", "HMAC_SHA_224", "HMAC_SHA_512");
  private static final List<String> AGREEMENT_ALGORITHMS = names(KeyAgreementAlgorithm.values());
  private static final List<String> DATA_KEY_SPECS = names(DataKeySpec.values());
  private static final List<String> DATA_KEY_PAIR_SPECS = names(DataKeyPairSpec.values());
  private static final List<String> DRY_RUN_MODIFIERS = List.of("IGNORE_CIPHERTEXT");

  private final KmsState state;
  private final AccessControl access;
  private final KeySupport keys;
  // the key id, account and Region a ciphertext records repeat from Decrypt to Decrypt
  private final RepeatedText recordedParts = new RepeatedText();
  // key ARNs that ciphertexts recorded, read lately (see recordedArn); slots hold immutable values,
  // read and replaced whole without a lock (a racing thread at worst reads the ARN again)
  private static final int RECENT_ARNS = 16;
  private final @Nullable RecordedArn[] recentArns = new RecordedArn[RECENT_ARNS];
  // Decrypt's answer body around the plaintext, written once per key and material
  private final DecryptAnswer decryptAnswers = new DecryptAnswer();

  CryptoOperations(KmsState state, AccessControl access, KeySupport keys) {
    this.state = state;
    this.access = access;
    this.keys = keys;
  }

  void register(Map<String, Operation> ops) {
    ops.put("Encrypt", this::encrypt);
    ops.put("Decrypt", this::decrypt);
    ops.put("ReEncrypt", this::reEncrypt);
    ops.put("GenerateDataKey", c -> generateDataKey(c, true));
    ops.put("GenerateDataKeyWithoutPlaintext", c -> generateDataKey(c, false));
    ops.put("GenerateDataKeyPair", c -> generateDataKeyPair(c, true));
    ops.put("GenerateDataKeyPairWithoutPlaintext", c -> generateDataKeyPair(c, false));
    ops.put("GenerateRandom", this::generateRandom);
    ops.put("Sign", this::sign);
    ops.put("Verify", this::verify);
    ops.put("GenerateMac", c -> mac(c, false));
    ops.put("VerifyMac", c -> mac(c, true));
    ops.put("DeriveSharedSecret", this::deriveSharedSecret);
    ops.put("GetPublicKey", this::getPublicKey);
  }

  private static <E extends Enum<E> & WireEnum> List<String> names(E[] values) {
    return Arrays.stream(values).map(WireEnum::wireName).toList();
  }

  private static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String value) {
    return AwsValidation.findEnum(type, value)
        .orElseThrow(() -> new IllegalStateException("validated value [" + value + "] unknown"));
  }

  // ---- the pieces every operation shares ----

  /** Runs the crypto package, answering its refusals as AWS does. */
  private static <T> T crypto(Supplier<T> work) {
    try {
      return work.get();
    } catch (KmsCryptoException e) {
      throw e.toAwsServiceError();
    }
  }

  /** Condition context of an encryption context (kms:EncryptionContext:*, …Keys). */
  private Map<String, List<String>> contextOf(
      KmsCall c, String keyIdParam, KmsKey key, Map<String, String> encryptionContext) {
    if (!access.enforcing()) {
      return Map.of(); // nothing reads it
    }
    Map<String, List<String>> ctx = keys.context(c, keyIdParam, key);
    encryptionContext.forEach((k, v) -> ctx.put("kms:EncryptionContext:" + k, List.of(v)));
    ctx.put("kms:EncryptionContextKeys", List.copyOf(encryptionContext.keySet()));
    return ctx;
  }

  private void requireUsage(KmsKey key, String usage, String operation) {
    if (!key.usage().equals(usage)) {
      throw KmsErrors.invalidKeyUsage(key.arn, key.usage(), operation);
    }
  }

  private void requireSymmetric(KmsKey key, String operation) {
    requireUsage(key, "ENCRYPT_DECRYPT", operation);
    if (!KeySpecs.isSymmetric(key.spec())) {
      throw KmsErrors.invalidKeyUsage(
          key.arn + " key spec is " + key.spec() + " which is not valid for " + operation + ".");
    }
  }

  private void requireAllowed(KmsKey key, String algorithm, String operation) {
    dev.kmsposture.testkit.internal.kms.crypto.KeySpec spec = cryptoSpec(key);
    crypto(
        () -> {
          switch (operation) {
            case "encryption" -> spec.requireAllowed(parse(EncryptionAlgorithm.class, algorithm));
            case "signing" -> spec.requireAllowed(parse(SigningAlgorithm.class, algorithm));
            case "mac" -> spec.requireAllowed(parse(MacAlgorithm.class, algorithm));
            default -> spec.requireAllowed(parse(KeyAgreementAlgorithm.class, algorithm));
          }
          return null;
        });
  }

  static dev.kmsposture.testkit.internal.kms.crypto.KeySpec cryptoSpec(KmsKey key) {
    return cryptoSpecOf(key.spec());
  }

  static dev.kmsposture.testkit.internal.kms.crypto.KeySpec cryptoSpecOf(String spec) {
    return parse(dev.kmsposture.testkit.internal.kms.crypto.KeySpec.class, spec);
  }

  /** The current material of a key that is usable (state already checked). */
  private static MaterialVersion current(KmsKey key) {
    MaterialVersion v = key.shared.current();
    if (v == null || !key.hasMaterial()) {
      throw KmsErrors.pendingImport(key.arn);
    }
    return v;
  }

  private static void recordUsage(KmsCall c, KmsKey key) {
    LastUsage usage = new LastUsage(c.operation(), c.now(), c.eventId, c.call.requestId());
    key.lastUsage.accumulateAndGet(
        usage, (old, now) -> old == null || !now.timestamp().isBefore(old.timestamp()) ? now : old);
  }

  /**
   * Refuses a {@code Recipient} (a structure: anything else is a SerializationException, as for
   * every member). Only the operations whose model has the member call this: the WithoutPlaintext
   * variants have none, and AWS ignores members a request's shape does not have.
   */
  private void checkRecipient(Request in) {
    if (in.object("Recipient") != null) {
      throw KmsErrors.unsupported(
          "Recipient (an AWS Nitro Enclaves attestation document) is not supported by the"
              + " embedded KMS.");
    }
  }

  /** What a cryptographic call on one key took from the state under the lock. */
  private record Prepared(KmsKey key, KeyMaterial material, String materialId) {}

  private Prepared prepare(
      KmsCall c,
      String keyIdParam,
      KmsAction action,
      Map<String, String> encryptionContext,
      boolean dryRun,
      java.util.function.Consumer<KmsKey> checks) {
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, keyIdParam, KmsState.Naming.KEY_OR_ALIAS, true);
          access.authorize(c, action, key, contextOf(c, keyIdParam, key, encryptionContext));
          KeyStates.require(key, KeyStates.Use.CRYPTO, state.config.pendingDeletionErrorCode());
          checks.accept(key);
          MaterialVersion v = current(key);
          if (dryRun) {
            throw KmsErrors.dryRun();
          }
          return new Prepared(key, v.material(), v.materialId());
        });
  }

  private @Nullable String keyIdParam(Request in) {
    String keyId = Support.keyIdParam(in);
    Support.checkGrantTokens(state, in);
    return keyId;
  }

  // ---- DryRun without a ciphertext (Decrypt, ReEncrypt) ----

  /**
   * Whether the request is a dry run with DryRunModifiers {@code IGNORE_CIPHERTEXT}, for which the
   * API reference makes CiphertextBlob optional. Read before the members are checked (the modifier
   * list itself is checked in its model position), so it records no problem.
   */
  private static boolean ignoresCiphertext(Request in) {
    return in.bool("DryRun") && in.stringList("DryRunModifiers").contains("IGNORE_CIPHERTEXT");
  }

  /**
   * A dry run that ignores the ciphertext: KMS checks the caller's permission on the key that
   * {@code keyIdMember} names (and for ReEncrypt on the destination key) and answers
   * DryRunOperationException; without a ciphertext to read the key from, the key id is required.
   */
  private AwsServiceError authorizedDryRun(
      KmsCall c,
      @Nullable String keyIdParam,
      String keyIdMember,
      KmsAction action,
      Map<String, String> ec,
      @Nullable String destinationParam,
      Map<String, String> destinationEc) {
    if (keyIdParam == null) {
      return KmsErrors.validation(
          keyIdMember + " is required when DryRunModifiers includes IGNORE_CIPHERTEXT.");
    }
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, keyIdParam, KmsState.Naming.KEY_OR_ALIAS, true);
          access.authorize(c, action, key, contextOf(c, keyIdParam, key, ec));
          if (destinationParam != null) {
            KmsKey d = state.resolve(c, destinationParam, KmsState.Naming.KEY_OR_ALIAS, true);
            access.authorize(
                c, KmsAction.RE_ENCRYPT_TO, d, contextOf(c, destinationParam, d, destinationEc));
          }
          return KmsErrors.dryRun();
        });
  }

  // ---- Encrypt ----

  private JsonNode encrypt(KmsCall c) {
    Request in = c.in;
    String keyId = keyIdParam(in);
    byte[] plaintext = in.requiredBlob("Plaintext", 1, SymmetricEnvelope.MAX_PLAINTEXT);
    Map<String, String> ec = in.stringMap("EncryptionContext");
    String algorithm = in.optionalEnum("EncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
    boolean dryRun = in.bool("DryRun");
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);
    String alg = algorithm == null ? "SYMMETRIC_DEFAULT" : algorithm;
    Prepared p =
        prepare(
            c,
            Objects.requireNonNull(keyId),
            KmsAction.ENCRYPT,
            ec,
            false,
            key -> {
              requireUsage(key, "ENCRYPT_DECRYPT", "Encrypt");
              requireAllowed(key, alg, "encryption");
              requireNoContextUnlessSymmetric(key, ec);
            });
    // a dry run checks what the encryption checks (an RSA plaintext's size) and keeps nothing
    byte[] blob = encryptWith(p, alg, Objects.requireNonNull(plaintext), ec);
    if (dryRun) {
      throw KmsErrors.dryRun();
    }
    recordUsage(c, p.key());
    ObjectNode out = Json.object();
    out.put("CiphertextBlob", Json.base64(blob));
    out.put("KeyId", p.key().arn);
    out.put("EncryptionAlgorithm", alg);
    return out;
  }

  private static void requireNoContextUnlessSymmetric(KmsKey key, Map<String, String> ec) {
    if (!ec.isEmpty() && !KeySpecs.isSymmetric(key.spec())) {
      throw KmsErrors.validation(
          "EncryptionContext is supported only for symmetric encryption KMS keys; "
              + key.arn
              + " has key spec "
              + key.spec()
              + ".");
    }
  }

  private static byte[] encryptWith(
      Prepared p, String algorithm, byte[] plaintext, Map<String, String> ec) {
    return crypto(
        () ->
            algorithm.equals("SYMMETRIC_DEFAULT")
                ? SymmetricEnvelope.encrypt(
                    p.material(), p.key().arn, plaintext, EncryptionContext.of(ec))
                : RsaEncryption.encrypt(
                    p.material(), parse(EncryptionAlgorithm.class, algorithm), plaintext));
  }

  // ---- Decrypt ----

  /** The key and material a ciphertext needs, taken under the lock. */
  private record Source(
      KmsKey key,
      KeyMaterial material,
      String materialId,
      String algorithm,
      @Nullable CiphertextBlob parsed) {}

  /**
   * Works out which key decrypts {@code blob}: for a symmetric blob, the key it records (in this
   * Region: the related multi-Region key), which must be the request's {@code KeyId} when one is
   * given; for an asymmetric algorithm, the request's {@code KeyId}. Must run under the lock.
   */
  private Source source(
      KmsCall c,
      byte[] blob,
      @Nullable String keyIdParam,
      String algorithm,
      Map<String, String> ec,
      KmsAction action,
      String operation,
      String keyIdMember) {
    KmsKey requested =
        keyIdParam == null
            ? null
            : state.resolve(c, keyIdParam, KmsState.Naming.KEY_OR_ALIAS, true);
    if (algorithm.equals("SYMMETRIC_DEFAULT")) {
      CiphertextBlob parsed = parseBlob(blob);
      KmsKey recorded = recordedKey(c, parsed.keyId());
      if (recorded == null) {
        if (requested != null) {
          throw KmsErrors.incorrectKey();
        }
        throw KmsErrors.invalidCiphertext();
      }
      if (requested != null && requested != recorded) {
        throw KmsErrors.incorrectKey();
      }
      c.touched(recorded);
      access.authorize(
          c,
          action,
          recorded,
          contextOf(c, keyIdParam == null ? recorded.arn : keyIdParam, recorded, ec));
      KeyStates.require(recorded, KeyStates.Use.CRYPTO, state.config.pendingDeletionErrorCode());
      requireUsage(recorded, "ENCRYPT_DECRYPT", operation);
      if (!KeySpecs.isSymmetric(recorded.spec())) {
        throw KmsErrors.incorrectKey();
      }
      if (!recorded.hasMaterial()) {
        throw KmsErrors.pendingImport(recorded.arn);
      }
      MaterialVersion v = recorded.shared.version(parsed.keyMaterialId().value());
      if (v == null) {
        throw KmsErrors.invalidCiphertext();
      }
      return new Source(recorded, v.material(), v.materialId(), algorithm, parsed);
    }
    if (requested == null) {
      throw KmsErrors.validation(
          keyIdMember + " is required to decrypt with the asymmetric algorithm " + algorithm + ".");
    }
    access.authorize(
        c,
        action,
        requested,
        contextOf(c, keyIdParam == null ? requested.arn : keyIdParam, requested, ec));
    KeyStates.require(requested, KeyStates.Use.CRYPTO, state.config.pendingDeletionErrorCode());
    requireUsage(requested, "ENCRYPT_DECRYPT", operation);
    requireAllowed(requested, algorithm, "encryption");
    requireNoContextUnlessSymmetric(requested, ec);
    MaterialVersion v = current(requested);
    return new Source(requested, v.material(), v.materialId(), algorithm, null);
  }

  private static CiphertextBlob parseBlob(byte[] blob) {
    if (!CiphertextBlob.looksLikeSymmetricBlob(blob)) {
      throw KmsErrors.invalidCiphertext();
    }
    // the blob was decoded from this request alone and is not changed: no copy
    return crypto(() -> CiphertextBlob.parseOwned(blob));
  }

  /** The parts of a key ARN that a ciphertext records. */
  private record RecordedArn(String arn, String keyId, String account, String region) {}

  /**
   * The parts of {@code recorded} ({@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID}), or null when
   * it is no key ARN. The ARNs read lately are remembered whole: every Decrypt under a key reads
   * the same one (the blob hands out one shared string for it, see CiphertextBlob), so one
   * comparison replaces the reading.
   */
  private @Nullable RecordedArn recordedArn(String recorded) {
    int slot = recorded.hashCode() & (RECENT_ARNS - 1);
    RecordedArn known = recentArns[slot];
    if (known != null && known.arn().equals(recorded)) {
      return known;
    }
    // read without String.split
    int[] colons = new int[5];
    int from = 0;
    for (int i = 0; i < 5; i++) {
      int at = recorded.indexOf(':', from);
      if (at < 0) {
        return null;
      }
      colons[i] = at;
      from = at + 1;
    }
    if (!recorded.startsWith("key/", colons[4] + 1)) {
      return null;
    }
    RecordedArn parts =
        new RecordedArn(
            recorded,
            recordedParts.of(recorded, colons[4] + 5, recorded.length()),
            recordedParts.of(recorded, colons[3] + 1, colons[4]),
            recordedParts.of(recorded, colons[2] + 1, colons[3]));
    recentArns[slot] = parts;
    return parts;
  }

  /** The key a symmetric blob records (a key ARN), looked up in the request's Region. */
  private @Nullable KmsKey recordedKey(KmsCall c, String recorded) {
    RecordedArn parts = recordedArn(recorded);
    if (parts == null) {
      return null;
    }
    Realm realm = state.realmIfPresent(parts.account(), c.region());
    KmsKey key = realm == null ? null : realm.keys().get(parts.keyId());
    if (key == null) {
      return null;
    }
    // A single-Region key's ciphertext decrypts only in its own Region; a multi-Region key's in
    // every Region of its set.
    if (!key.shared.multiRegion && !parts.region().equals(c.region())) {
      return null;
    }
    return key;
  }

  private static byte[] decryptWith(Source s, byte[] blob, Map<String, String> ec) {
    CiphertextBlob parsed = s.parsed();
    return crypto(
        () ->
            parsed != null
                ? SymmetricEnvelope.decrypt(parsed, s.material(), EncryptionContext.of(ec))
                : RsaEncryption.decrypt(
                    s.material(), parse(EncryptionAlgorithm.class, s.algorithm()), blob));
  }

  private JsonNode decrypt(KmsCall c) {
    Request in = c.in;
    boolean ignoreCiphertext = ignoresCiphertext(in);
    byte[] blob =
        ignoreCiphertext
            ? in.optionalBlob("CiphertextBlob", 1, 6144)
            : in.requiredBlob("CiphertextBlob", 1, 6144);
    Map<String, String> ec = in.stringMap("EncryptionContext");
    Support.checkGrantTokens(state, in);
    String keyId = in.optionalString("KeyId", 1, 2048);
    String algorithm = in.optionalEnum("EncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
    boolean dryRun = in.bool("DryRun");
    in.enumList("DryRunModifiers", DRY_RUN_MODIFIERS);
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);
    checkRecipient(in);
    if (ignoreCiphertext) {
      throw authorizedDryRun(c, keyId, "KeyId", KmsAction.DECRYPT, ec, null, Map.of());
    }
    String alg = algorithm == null ? "SYMMETRIC_DEFAULT" : algorithm;
    byte[] ciphertext = Objects.requireNonNull(blob);
    Source s =
        state.locked(
            c,
            () -> {
              Source found =
                  source(c, ciphertext, keyId, alg, ec, KmsAction.DECRYPT, "Decrypt", "KeyId");
              return found;
            });
    byte[] plaintext = decryptWith(s, ciphertext, ec);
    if (dryRun) {
      // without IGNORE_CIPHERTEXT a dry run validates the ciphertext too (API reference)
      Arrays.fill(plaintext, (byte) 0);
      throw KmsErrors.dryRun();
    }
    recordUsage(c, s.key());
    if (alg.equals("SYMMETRIC_DEFAULT")) {
      return decryptAnswers.answer(s.key().arn, plaintext, s.materialId());
    }
    ObjectNode out = Json.object();
    out.put("KeyId", s.key().arn);
    out.put("Plaintext", Json.base64(plaintext));
    out.put("EncryptionAlgorithm", alg);
    return out;
  }

  // ---- ReEncrypt ----

  private JsonNode reEncrypt(KmsCall c) {
    Request in = c.in;
    boolean ignoreCiphertext = ignoresCiphertext(in);
    byte[] blob =
        ignoreCiphertext
            ? in.optionalBlob("CiphertextBlob", 1, 6144)
            : in.requiredBlob("CiphertextBlob", 1, 6144);
    Map<String, String> sourceEc = in.stringMap("SourceEncryptionContext");
    String sourceKeyId = in.optionalString("SourceKeyId", 1, 2048);
    String destinationKeyId = in.requiredString("DestinationKeyId", 1, 2048);
    Map<String, String> destinationEc = in.stringMap("DestinationEncryptionContext");
    String sourceAlg = in.optionalEnum("SourceEncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
    String destinationAlg =
        in.optionalEnum("DestinationEncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
    Support.checkGrantTokens(state, in);
    boolean dryRun = in.bool("DryRun");
    in.enumList("DryRunModifiers", DRY_RUN_MODIFIERS);
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);
    if (ignoreCiphertext) {
      throw authorizedDryRun(
          c,
          sourceKeyId,
          "SourceKeyId",
          KmsAction.RE_ENCRYPT_FROM,
          sourceEc,
          destinationKeyId,
          destinationEc);
    }
    String srcAlg = sourceAlg == null ? "SYMMETRIC_DEFAULT" : sourceAlg;
    String dstAlg = destinationAlg == null ? "SYMMETRIC_DEFAULT" : destinationAlg;
    String destinationParam = Objects.requireNonNull(destinationKeyId);
    byte[] ciphertext = Objects.requireNonNull(blob);
    record Plan(Source source, Prepared destination) {}
    Plan plan =
        state.locked(
            c,
            () -> {
              Source s =
                  source(
                      c,
                      ciphertext,
                      sourceKeyId,
                      srcAlg,
                      sourceEc,
                      KmsAction.RE_ENCRYPT_FROM,
                      "ReEncrypt",
                      "SourceKeyId");
              KmsKey d = state.resolve(c, destinationParam, KmsState.Naming.KEY_OR_ALIAS, true);
              access.authorize(
                  c, KmsAction.RE_ENCRYPT_TO, d, contextOf(c, destinationParam, d, destinationEc));
              KeyStates.require(d, KeyStates.Use.CRYPTO, state.config.pendingDeletionErrorCode());
              requireUsage(d, "ENCRYPT_DECRYPT", "ReEncrypt");
              requireAllowed(d, dstAlg, "encryption");
              requireNoContextUnlessSymmetric(d, destinationEc);
              MaterialVersion v = current(d);
              return new Plan(s, new Prepared(d, v.material(), v.materialId()));
            });
    byte[] plaintext = decryptWith(plan.source(), ciphertext, sourceEc);
    byte[] result;
    try {
      result = encryptWith(plan.destination(), dstAlg, plaintext, destinationEc);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
    if (dryRun) {
      throw KmsErrors.dryRun();
    }
    // GetKeyLastUsage: ReEncrypt counts as a use of both keys.
    recordUsage(c, plan.source().key());
    recordUsage(c, plan.destination().key());
    ObjectNode out = Json.object();
    out.put("CiphertextBlob", Json.base64(result));
    out.put("SourceKeyId", plan.source().key().arn);
    out.put("KeyId", plan.destination().key().arn);
    out.put("SourceEncryptionAlgorithm", srcAlg);
    out.put("DestinationEncryptionAlgorithm", dstAlg);
    if (srcAlg.equals("SYMMETRIC_DEFAULT")) {
      out.put("SourceKeyMaterialId", plan.source().materialId());
    }
    if (dstAlg.equals("SYMMETRIC_DEFAULT")) {
      out.put("DestinationKeyMaterialId", plan.destination().materialId());
    }
    return out;
  }

  // ---- GenerateDataKey(WithoutPlaintext) ----

  private JsonNode generateDataKey(KmsCall c, boolean withPlaintext) {
    Request in = c.in;
    String keyId = keyIdParam(in);
    Map<String, String> ec = in.stringMap("EncryptionContext");
    Integer numberOfBytes = in.optionalInt("NumberOfBytes", 1, DataKeys.MAX_NUMBER_OF_BYTES);
    String keySpec = in.optionalEnum("KeySpec", DATA_KEY_SPECS);
    boolean dryRun = in.bool("DryRun");
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);
    if (withPlaintext) {
      checkRecipient(in);
    }
    int length =
        crypto(
            () ->
                DataKeys.length(
                    keySpec == null
                        ? Optional.empty()
                        : Optional.of(parse(DataKeySpec.class, keySpec)),
                    numberOfBytes == null ? OptionalInt.empty() : OptionalInt.of(numberOfBytes)));
    String operation = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
    Prepared p =
        prepare(
            c,
            Objects.requireNonNull(keyId),
            withPlaintext
                ? KmsAction.GENERATE_DATA_KEY
                : KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
            ec,
            dryRun,
            key -> requireSymmetric(key, operation));
    ObjectNode out = Json.object();
    if (withPlaintext) {
      DataKeys.DataKey dataKey =
          crypto(
              () -> DataKeys.generate(p.material(), p.key().arn, length, EncryptionContext.of(ec)));
      out.put("CiphertextBlob", Json.base64(dataKey.ciphertextBlob()));
      out.put("Plaintext", Json.base64(dataKey.plaintext()));
    } else {
      out.put(
          "CiphertextBlob",
          Json.base64(
              crypto(
                  () ->
                      DataKeys.generateWithoutPlaintext(
                          p.material(), p.key().arn, length, EncryptionContext.of(ec)))));
    }
    recordUsage(c, p.key());
    out.put("KeyId", p.key().arn);
    out.put("KeyMaterialId", p.materialId());
    return out;
  }

  // ---- GenerateDataKeyPair(WithoutPlaintext) ----

  private JsonNode generateDataKeyPair(KmsCall c, boolean withPlaintext) {
    Request in = c.in;
    Map<String, String> ec = in.stringMap("EncryptionContext");
    String keyId = keyIdParam(in);
    String pairSpec = in.requiredEnum("KeyPairSpec", DATA_KEY_PAIR_SPECS);
    boolean dryRun = in.bool("DryRun");
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);
    if (withPlaintext) {
      checkRecipient(in);
    }
    DataKeyPairSpec spec = parse(DataKeyPairSpec.class, Objects.requireNonNull(pairSpec));
    String operation =
        withPlaintext ? "GenerateDataKeyPair" : "GenerateDataKeyPairWithoutPlaintext";
    Prepared p =
        prepare(
            c,
            Objects.requireNonNull(keyId),
            withPlaintext
                ? KmsAction.GENERATE_DATA_KEY_PAIR
                : KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT,
            ec,
            dryRun,
            key -> requireSymmetric(key, operation));
    DataKeyPairs.DataKeyPair pair =
        crypto(
            () -> DataKeyPairs.generate(spec, p.material(), p.key().arn, EncryptionContext.of(ec)));
    recordUsage(c, p.key());
    ObjectNode out = Json.object();
    out.put("PrivateKeyCiphertextBlob", Json.base64(pair.privateKeyCiphertextBlob()));
    if (withPlaintext) {
      out.put("PrivateKeyPlaintext", Json.base64(pair.privateKeyPlaintext()));
    }
    out.put("PublicKey", Json.base64(pair.publicKey()));
    out.put("KeyId", p.key().arn);
    out.put("KeyPairSpec", spec.wireName());
    out.put("KeyMaterialId", p.materialId());
    return out;
  }

  // ---- GenerateRandom ----

  private JsonNode generateRandom(KmsCall c) {
    Request in = c.in;
    if (!in.has("NumberOfBytes")) {
      // Recorded from AWS.
      throw KmsErrors.validation("NumberOfBytes is required.");
    }
    Integer n = in.optionalInt("NumberOfBytes", 1, DataKeys.MAX_NUMBER_OF_BYTES);
    String store = in.optionalString("CustomKeyStoreId", 1, 64);
    in.throwIfInvalid();
    checkRecipient(in);
    if (store != null) {
      throw KmsErrors.customKeyStoreNotFound(store);
    }
    state.locked(
        c,
        () -> {
          access.authorizeIam(c, KmsAction.GENERATE_RANDOM, "*", Map.of());
          return null;
        });
    byte[] random = crypto(() -> DataKeys.generateRandom(Objects.requireNonNull(n)));
    ObjectNode out = Json.object();
    out.put("Plaintext", Json.base64(random));
    return out;
  }

  // ---- Sign / Verify ----

  private JsonNode sign(KmsCall c) {
    return signOrVerify(c, false);
  }

  private JsonNode verify(KmsCall c) {
    return signOrVerify(c, true);
  }

  private JsonNode signOrVerify(KmsCall c, boolean verify) {
    Request in = c.in;
    String keyId = keyIdParam(in);
    byte[] message = in.requiredBlob("Message", 1, 4096);
    String messageType = in.optionalEnum("MessageType", MESSAGE_TYPES);
    byte[] signature = verify ? in.requiredBlob("Signature", 1, 6144) : null;
    String algorithm = in.requiredEnum("SigningAlgorithm", SIGNING_ALGORITHMS);
    boolean dryRun = in.bool("DryRun");
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);
    String alg = Objects.requireNonNull(algorithm);
    String operation = verify ? "Verify" : "Sign";
    Prepared p =
        prepare(
            c,
            Objects.requireNonNull(keyId),
            verify ? KmsAction.VERIFY : KmsAction.SIGN,
            Map.of(),
            false,
            key -> {
              requireUsage(key, "SIGN_VERIFY", operation);
              requireAllowed(key, alg, "signing");
            });
    SigningAlgorithm signing = parse(SigningAlgorithm.class, alg);
    MessageType type = parse(MessageType.class, messageType == null ? "RAW" : messageType);
    byte[] msg = Objects.requireNonNull(message);
    if (dryRun) {
      // A dry run checks the parameters the signing checks (message type, digest length); it
      // neither signs nor judges the signature.
      byte[] sig = verify ? Objects.requireNonNull(signature) : new byte[0];
      crypto(
          () ->
              verify
                  ? Signatures.verify(p.material(), signing, type, msg, sig)
                  : Signatures.sign(p.material(), signing, type, msg));
      throw KmsErrors.dryRun();
    }
    ObjectNode out = Json.object();
    out.put("KeyId", p.key().arn);
    if (verify) {
      byte[] sig = Objects.requireNonNull(signature);
      crypto(
          () -> {
            Signatures.verifyOrThrow(p.material(), signing, type, msg, sig);
            return null;
          });
      out.put("SignatureValid", true);
    } else {
      out.put(
          "Signature",
          Json.base64(crypto(() -> Signatures.sign(p.material(), signing, type, msg))));
    }
    out.put("SigningAlgorithm", alg);
    recordUsage(c, p.key());
    return out;
  }

  // ---- GenerateMac / VerifyMac ----

  private JsonNode mac(KmsCall c, boolean verify) {
    Request in = c.in;
    byte[] message = in.requiredBlob("Message", 1, 4096);
    String keyId = keyIdParam(in);
    String algorithm = in.requiredEnum("MacAlgorithm", MAC_ALGORITHMS);
    byte[] mac = verify ? in.requiredBlob("Mac", 1, 6144) : null;
    boolean dryRun = in.bool("DryRun");
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);
    String alg = Objects.requireNonNull(algorithm);
    String operation = verify ? "VerifyMac" : "GenerateMac";
    Prepared p =
        prepare(
            c,
            Objects.requireNonNull(keyId),
            verify ? KmsAction.VERIFY_MAC : KmsAction.GENERATE_MAC,
            Map.of(),
            false,
            key -> {
              requireUsage(key, "GENERATE_VERIFY_MAC", operation);
              requireAllowed(key, alg, "mac");
            });
    MacAlgorithm macAlgorithm = parse(MacAlgorithm.class, alg);
    byte[] msg = Objects.requireNonNull(message);
    if (dryRun) {
      // a dry run checks what the MAC computation checks; it does not judge a MAC
      crypto(() -> Hmacs.generate(p.material(), macAlgorithm, msg));
      throw KmsErrors.dryRun();
    }
    ObjectNode out = Json.object();
    if (verify) {
      byte[] given = Objects.requireNonNull(mac);
      crypto(
          () -> {
            Hmacs.verifyOrThrow(p.material(), macAlgorithm, msg, given);
            return null;
          });
      out.put("KeyId", p.key().arn);
      out.put("MacValid", true);
    } else {
      out.put("Mac", Json.base64(crypto(() -> Hmacs.generate(p.material(), macAlgorithm, msg))));
      out.put("KeyId", p.key().arn);
    }
    out.put("MacAlgorithm", alg);
    recordUsage(c, p.key());
    return out;
  }

  // ---- DeriveSharedSecret ----

  private JsonNode deriveSharedSecret(KmsCall c) {
    Request in = c.in;
    String keyId = keyIdParam(in);
    String algorithm = in.requiredEnum("KeyAgreementAlgorithm", AGREEMENT_ALGORITHMS);
    byte[] publicKey = in.requiredBlob("PublicKey", 1, 8192);
    boolean dryRun = in.bool("DryRun");
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);
    checkRecipient(in);
    String alg = Objects.requireNonNull(algorithm);
    Prepared p =
        prepare(
            c,
            Objects.requireNonNull(keyId),
            KmsAction.DERIVE_SHARED_SECRET,
            Map.of(),
            false,
            key -> {
              requireUsage(key, "KEY_AGREEMENT", "DeriveSharedSecret");
              requireAllowed(key, alg, "agreement");
            });
    byte[] peer = Objects.requireNonNull(publicKey);
    byte[] secret =
        crypto(
            () ->
                KeyAgreements.deriveSharedSecret(
                    p.material(), parse(KeyAgreementAlgorithm.class, alg), peer));
    if (dryRun) {
      // a dry run checks the public key as the derivation does, and keeps nothing
      Arrays.fill(secret, (byte) 0);
      throw KmsErrors.dryRun();
    }
    recordUsage(c, p.key());
    ObjectNode out = Json.object();
    out.put("KeyId", p.key().arn);
    out.put("SharedSecret", Json.base64(secret));
    out.put("KeyAgreementAlgorithm", alg);
    out.put("KeyOrigin", p.key().origin());
    return out;
  }

  // ---- GetPublicKey ----

  private JsonNode getPublicKey(KmsCall c) {
    String keyId = keyIdParam(c.in);
    c.in.throwIfInvalid();
    Support.requireKnownTokens(state, c.in);
    Prepared p =
        prepare(
            c,
            Objects.requireNonNull(keyId),
            KmsAction.GET_PUBLIC_KEY,
            Map.of(),
            false,
            key -> {
              if (KeySpecs.isSymmetric(key.spec()) || KeySpecs.isHmac(key.spec())) {
                throw KmsErrors.unsupported(
                    key.arn
                        + " key spec is "
                        + key.spec()
                        + " which is not valid for this operation; GetPublicKey needs an"
                        + " asymmetric KMS key.");
              }
            });
    KmsKey key = p.key();
    ObjectNode out = Json.object();
    out.put("KeyId", key.arn);
    out.put("PublicKey", Json.base64(crypto(() -> p.material().publicKeyDer())));
    out.put("CustomerMasterKeySpec", key.spec());
    out.put("KeySpec", key.spec());
    out.put("KeyUsage", key.usage());
    List<String> enc = KeySpecs.encryptionAlgorithms(key.spec(), key.usage());
    List<String> sig = KeySpecs.signingAlgorithms(key.spec(), key.usage());
    List<String> agr = KeySpecs.keyAgreementAlgorithms(key.usage());
    if (!enc.isEmpty()) {
      out.set("EncryptionAlgorithms", Json.strings(enc));
    }
    if (!sig.isEmpty()) {
      out.set("SigningAlgorithms", Json.strings(sig));
    }
    if (!agr.isEmpty()) {
      out.set("KeyAgreementAlgorithms", Json.strings(agr));
    }
    return out;
  }
}

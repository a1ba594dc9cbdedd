package dev.kmsposture.testkit.kms;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Request quotas the embedded KMS enforces, like AWS KMS: a token bucket per (account, Region,
 * quota), refilled at the quota's rate on the emulator's clock; a request that finds its bucket
 * empty is throttled ({@code ThrottlingException}, HTTP 400). Off by default ({@link #none()});
 * switch them on with {@link #defaults()} or limits of your own.
 *
 * <p>Quotas are named as AWS Service Quotas names them: one per management operation ({@code
 * "CreateKey request rate"}, see {@link #operationQuota(String)}), and shared quotas for
 * cryptographic operations per key type ({@link #SYMMETRIC_CRYPTOGRAPHY}, {@link
 * #RSA_CRYPTOGRAPHY}, {@link #ECC_CRYPTOGRAPHY}, {@link #ML_DSA_CRYPTOGRAPHY}) and for {@code
 * GenerateDataKeyPair} per key pair spec ({@code "GenerateDataKeyPair (RSA_2048) request rate"}).
 * As in AWS, cross-account requests count against the caller's account; {@code ReplicateKey} also
 * takes two {@code CreateKey} requests in the replica Region, {@code UpdatePrimaryRegion} one
 * request in each Region. A bucket holds at most one second of requests (at least one request), so
 * {@code 0.25} allows one request every four seconds.
 *
 * <pre>{@code
 * LocalKms kms = LocalKms.builder()
 *     .clock(fakeClock)
 *     .requestQuotas(RequestQuotas.defaults().withLimit("CreateKey request rate", 1))
 *     .build();
 * }</pre>
 *
 * <p>Immutable.
 */
public final class RequestQuotas {
  /** The shared quota of cryptographic operations with symmetric (and HMAC) keys. */
  public static final String SYMMETRIC_CRYPTOGRAPHY =
      "Cryptographic operations (symmetric) request rate";

  /** The shared quota of cryptographic operations with RSA keys. */
  public static final String RSA_CRYPTOGRAPHY = "Cryptographic operations (RSA) request rate";

  /** The shared quota of cryptographic operations with ECC and SM2 keys. */
  public static final String ECC_CRYPTOGRAPHY = "Cryptographic operations (ECC) request rate";

  /** The shared quota of cryptographic operations with ML-DSA keys. */
  public static final String ML_DSA_CRYPTOGRAPHY = "Cryptographic operations (ML-DSA) request rate";

  private static final RequestQuotas NONE = new RequestQuotas(Map.of(), Map.of());

  private final Map<String, Double> limits;
  private final Map<String, Map<String, Double>> regional;

  private RequestQuotas(Map<String, Double> limits, Map<String, Map<String, Double>> regional) {
    this.limits = Collections.unmodifiableMap(new TreeMap<>(limits));
    Map<String, Map<String, Double>> copy = new TreeMap<>();
    regional.forEach((quota, byRegion) -> copy.put(quota, Map.copyOf(byRegion)));
    this.regional = Collections.unmodifiableMap(copy);
  }

  /** No quotas: nothing is throttled (the default). */
  public static RequestQuotas none() {
    return NONE;
  }

  /**
   * The default quotas of AWS KMS (and CloudTrail's {@code LookupEvents}, two per second): the
   * values of the KMS Developer Guide's request-quota table, as of its current text where it
   * differs from the 2023 table. Symmetric cryptography takes the lowest regional default, 10,000
   * per second, in every Region; raise it per Region with {@link #withLimit(String, String,
   * double)}.
   */
  public static RequestQuotas defaults() {
    Map<String, Double> limits = new LinkedHashMap<>();
    // KMS Developer Guide "Request quotas" (2023 table), with the current text's values for
    // RetireGrant, RevokeGrant, ImportKeyMaterial, DeleteImportedKeyMaterial,
    // GetParametersForImport, GetKeyLastUsage, ListKeyRotations and RotateKeyOnDemand, and its
    // per-key-type cryptographic quotas (symmetric incl. HMAC, RSA, ECC and SM2, ML-DSA).
    // Source: ../shared/reference/kms-facts.md, "Quotas that bound scan and provisioning speed".
    operation(limits, "DescribeKey", 2000);
    operation(limits, "ListResourceTags", 2000);
    operation(limits, "GetPublicKey", 2000);
    operation(limits, "GetKeyPolicy", 1000);
    operation(limits, "GetKeyRotationStatus", 1000);
    operation(limits, "ListKeys", 500);
    operation(limits, "ListAliases", 500);
    operation(limits, "ListGrants", 100);
    operation(limits, "ListKeyPolicies", 100);
    operation(limits, "ListRetirableGrants", 100);
    operation(limits, "ListKeyRotations", 100);
    operation(limits, "CreateGrant", 50);
    operation(limits, "RetireGrant", 50);
    operation(limits, "RevokeGrant", 50);
    operation(limits, "PutKeyPolicy", 15);
    operation(limits, "ScheduleKeyDeletion", 15);
    operation(limits, "EnableKeyRotation", 15);
    operation(limits, "DeleteAlias", 15);
    operation(limits, "ImportKeyMaterial", 15);
    operation(limits, "DeleteImportedKeyMaterial", 15);
    operation(limits, "TagResource", 10);
    operation(limits, "CreateKey", 5);
    operation(limits, "CreateAlias", 5);
    operation(limits, "UpdateAlias", 5);
    operation(limits, "CancelKeyDeletion", 5);
    operation(limits, "DisableKey", 5);
    operation(limits, "EnableKey", 5);
    operation(limits, "DisableKeyRotation", 5);
    operation(limits, "UntagResource", 5);
    operation(limits, "UpdateKeyDescription", 5);
    operation(limits, "ReplicateKey", 5);
    operation(limits, "UpdatePrimaryRegion", 5);
    operation(limits, "RotateKeyOnDemand", 5);
    operation(limits, "GetKeyLastUsage", 5);
    operation(limits, "GetParametersForImport", 1);
    limits.put(SYMMETRIC_CRYPTOGRAPHY, 10_000.0);
    limits.put(RSA_CRYPTOGRAPHY, 1_000.0);
    limits.put(ECC_CRYPTOGRAPHY, 1_000.0);
    limits.put(ML_DSA_CRYPTOGRAPHY, 1_000.0);
    // GenerateDataKeyPair quotas per data key pair spec: KMS Developer Guide "Request quotas"
    // table (GenerateDataKeyPair (<spec>) request rate). Not in the 2023 extract; AWS text.
    limits.put(dataKeyPairQuota("RSA_2048"), 1.0);
    limits.put(dataKeyPairQuota("RSA_3072"), 0.5);
    limits.put(dataKeyPairQuota("RSA_4096"), 0.1);
    limits.put(dataKeyPairQuota("ECC_NIST_P256"), 25.0);
    limits.put(dataKeyPairQuota("ECC_NIST_P384"), 10.0);
    limits.put(dataKeyPairQuota("ECC_NIST_P521"), 5.0);
    limits.put(dataKeyPairQuota("ECC_SECG_P256K1"), 25.0);
    // CloudTrail LookupEvents: "limited to two per second, per account, per Region" (CloudTrail
    // API Reference, LookupEvents).
    operation(limits, "LookupEvents", 2);
    return new RequestQuotas(limits, Map.of());
  }

  private static void operation(Map<String, Double> limits, String operation, double rate) {
    limits.put(operationQuota(operation), rate);
  }

  /** The name of an operation's own quota: {@code "<Operation> request rate"}. */
  public static String operationQuota(String operation) {
    Objects.requireNonNull(operation, "operation");
    return operation + " request rate";
  }

  /** The name of a {@code GenerateDataKeyPair} quota: {@code "GenerateDataKeyPair (<spec>) …"}. */
  public static String dataKeyPairQuota(String keyPairSpec) {
    Objects.requireNonNull(keyPairSpec, "keyPairSpec");
    return "GenerateDataKeyPair (" + keyPairSpec + ") request rate";
  }

  /**
   * Returns these quotas with {@code quota} limited to {@code requestsPerSecond} in every Region.
   *
   * @throws IllegalArgumentException if the rate is not positive and finite or the name is blank
   */
  public RequestQuotas withLimit(String quota, double requestsPerSecond) {
    Map<String, Double> copy = new LinkedHashMap<>(limits);
    copy.put(requireName(quota), requireRate(quota, requestsPerSecond));
    return new RequestQuotas(copy, regional);
  }

  /**
   * Returns these quotas with {@code quota} limited to {@code requestsPerSecond} in {@code region}
   * (such as {@code us-east-1}), whatever its limit elsewhere.
   *
   * @throws IllegalArgumentException if the rate is not positive and finite or a name is blank
   */
  public RequestQuotas withLimit(String quota, String region, double requestsPerSecond) {
    Objects.requireNonNull(region, "region");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region [] is blank; use a Region such as us-east-1");
    }
    Map<String, Map<String, Double>> copy = new LinkedHashMap<>(regional);
    Map<String, Double> byRegion = new LinkedHashMap<>(copy.getOrDefault(quota, Map.of()));
    byRegion.put(region.toLowerCase(Locale.ROOT), requireRate(quota, requestsPerSecond));
    copy.put(requireName(quota), byRegion);
    return new RequestQuotas(limits, copy);
  }

  /** Returns these quotas without {@code quota} (in any Region): it is no longer enforced. */
  public RequestQuotas without(String quota) {
    Map<String, Double> copy = new LinkedHashMap<>(limits);
    copy.remove(quota);
    Map<String, Map<String, Double>> regionalCopy = new LinkedHashMap<>(regional);
    regionalCopy.remove(quota);
    return new RequestQuotas(copy, regionalCopy);
  }

  /** The limit of {@code quota} in {@code region}, in requests per second, or empty if none. */
  public OptionalDouble limit(String quota, String region) {
    Map<String, Double> byRegion = regional.get(quota);
    if (byRegion != null) {
      Double rate = byRegion.get(region.toLowerCase(Locale.ROOT));
      if (rate != null) {
        return OptionalDouble.of(rate);
      }
    }
    Double rate = limits.get(quota);
    return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate);
  }

  /** The Region-independent limits by quota name, in requests per second. */
  public Map<String, Double> limits() {
    return limits;
  }

  /** Whether any quota is enforced. */
  public boolean isEnabled() {
    return !limits.isEmpty() || !regional.isEmpty();
  }

  private static String requireName(String quota) {
    Objects.requireNonNull(quota, "quota");
    if (quota.isBlank()) {
      throw new IllegalArgumentException(
          "quota name [] is blank; use a name such as \"CreateKey request rate\"");
    }
    return quota;
  }

  private static double requireRate(String quota, double rate) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(
          String.format(
              "rate [%s] of quota [%s] is not a positive number of requests per second",
              rate, quota));
    }
    return rate;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RequestQuotas that
        && limits.equals(that.limits)
        && regional.equals(that.regional);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limits, regional);
  }

  @Override
  public String toString() {
    return "RequestQuotas" + limits + (regional.isEmpty() ? "" : " regional " + regional);
  }
}

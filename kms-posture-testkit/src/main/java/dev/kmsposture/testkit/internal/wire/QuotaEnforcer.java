package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.testkit.kms.RequestQuotas;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Enforces {@link RequestQuotas} with token buckets keyed by (service, account, Region, quota),
 * refilled on the emulator's clock. A request takes one token from every bucket it counts against,
 * all or none; if one is empty it is throttled.
 *
 * <p>Thread-safe.
 */
public final class QuotaEnforcer {
  /** Looks up the key spec of a KMS key, as the engine knows it. */
  @FunctionalInterface
  public interface KeySpecs {
    /**
     * The key spec (such as {@code SYMMETRIC_DEFAULT}) of the key that {@code keyId} (key id, key
     * ARN, alias name or alias ARN) names for a caller in {@code account} and {@code region}, or
     * empty if there is no such key.
     */
    Optional<String> keySpecOf(AccountId account, String region, String keyId);
  }

  // Which key types each cryptographic operation counts against (KMS Developer Guide, "Request
  // quotas": the "Applies to" lists of the shared cryptographic quotas).
  private static final Set<String> SYMMETRIC_OPERATIONS =
      Set.of(
          "Decrypt",
          "Encrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "GenerateMac",
          "GenerateRandom",
          "ReEncrypt",
          "VerifyMac");
  private static final Set<String> RSA_OPERATIONS =
      Set.of("Decrypt", "Encrypt", "ReEncrypt", "Sign", "Verify");
  private static final Set<String> ECC_OPERATIONS = Set.of("Sign", "Verify", "DeriveSharedSecret");
  private static final Set<String> ML_DSA_OPERATIONS = Set.of("Sign", "Verify");

  private static final String KMS_THROTTLING =
      "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.";

  private record BucketKey(String service, AccountId account, String region, String quota) {}

  private record Charge(BucketKey key, double rate, double tokens) {}

  private static final class TokenBucket {
    private final double rate;
    private final double capacity;
    private double tokens;
    private Instant refilledAt;

    TokenBucket(double rate, Instant now) {
      this.rate = rate;
      this.capacity = Math.max(1.0, rate);
      this.tokens = capacity;
      this.refilledAt = now;
    }

    void refill(Instant now) {
      if (now.isAfter(refilledAt)) {
        double seconds =
            (now.getEpochSecond() - refilledAt.getEpochSecond())
                + (now.getNano() - refilledAt.getNano()) / 1e9;
        tokens = Math.min(capacity, tokens + seconds * rate);
        refilledAt = now;
      }
    }
  }

  private final Clock clock;
  private final KeySpecs keySpecs;
  private final Map<BucketKey, TokenBucket> buckets = new HashMap<>();
  private volatile RequestQuotas quotas;

  /** Creates an enforcer of {@code quotas} on {@code clock}. */
  public QuotaEnforcer(Clock clock, KeySpecs keySpecs, RequestQuotas quotas) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.keySpecs = Objects.requireNonNull(keySpecs, "keySpecs");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
  }

  /** The quotas enforced now. */
  public RequestQuotas quotas() {
    return quotas;
  }

  /** Enforces {@code quotas} from now on, with full buckets. */
  public void quotas(RequestQuotas quotas) {
    Objects.requireNonNull(quotas, "quotas");
    synchronized (buckets) {
      this.quotas = quotas;
      buckets.clear();
    }
  }

  /**
   * Takes the tokens {@code call} needs, or throttles it.
   *
   * @throws AwsServiceError {@code ThrottlingException} when a bucket it counts against is empty
   */
  public void admit(AwsCall call) {
    RequestQuotas current = quotas;
    if (!current.isEnabled()
        || !(call.service().equals("kms") || call.service().equals("cloudtrail"))) {
      return;
    }
    List<Charge> charges = charges(current, call);
    if (charges.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    synchronized (buckets) {
      List<TokenBucket> taken = new ArrayList<>(charges.size());
      for (Charge charge : charges) {
        TokenBucket bucket =
            buckets.computeIfAbsent(charge.key(), key -> new TokenBucket(charge.rate(), now));
        bucket.refill(now);
        // a request never needs more than a full bucket (ReplicateKey's two CreateKey requests
        // against a CreateKey quota below 2 per second)
        if (bucket.tokens < Math.min(charge.tokens(), bucket.capacity)) {
          throw throttled(call.service());
        }
        taken.add(bucket);
      }
      for (int i = 0; i < taken.size(); i++) {
        TokenBucket bucket = taken.get(i);
        bucket.tokens -= Math.min(charges.get(i).tokens(), bucket.capacity);
      }
    }
  }

  private static AwsServiceError throttled(String service) {
    return AwsServiceError.client(
        "ThrottlingException", service.equals("kms") ? KMS_THROTTLING : "Rate exceeded");
  }

  private List<Charge> charges(RequestQuotas quotas, AwsCall call) {
    List<Charge> charges = new ArrayList<>();
    String operation = call.operation();
    AccountId account = call.caller().account();
    add(charges, quotas, call, RequestQuotas.operationQuota(operation), call.region(), 1);
    if (!call.service().equals("kms")) {
      return charges;
    }
    if (operation.equals("ReplicateKey")) {
      // one ReplicateKey in the primary Region plus two CreateKey in the replica Region
      text(call.input(), "ReplicaRegion")
          .ifPresent(
              replica ->
                  add(
                      charges,
                      quotas,
                      call,
                      RequestQuotas.operationQuota("CreateKey"),
                      replica,
                      2));
    } else if (operation.equals("UpdatePrimaryRegion")) {
      // counts as two requests, one in each Region
      text(call.input(), "PrimaryRegion")
          .ifPresent(
              primary ->
                  add(charges, quotas, call, RequestQuotas.operationQuota(operation), primary, 1));
    } else if (operation.equals("GenerateDataKeyPair")
        || operation.equals("GenerateDataKeyPairWithoutPlaintext")) {
      text(call.input(), "KeyPairSpec")
          .ifPresent(
              spec ->
                  add(
                      charges,
                      quotas,
                      call,
                      RequestQuotas.dataKeyPairQuota(spec),
                      call.region(),
                      1));
    } else if (operation.equals("GenerateRandom")) {
      add(charges, quotas, call, RequestQuotas.SYMMETRIC_CRYPTOGRAPHY, call.region(), 1);
    } else if (SYMMETRIC_OPERATIONS.contains(operation) || ECC_OPERATIONS.contains(operation)) {
      List<String> keyMembers =
          operation.equals("ReEncrypt")
              ? List.of("DestinationKeyId", "SourceKeyId")
              : List.of("KeyId");
      List<String> shared = new ArrayList<>();
      for (String member : keyMembers) {
        text(call.input(), member)
            .flatMap(keyId -> keySpecs.keySpecOf(account, call.region(), keyId))
            .flatMap(spec -> cryptographicQuota(spec, operation))
            .filter(quota -> !shared.contains(quota))
            .ifPresent(shared::add);
      }
      for (String quota : shared) {
        add(charges, quotas, call, quota, call.region(), 1);
      }
    }
    return charges;
  }

  /** The shared cryptographic quota that {@code operation} with a key of {@code spec} uses. */
  static Optional<String> cryptographicQuota(String spec, String operation) {
    if (spec.equals("SYMMETRIC_DEFAULT") || spec.startsWith("HMAC_")) {
      return SYMMETRIC_OPERATIONS.contains(operation)
          ? Optional.of(RequestQuotas.SYMMETRIC_CRYPTOGRAPHY)
          : Optional.empty();
    }
    if (spec.startsWith("RSA_")) {
      return RSA_OPERATIONS.contains(operation)
          ? Optional.of(RequestQuotas.RSA_CRYPTOGRAPHY)
          : Optional.empty();
    }
    if (spec.startsWith("ECC_") || spec.equals("SM2")) {
      return ECC_OPERATIONS.contains(operation) || RSA_OPERATIONS.contains(operation)
          ? Optional.of(RequestQuotas.ECC_CRYPTOGRAPHY)
          : Optional.empty();
    }
    if (spec.startsWith("ML_DSA_")) {
      return ML_DSA_OPERATIONS.contains(operation)
          ? Optional.of(RequestQuotas.ML_DSA_CRYPTOGRAPHY)
          : Optional.empty();
    }
    return Optional.empty();
  }

  private static void add(
      List<Charge> charges,
      RequestQuotas quotas,
      AwsCall call,
      String quota,
      String region,
      double tokens) {
    OptionalDouble rate = quotas.limit(quota, region);
    if (rate.isPresent()) {
      charges.add(
          new Charge(
              new BucketKey(call.service(), call.caller().account(), region, quota),
              rate.getAsDouble(),
              tokens));
    }
  }

  private static Optional<String> text(JsonNode input, String member) {
    JsonNode value = input.get(member);
    return value != null && value.isTextual() && !value.asText().isEmpty()
        ? Optional.of(value.asText())
        : Optional.empty();
  }
}

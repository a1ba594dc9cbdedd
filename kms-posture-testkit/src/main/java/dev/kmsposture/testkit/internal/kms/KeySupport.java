package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Making keys and describing them to the access evaluator: adding a key to its realm and key set,
 * the key specs the embedded KMS can serve, and the alias condition keys.
 */
final class KeySupport {
  private final KmsState state;
  private final AccessControl access;
  private final Set<String> supportedSpecs;

  KeySupport(KmsState state, AccessControl access, Set<String> supportedSpecs) {
    this.state = state;
    this.access = access;
    this.supportedSpecs = Set.copyOf(supportedSpecs);
  }

  /** Adds a key (a single-Region key, a primary or a replica) to its realm and its key set. */
  KmsKey add(
      AccountId account,
      String region,
      SharedKey shared,
      Instant creationDate,
      String keyState,
      String description,
      String policyText,
      KeyPolicy policy) {
    KmsKey key =
        new KmsKey(
            account,
            region,
            KmsState.keyArn(account.value(), region, shared.keyId),
            state.nextSeq(),
            creationDate,
            shared,
            keyState,
            description,
            policyText,
            policy);
    state.realm(account.value(), region).keys().put(shared.keyId, key);
    shared.members.put(region, key);
    return key;
  }

  /**
   * Refuses key specs the embedded KMS cannot serve: SM2 exists only in the China Regions (AWS),
   * and specs the JDK's cryptography here has no implementation for.
   */
  void requireSupportedSpec(String spec, String region) {
    if (spec.equals("SM2") && !region.startsWith("cn-")) {
      throw KmsErrors.validation("KeySpec SM2 is only available in China Regions.");
    }
    if (!supportedSpecs.contains(spec)) {
      throw KmsErrors.unsupported(
          "KeySpec "
              + spec
              + " is not supported by the embedded KMS (supported: "
              + KeySpecs.ALL.stream().filter(supportedSpecs::contains).toList()
              + ").");
    }
  }

  /** When last-usage tracking began: the configured date, or the engine's start. */
  Instant trackingStart() {
    Instant configured = state.config.trackingStartDate();
    return configured != null ? configured : state.startedAt;
  }

  /**
   * The alias condition keys of a request on {@code key}: {@code kms:RequestAlias} when the request
   * named the key by an alias, and {@code kms:ResourceAliases} (the key's aliases). Empty when
   * policies are not enforced.
   */
  Map<String, List<String>> context(KmsCall c, String keyIdParam, KmsKey key) {
    if (!access.enforcing()) {
      return Map.of(); // nothing reads it (authorize returns at once)
    }
    Map<String, List<String>> ctx = Support.context();
    if (keyIdParam.startsWith("alias/")) {
      ctx.put("kms:RequestAlias", List.of(keyIdParam));
    } else if (keyIdParam.startsWith("arn:") && keyIdParam.contains(":alias/")) {
      ctx.put("kms:RequestAlias", List.of(keyIdParam.substring(keyIdParam.indexOf(":alias/") + 1)));
    }
    Realm realm = state.realmIfPresent(key.account.value(), key.region);
    if (realm != null) {
      List<String> aliases = new ArrayList<>();
      for (AliasRecord a : realm.aliases().values()) {
        if (a.targetKeyId().equals(key.keyId())) {
          aliases.add(a.name());
        }
      }
      if (!aliases.isEmpty()) {
        ctx.put("kms:ResourceAliases", aliases);
      }
    }
    return ctx;
  }
}

package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One KMS key in one account and Region: for a multi-Region key, the primary or one replica.
 *
 * <p>Mutable; every field but {@link #lastUsage} is guarded by the engine's lock. Last usage is
 * updated after the cryptographic work, outside the lock, so it is an atomic reference.
 */
final class KmsKey {
  final AccountId account;
  final String region;
  final String arn;
  final long seq;
  final Instant creationDate;
  final SharedKey shared;

  String state;
  @Nullable Instant deletionDate;
  int pendingWindowDays;
  String description;
  String policyText;
  KeyPolicy policy;
  final TreeMap<String, String> tags = new TreeMap<>();
  final Map<String, GrantRecord> grants = new LinkedHashMap<>();

  /** When a transient state (Creating, Updating) ends, and the state it ends in. */
  @Nullable Instant transitionAt;

  String stateAfterTransition = "Enabled";

  /** Imported material on this key (EXTERNAL origin only): whether present, and its expiry. */
  boolean materialImported;

  @Nullable String expirationModel;
  @Nullable Instant validTo;

  /** Set when the key's waiting period ended and it was deleted. */
  boolean deleted;

  /** The compiled access evaluator for the current policy and grants; null when stale. */
  @Nullable KeyAccessEvaluator evaluator;

  final AtomicReference<@Nullable LastUsage> lastUsage = new AtomicReference<>();

  KmsKey(
      AccountId account,
      String region,
      String arn,
      long seq,
      Instant creationDate,
      SharedKey shared,
      String state,
      String description,
      String policyText,
      KeyPolicy policy) {
    this.account = account;
    this.region = region;
    this.arn = arn;
    this.seq = seq;
    this.creationDate = creationDate;
    this.shared = shared;
    this.state = state;
    this.description = description;
    this.policyText = policyText;
    this.policy = policy;
  }

  String keyId() {
    return shared.keyId;
  }

  String spec() {
    return shared.keySpec;
  }

  String usage() {
    return shared.keyUsage;
  }

  String origin() {
    return shared.origin;
  }

  boolean isPrimary() {
    return shared.primaryRegion.equals(region);
  }

  boolean isReplica() {
    return shared.multiRegion && !isPrimary();
  }

  boolean isPendingDeletion() {
    return state.equals("PendingDeletion") || state.equals("PendingReplicaDeletion");
  }

  /** Whether the key holds usable material (KMS-generated, or imported and not deleted). */
  boolean hasMaterial() {
    return origin().equals("EXTERNAL") ? materialImported : shared.current() != null;
  }

  @Override
  public String toString() {
    return "KmsKey[" + arn + ", " + state + "]";
  }
}

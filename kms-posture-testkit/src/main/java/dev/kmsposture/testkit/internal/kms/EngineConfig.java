package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.policy.IdentityPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an engine behaves where AWS leaves a choice or a test wants control.
 *
 * @param pendingDeletionErrorCode the error a cryptographic operation on a key pending deletion
 *     answers with: {@code KMSInvalidStateException} (the default) or {@code DisabledException}
 *     (the key-state table allows either)
 * @param replicaCreationDelay how long a new replica stays {@code Creating}
 * @param primaryRegionUpdateDelay how long both keys stay {@code Updating} after
 *     UpdatePrimaryRegion
 * @param onDemandRotationDelay how long an on-demand rotation is in progress
 * @param onDemandRotationLimit how many on-demand rotations a key may have (AWS: 25)
 * @param maxPageSize the largest page any List operation returns, or 0 for AWS's limits only
 * @param trackingStartDate when last-usage tracking began, or null for the engine's start
 * @param enforcePolicies whether key policies, grants and the supplied IAM policies decide access
 * @param identityPolicies IAM policies by principal ARN, for enforcement
 * @param assumeIamAllows what to assume when a key policy delegates to the account and no IAM
 *     policy is supplied for the caller: allow (true) or deny
 */
public record EngineConfig(
    String pendingDeletionErrorCode,
    Duration replicaCreationDelay,
    Duration primaryRegionUpdateDelay,
    Duration onDemandRotationDelay,
    int onDemandRotationLimit,
    int maxPageSize,
    @Nullable Instant trackingStartDate,
    boolean enforcePolicies,
    Map<String, List<IdentityPolicy>> identityPolicies,
    boolean assumeIamAllows) {

  /** Checks the parts and copies the identity policies. */
  public EngineConfig {
    Objects.requireNonNull(pendingDeletionErrorCode, "pendingDeletionErrorCode");
    Objects.requireNonNull(replicaCreationDelay, "replicaCreationDelay");
    Objects.requireNonNull(primaryRegionUpdateDelay, "primaryRegionUpdateDelay");
    Objects.requireNonNull(onDemandRotationDelay, "onDemandRotationDelay");
    java.util.Map<String, List<IdentityPolicy>> copy = new java.util.LinkedHashMap<>();
    identityPolicies.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    identityPolicies = java.util.Collections.unmodifiableMap(copy);
  }

  /** AWS's behaviour: no delays beyond the next request, 25 on-demand rotations, no enforcement. */
  public static EngineConfig defaults() {
    return new EngineConfig(
        "KMSInvalidStateException",
        Duration.ZERO,
        Duration.ZERO,
        Duration.ZERO,
        25,
        0,
        null,
        false,
        Map.of(),
        true);
  }
}

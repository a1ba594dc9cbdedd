package dev.kmsposture.rules;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.policy.KeyPolicy;

/**
 * What a rule works out from a key policy alone: for example "which statements give access to
 * untrusted accounts". {@link RuleContext#derive} computes it once per distinct policy text and key
 * account, and every key with that policy shares the result, so a rule that renders per-key
 * messages from a derivation pays for the policy work once, not once per key.
 *
 * <p>A derivation must depend only on its arguments (the parsed policy, its access analysis for the
 * key's account, and the configuration), never on the key's name, tags or other parts; its result
 * must be immutable and not null. Keep each derivation in a {@code static final} field: the context
 * remembers results by derivation instance.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface PolicyDerivation<T> {
  /**
   * Works out the result.
   *
   * @param policy the key policy
   * @param analysis the access analysis of {@code policy} for the key's account
   * @param config the configuration of the check
   * @return the result, not null
   */
  T derive(KeyPolicy policy, AccessAnalysis analysis, PostureConfig config);
}

package dev.kmsposture.testkit.generators;

import dev.kmsposture.access.Grant;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.snapshot.KeyGrant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point to kms-posture's generators: principals, actions, condition blocks, statements,
 * key policies, access requests, grants, and key and account snapshots, for property tests of code
 * that makes or judges KMS keys.
 *
 * <pre>{@code
 * // Every least-privilege policy our service generates must pass the blocking rules.
 * for (KeyPolicy policy : KmsGenerators.keyPolicies().leastPrivilegeOnly().samples(7L, 200)) {
 *   assertThat(policy).hasNoFindingsAtLeast(Severity.CRITICAL);
 * }
 * }</pre>
 *
 * <p>Each factory returns a new generator; configuration methods ({@code forAccount}, {@code
 * leastPrivilegeOnly}, {@code withWildcardPrincipals}, {@code withRiskyShapes}, …) return new
 * generators too. Values are drawn for a key in {@link #DEFAULT_ACCOUNT} unless configured with
 * {@code forAccount}. Each generator lists its edge cases, which {@link Generator#samples(long,
 * int)} produces before any random value; the same seed always gives the same values.
 *
 * <p>In a JUnit 5 {@code @ParameterizedTest}, use {@link KmsSource}; for shrinking, wrap a
 * generator with {@code dev.kmsposture.testkit.quicktheories.QuickTheoriesGen}.
 *
 * @since 0.1.0
 */
public final class KmsGenerators {
  /** The account of the generated key unless a generator is configured with {@code forAccount}. */
  public static final AccountId DEFAULT_ACCOUNT = AccountId.of("111122223333");

  /**
   * When every generated snapshot was captured (its rules' "now"); generated dates lie around it.
   */
  public static final Instant CAPTURED_AT = Instant.parse("2026-11-28T12:00:00Z");

  private KmsGenerators() {}

  /**
   * Returns account ids: the key's account first (its edge case), its partners, a stranger, and
   * random 12-digit ids.
   *
   * @return the generator
   */
  public static Generator<AccountId> accountIds() {
    List<AccountId> named = new ArrayList<>();
    named.add(DEFAULT_ACCOUNT);
    named.addAll(Vocabulary.OTHER_ACCOUNTS);
    named.add(Vocabulary.STRANGER_ACCOUNT);
    Generator<AccountId> random =
        (r, size) -> AccountId.of(String.format("%012d", r.nextLong(1_000_000_000_000L)));
    return Generator.oneOf(Generator.elements(named), random).withEdgeCases(named);
  }

  /**
   * Returns principals of every kind; see {@link PrincipalGenerator}.
   *
   * @return the generator
   */
  public static PrincipalGenerator principals() {
    return new PrincipalGenerator(Settings.DEFAULT, true);
  }

  /**
   * Returns KMS actions and action wildcards; see {@link KmsActionGenerator}.
   *
   * @return the generator
   */
  public static KmsActionGenerator kmsActions() {
    return new KmsActionGenerator(true);
  }

  /**
   * Returns condition blocks of every operator family; see {@link ConditionBlockGenerator}.
   *
   * @return the generator
   */
  public static ConditionBlockGenerator conditionBlocks() {
    return new ConditionBlockGenerator(Settings.DEFAULT, 9);
  }

  /**
   * Returns key-policy statements; see {@link StatementGenerator}.
   *
   * @return the generator
   */
  public static StatementGenerator statements() {
    return new StatementGenerator(Settings.DEFAULT);
  }

  /**
   * Returns key policies; see {@link KeyPolicyGenerator}.
   *
   * @return the generator
   */
  public static KeyPolicyGenerator keyPolicies() {
    return new KeyPolicyGenerator(Settings.DEFAULT);
  }

  /**
   * Returns access requests with context; see {@link AccessRequestGenerator}.
   *
   * @return the generator
   */
  public static AccessRequestGenerator accessRequests() {
    return new AccessRequestGenerator(Settings.DEFAULT);
  }

  /**
   * Returns grants as the evaluator reads them; see {@link GrantGenerator}.
   *
   * @return the generator
   */
  public static GrantGenerator grants() {
    return new GrantGenerator(Settings.DEFAULT);
  }

  /**
   * Returns grants as a key snapshot holds them ({@code ListGrants} entries), drawn like {@link
   * #grants()}.
   *
   * @return the generator
   */
  public static Generator<KeyGrant> keyGrants() {
    return grants().map((Grant g) -> KeySnapshotGenerator.keyGrant(g, CAPTURED_AT));
  }

  /**
   * Returns key snapshots of every key kind and state; see {@link KeySnapshotGenerator}.
   *
   * @return the generator
   */
  public static KeySnapshotGenerator keySnapshots() {
    return new KeySnapshotGenerator(Settings.DEFAULT, keyPolicies());
  }

  /**
   * Returns account snapshots; see {@link AccountSnapshotGenerator}.
   *
   * @return the generator
   */
  public static AccountSnapshotGenerator accountSnapshots() {
    return new AccountSnapshotGenerator(Settings.DEFAULT, keySnapshots(), 8);
  }
}

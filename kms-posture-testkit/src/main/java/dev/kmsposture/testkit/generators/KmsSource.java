package dev.kmsposture.testkit.generators;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Feeds a JUnit 5 {@code @ParameterizedTest} with generated values: property-style tests with no
 * property-testing library.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @KmsSource(value = KEY_POLICIES, count = 200, seed = 42L)
 * void roundTrips(KeyPolicy policy) {
 *   assertThat(KeyPolicy.parse(policy.toJson())).isEqualTo(policy);
 * }
 * }</pre>
 *
 * <p>The generator's edge cases come first, then random values. Each invocation is named with the
 * kind, its index and the seed ({@code KEY_POLICIES #17 of 200, seed 42}), and a failing
 * invocation's exception carries the seed too (as a suppressed exception), so a failure can be
 * replayed: set {@link #seed()}, or run with the system property {@value #SEED_PROPERTY}. Without
 * either, each run draws a new seed.
 *
 * @since 0.1.0
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(KmsArgumentsProvider.class)
@ExtendWith(KmsArgumentsProvider.SeedReporter.class)
public @interface KmsSource {

  /** The {@link #seed()} that asks for a new random seed on each run. */
  long RANDOM_SEED = Long.MIN_VALUE;

  /** The system property that sets the seed of every {@code @KmsSource} without one. */
  String SEED_PROPERTY = "kmsposture.seed";

  /**
   * Returns which values to generate.
   *
   * @return the kind of value
   */
  Kind value();

  /**
   * Returns how many values to generate (edge cases included).
   *
   * @return the number of invocations
   */
  int count() default 100;

  /**
   * Returns the seed of the random values; {@link #RANDOM_SEED} (the default) draws one per run.
   *
   * @return the seed
   */
  long seed() default RANDOM_SEED;

  /**
   * The kinds of value a {@link KmsSource} can generate, each from a {@link KmsGenerators} factory.
   */
  enum Kind {
    /** {@link KmsGenerators#accountIds()}. */
    ACCOUNT_IDS(dev.kmsposture.policy.AccountId.class, KmsGenerators::accountIds),
    /** {@link KmsGenerators#principals()}. */
    PRINCIPALS(dev.kmsposture.policy.Principal.class, KmsGenerators::principals),
    /** {@link KmsGenerators#kmsActions()}. */
    KMS_ACTIONS(dev.kmsposture.policy.KmsAction.class, KmsGenerators::kmsActions),
    /** {@link KmsGenerators#conditionBlocks()}: a {@code List<Condition>}. */
    CONDITION_BLOCKS(List.class, KmsGenerators::conditionBlocks),
    /** {@link KmsGenerators#statements()}. */
    STATEMENTS(dev.kmsposture.policy.Statement.class, KmsGenerators::statements),
    /** {@link KmsGenerators#statements()} with wildcard principals and risky shapes. */
    RISKY_STATEMENTS(
        dev.kmsposture.policy.Statement.class,
        () -> KmsGenerators.statements().withWildcardPrincipals().withRiskyShapes()),
    /** {@link KmsGenerators#keyPolicies()}. */
    KEY_POLICIES(dev.kmsposture.policy.KeyPolicy.class, KmsGenerators::keyPolicies),
    /** {@link KeyPolicyGenerator#leastPrivilegeOnly()}. */
    LEAST_PRIVILEGE_KEY_POLICIES(
        dev.kmsposture.policy.KeyPolicy.class,
        () -> KmsGenerators.keyPolicies().leastPrivilegeOnly()),
    /** {@link KmsGenerators#keyPolicies()} with wildcard principals and risky shapes. */
    RISKY_KEY_POLICIES(
        dev.kmsposture.policy.KeyPolicy.class,
        () -> KmsGenerators.keyPolicies().withWildcardPrincipals().withRiskyShapes()),
    /** {@link KmsGenerators#accessRequests()}. */
    ACCESS_REQUESTS(dev.kmsposture.access.AccessRequest.class, KmsGenerators::accessRequests),
    /** {@link KmsGenerators#grants()}. */
    GRANTS(dev.kmsposture.access.Grant.class, KmsGenerators::grants),
    /** {@link KmsGenerators#keyGrants()}. */
    KEY_GRANTS(dev.kmsposture.snapshot.KeyGrant.class, KmsGenerators::keyGrants),
    /** {@link KmsGenerators#keySnapshots()}. */
    KEY_SNAPSHOTS(dev.kmsposture.snapshot.KeySnapshot.class, KmsGenerators::keySnapshots),
    /** {@link KmsGenerators#accountSnapshots()}. */
    ACCOUNT_SNAPSHOTS(
        dev.kmsposture.snapshot.AccountSnapshot.class, KmsGenerators::accountSnapshots);

    private final Class<?> type;

    @SuppressWarnings("ImmutableEnumChecker") // method references to stateless factories
    private final Supplier<? extends Generator<?>> generator;

    Kind(Class<?> type, Supplier<? extends Generator<?>> generator) {
      this.type = type;
      this.generator = generator;
    }

    /**
     * Returns the type of the generated values.
     *
     * @return the value type
     */
    public Class<?> type() {
      return type;
    }

    /**
     * Returns a new generator of this kind's values.
     *
     * @return the generator
     */
    public Generator<?> generator() {
      return generator.get();
    }
  }
}

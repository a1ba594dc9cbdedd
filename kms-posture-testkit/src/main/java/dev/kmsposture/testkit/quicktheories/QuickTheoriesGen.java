package dev.kmsposture.testkit.quicktheories;

import dev.kmsposture.testkit.generators.Generator;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * Adapts a kms-posture {@link Generator} to a QuickTheories {@link Gen}, for tests that want
 * QuickTheories' shrinking: a failing value is reduced towards the generator's simplest choices
 * (the first element of each choice, the shortest list) before it is reported.
 *
 * <pre>{@code
 * qt().withExamples(500)
 *     .forAll(QuickTheoriesGen.of(KmsGenerators.keyPolicies().withRiskyShapes()))
 *     .checkAssert(policy -> assertThat(KeyPolicy.parse(policy.toJson())).isEqualTo(policy));
 * }</pre>
 *
 * <p>QuickTheories is an optional dependency of the testkit: add {@code
 * org.quicktheories:quicktheories} to your test dependencies to use this package. QuickTheories
 * draws each random number the generator asks for and shrinks those draws; the generator's edge
 * cases are not used (QuickTheories tries the smallest draws first).
 *
 * @since 0.1.0
 */
public final class QuickTheoriesGen {
  private QuickTheoriesGen() {}

  /**
   * Returns a {@link Gen} of {@code generator}'s values at the largest size.
   *
   * @param generator the generator
   * @param <T> the type of the values
   * @return the QuickTheories generator
   */
  public static <T> Gen<T> of(Generator<T> generator) {
    return of(generator, Generator.MAX_SIZE);
  }

  /**
   * Returns a {@link Gen} of {@code generator}'s values at {@code size}.
   *
   * @param generator the generator
   * @param size from 0 to {@link Generator#MAX_SIZE}
   * @param <T> the type of the values
   * @return the QuickTheories generator
   * @throws IllegalArgumentException if {@code size} is out of range
   */
  public static <T> Gen<T> of(Generator<T> generator, int size) {
    Objects.requireNonNull(generator, "generator");
    if (size < 0 || size > Generator.MAX_SIZE) {
      throw new IllegalArgumentException(
          String.format("size [%d] is out of range; expected 0 to %d", size, Generator.MAX_SIZE));
    }
    return source -> generator.generate(new Draws(source), size);
  }

  /**
   * A {@link RandomGenerator} whose every number is a QuickTheories draw with a shrink target at
   * its lower bound, so that shrinking moves each choice towards its first option.
   */
  private static final class Draws implements RandomGenerator {
    private final RandomnessSource source;

    Draws(RandomnessSource source) {
      this.source = source;
    }

    @Override
    public long nextLong() {
      return source.next(Constraint.none().withShrinkPoint(0));
    }

    @Override
    public int nextInt() {
      return (int)
          source.next(Constraint.between(Integer.MIN_VALUE, Integer.MAX_VALUE).withShrinkPoint(0));
    }

    @Override
    public int nextInt(int bound) {
      if (bound <= 0) {
        throw new IllegalArgumentException(String.format("bound [%d] is not positive", bound));
      }
      return (int) source.next(Constraint.between(0, bound - 1L).withShrinkPoint(0));
    }

    @Override
    public int nextInt(int origin, int bound) {
      if (origin >= bound) {
        throw new IllegalArgumentException(String.format("range [%d, %d) is empty", origin, bound));
      }
      return (int) source.next(Constraint.between(origin, bound - 1L).withShrinkPoint(origin));
    }

    @Override
    public long nextLong(long bound) {
      if (bound <= 0) {
        throw new IllegalArgumentException(String.format("bound [%d] is not positive", bound));
      }
      return source.next(Constraint.between(0, bound - 1).withShrinkPoint(0));
    }

    @Override
    public long nextLong(long origin, long bound) {
      if (origin >= bound) {
        throw new IllegalArgumentException(String.format("range [%d, %d) is empty", origin, bound));
      }
      return source.next(Constraint.between(origin, bound - 1).withShrinkPoint(origin));
    }

    @Override
    public boolean nextBoolean() {
      return source.next(Constraint.between(0, 1).withShrinkPoint(0)) == 1;
    }
  }
}

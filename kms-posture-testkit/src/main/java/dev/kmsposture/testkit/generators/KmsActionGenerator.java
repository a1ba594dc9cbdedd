package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.Generators.pick;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Generates KMS actions: every action a key policy can authorize and — unless {@link
 * #withoutWildcards()} — the wildcards policies write ({@code kms:*}, {@code *}, {@code kms:Get*},
 * {@code kms:*Grant*}, …).
 *
 * <p>The edge cases are {@code kms:*}, {@code *}, {@code kms:Decrypt}, {@code kms:PutKeyPolicy} and
 * {@code kms:CreateGrant}.
 *
 * @since 0.1.0
 */
@CheckReturnValue
public final class KmsActionGenerator implements Generator<KmsAction> {
  private final boolean wildcards;

  KmsActionGenerator(boolean wildcards) {
    this.wildcards = wildcards;
  }

  /**
   * Returns a generator of concrete actions only.
   *
   * @return the configured generator
   */
  public KmsActionGenerator withoutWildcards() {
    return new KmsActionGenerator(false);
  }

  @Override
  public KmsAction generate(RandomGenerator random, int size) {
    if (wildcards && random.nextInt(4) == 0) {
      return pick(random, Vocabulary.ACTION_WILDCARDS);
    }
    return pick(random, Vocabulary.KEY_POLICY_ACTIONS);
  }

  @Override
  public List<KmsAction> edgeCases() {
    List<KmsAction> out = new ArrayList<>();
    if (wildcards) {
      out.add(KmsAction.ALL);
      out.add(KmsAction.ANY);
    }
    out.add(KmsAction.DECRYPT);
    out.add(KmsAction.PUT_KEY_POLICY);
    out.add(KmsAction.CREATE_GRANT);
    return out;
  }
}

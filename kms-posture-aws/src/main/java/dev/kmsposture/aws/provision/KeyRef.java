package dev.kmsposture.aws.provision;

import java.util.Objects;
import java.util.Optional;

/**
 * The key a planned call acts on: a key that exists (its ARN), or the key an earlier call of the
 * same plan creates ({@code CreateKey}, or {@code ReplicateKey} into a Region).
 *
 * @param arn the key ARN, or empty for a key the plan creates
 * @param createdIn for a key the plan creates, the Region it is created in; empty otherwise
 */
public record KeyRef(String arn, String createdIn) {
  /** Checks that exactly one of the parts is given. */
  public KeyRef {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(createdIn, "createdIn");
    if (arn.isEmpty() == createdIn.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "a key reference is an existing key's ARN or a created key's Region, not [%s] and [%s]",
              arn, createdIn));
    }
  }

  /** Returns a reference to the existing key {@code arn}. */
  public static KeyRef existing(String arn) {
    return new KeyRef(arn, "");
  }

  /** Returns a reference to the key the plan creates in {@code region}. */
  public static KeyRef created(String region) {
    return new KeyRef("", region);
  }

  /** Returns the ARN of an existing key; empty for a key the plan creates. */
  public Optional<String> existingArn() {
    return arn.isEmpty() ? Optional.empty() : Optional.of(arn);
  }

  /** Returns whether the plan creates this key. */
  public boolean isCreated() {
    return arn.isEmpty();
  }

  @Override
  public String toString() {
    return arn.isEmpty() ? "<key created in " + createdIn + ">" : arn;
  }
}

package dev.kmsposture.policy;

import java.util.Locale;
import java.util.Objects;

/**
 * An action as written in a policy's {@code Action} or {@code NotAction} element, such as {@code
 * kms:Decrypt}, {@code kms:Get*} or {@code *}. An open value: unknown actions parse and round-trip.
 *
 * <p>PLACEHOLDER: the full catalog is being written; this type keeps its API.
 *
 * @param name the action as written, letter case preserved
 */
public record KmsAction(String name) {

  /** Validates the name. */
  public KmsAction {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("action [] is empty; expected service:Action or *");
    }
  }

  /** Returns the action named {@code name}. */
  public static KmsAction of(String name) {
    return new KmsAction(name);
  }

  /** Returns whether the name holds a wildcard ({@code *} or {@code ?}). */
  public boolean isWildcard() {
    return name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
  }

  /** Returns whether this action is in the {@code kms} namespace, or is {@code *}. */
  public boolean isKmsNamespace() {
    return name.equals("*") || name.toLowerCase(Locale.ROOT).startsWith("kms:");
  }

  @Override
  public String toString() {
    return name;
  }
}

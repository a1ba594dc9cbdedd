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

  private static final java.util.List<String> PLACEHOLDER_KNOWN =
      java.util.List.of(
          "kms:Decrypt",
          "kms:Encrypt",
          "kms:PutKeyPolicy",
          "kms:DescribeKey",
          "kms:CreateKey",
          "kms:GetKeyPolicy",
          "kms:ListAliases",
          "kms:CreateGrant",
          "kms:GenerateDataKey");

  /** Returns whether the catalog knows this action. */
  public boolean isKnown() {
    return PLACEHOLDER_KNOWN.stream().anyMatch(n -> n.equalsIgnoreCase(name));
  }

  /** Returns whether a key policy can authorize this action. */
  public boolean isKeyPolicyAuthorizable() {
    return isKnown()
        && !name.equalsIgnoreCase("kms:CreateKey")
        && !name.equalsIgnoreCase("kms:ListAliases");
  }

  /** Returns the catalog spelling. */
  public KmsAction canonical() {
    return PLACEHOLDER_KNOWN.stream()
        .filter(n -> n.equalsIgnoreCase(name))
        .findFirst()
        .map(KmsAction::new)
        .orElse(this);
  }

  /** Returns whether this pattern matches {@code concrete}. */
  public boolean matches(KmsAction concrete) {
    return dev.kmsposture.internal.glob.Glob.matches(name, concrete.name, true);
  }

  /** Returns the known actions this pattern matches. */
  public java.util.Set<KmsAction> expand() {
    java.util.Set<KmsAction> out =
        new java.util.TreeSet<>(java.util.Comparator.comparing(KmsAction::name));
    for (String n : PLACEHOLDER_KNOWN) {
      if (matches(new KmsAction(n))) {
        out.add(new KmsAction(n));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return name;
  }
}

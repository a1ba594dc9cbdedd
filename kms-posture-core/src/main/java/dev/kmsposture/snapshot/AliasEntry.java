package dev.kmsposture.snapshot;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One alias in an account and Region, as {@code ListAliases} returns it (including the {@code aws/}
 * aliases of AWS-managed keys).
 *
 * @param aliasName the name, such as {@code alias/prod-customer-pii}
 * @param region the Region
 * @param targetKeyId the id of the key it points at, or null when it points at none
 */
public record AliasEntry(String aliasName, String region, @Nullable String targetKeyId) {
  /** Checks the name. */
  public AliasEntry {
    Objects.requireNonNull(aliasName, "aliasName");
    Objects.requireNonNull(region, "region");
    if (!aliasName.startsWith("alias/")) {
      throw new IllegalArgumentException(
          String.format("alias name [%s] must start with alias/", aliasName));
    }
  }

  /** Returns whether the alias belongs to an AWS-managed key ({@code alias/aws/…}). */
  public boolean isAwsManaged() {
    return aliasName.startsWith("alias/aws/");
  }
}

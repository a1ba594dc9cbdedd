package dev.kmsposture.testkit.internal.kms;

import org.jspecify.annotations.Nullable;

/** Makes new key material for a key spec (at creation and at every rotation). */
@FunctionalInterface
interface MaterialSource {
  /** New material for {@code keySpec}, or null where the engine keeps no secret for it. */
  @Nullable Object generate(String keySpec);
}

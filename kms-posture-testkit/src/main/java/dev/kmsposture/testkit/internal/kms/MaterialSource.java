package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial;

/** Makes new key material for a key spec (at creation and at every rotation). */
@FunctionalInterface
interface MaterialSource {
  /** New material for {@code keySpec} (a wire name the engine already checked is supported). */
  KeyMaterial generate(String keySpec);
}

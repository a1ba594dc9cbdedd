package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Key material shared by the tests of this package: RSA keys take long to generate, so each spec's
 * material is made once per test run.
 */
final class TestKeys {
  private static final Map<KeySpec, KeyMaterial> MATERIALS = new EnumMap<>(KeySpec.class);

  private TestKeys() {}

  static synchronized KeyMaterial of(KeySpec spec) {
    return MATERIALS.computeIfAbsent(spec, KeyMaterial::generate);
  }

  /** Fails if {@code text} contains {@code secret} as raw bytes, hex (either case) or base64. */
  static void assertDoesNotReveal(String text, byte[] secret) {
    if (secret.length < 8) {
      return;
    }
    String hex = HexFormat.of().formatHex(secret);
    assertThat(text)
        .doesNotContainIgnoringCase(hex)
        .doesNotContain(Base64.getEncoder().encodeToString(secret))
        .doesNotContain(new String(secret, java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}

package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.rules.library.KmsPostureRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A finding's fingerprint is what baselines remember: computing it faster must not change it. The
 * reference here is the fingerprint as first defined: the SHA-256 of the UTF-8 of the parts joined
 * by line breaks, its first 32 hex digits.
 */
class FingerprintProperties {
  private static final String CHARS = "aZ09:/-_*\n é漢\uD83D\uDE00\uD800\uDC00";

  private static String reference(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(Random r) {
    int n = r.nextInt(5) == 0 ? r.nextInt(3000) : r.nextInt(40);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(CHARS.charAt(r.nextInt(CHARS.length())));
    }
    return sb.toString();
  }

  private static @Nullable String maybe(Random r) {
    return r.nextInt(3) == 0 ? null : text(r);
  }

  @Test
  void fingerprint_isTheHashOfItsPartsAsFirstDefined() {
    List<RuleInfo> rules = KmsPostureRules.all().rules().stream().map(Rule::info).toList();
    qt().withFixedSeed(20261216L)
        .withExamples(2000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              RuleInfo rule = rules.get(r.nextInt(rules.size()));
              String keyArn = maybe(r);
              String subject = text(r);
              String item = maybe(r);
              PolicyLocation location =
                  r.nextBoolean()
                      ? null
                      : new PolicyLocation(new StatementPlace(0, null, "/Statement/0"), text(r));
              Finding f =
                  Finding.builder()
                      .ruleId(rule.id())
                      .severity(rule.severity())
                      .status(Status.FAIL)
                      .keyArn(keyArn)
                      .subject(subject)
                      .message("m")
                      .location(location)
                      .item(item)
                      .remediation(rule.remediation())
                      .build();
              String basis =
                  rule.id().value()
                      + "\n"
                      + (keyArn == null ? subject : keyArn)
                      + "\n"
                      + (location == null ? "" : location.statementFingerprint())
                      + "\n"
                      + (item == null ? "" : item);
              assertThat(f.fingerprint()).isEqualTo(reference(basis).substring(0, 32));
              // twice on one thread: the reused digest starts afresh
              assertThat(f.fingerprint()).isEqualTo(reference(basis).substring(0, 32));
              assertThat(Finding.sha256(basis)).isEqualTo(reference(basis));
            });
  }
}

package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.snapshot.KeyEvent;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ProvisioningTags;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Facts about keys that several lifecycle and hygiene rules share. */
final class KeyTraits {
  private KeyTraits() {}

  /**
   * Returns a not-applicable finding when the key is a never-used leftover of a failed provisioning
   * run (its run and failed-provisioning tags name the same run, and no use is recorded): the
   * provisioner disabled it and scheduled its deletion on purpose, nothing ever depended on it, so
   * the retirement and deletion rules do not apply. A key that was used gets no exemption.
   */
  static Optional<Finding> failedProvisioningLeftover(
      RuleInfo info, KeySnapshot key, RuleContext context) {
    if (!ProvisioningTags.isUnusedFailedProvisioning(key)) {
      return Optional.empty();
    }
    return Optional.of(
        Finding.notApplicable(
            info,
            key,
            Message.of(
                "%s is a never-used leftover of failed provisioning run %s, retired by the"
                    + " provisioner",
                context.describeCapitalized(key),
                ProvisioningTags.run(java.util.Objects.requireNonNull(key.tags())).orElse(""))));
  }

  /**
   * Returns why the key cannot rotate automatically, or empty when it can. Eligibility comes from
   * the metadata, never from an exception: only symmetric encryption keys ({@code
   * SYMMETRIC_DEFAULT}, {@code ENCRYPT_DECRYPT}) with KMS-generated material ({@code AWS_KMS})
   * outside a custom key store rotate automatically (KMS Developer Guide, "Rotating AWS KMS keys";
   * EnableKeyRotation API reference).
   */
  static Optional<String> whyNoAutomaticRotation(KeyMetadata m) {
    String spec = m.keySpec();
    String usage = m.keyUsage();
    if (usage.equals("GENERATE_VERIFY_MAC") || spec.startsWith("HMAC_")) {
      return Optional.of("it is an HMAC key (" + spec + ")");
    }
    if (usage.equals("KEY_AGREEMENT")) {
      return Optional.of("it is a key-agreement key (" + spec + ")");
    }
    if (usage.equals("ENCAPSULATE_DECAPSULATE") || spec.startsWith("ML_KEM")) {
      return Optional.of("it is an ML-KEM key (" + spec + ")");
    }
    if (usage.equals("SIGN_VERIFY")) {
      return Optional.of("it is an asymmetric signing key (" + spec + ")");
    }
    if (!m.isSymmetricEncryption()) {
      return Optional.of("it is an asymmetric " + usage + " key (" + spec + ")");
    }
    if (m.origin().equals("EXTERNAL")) {
      return Optional.of("its key material is imported (origin EXTERNAL)");
    }
    if (m.origin().equals("AWS_CLOUDHSM")) {
      return Optional.of("it lives in an AWS CloudHSM key store");
    }
    if (m.origin().equals("EXTERNAL_KEY_STORE")) {
      return Optional.of("it lives in an external key store (XKS)");
    }
    if (!m.isKmsGeneratedMaterial()) {
      return Optional.of(
          m.customKeyStoreId() != null
              ? "it lives in a custom key store"
              : "its key material has origin " + m.origin());
    }
    return Optional.empty();
  }

  /**
   * Returns the sentence for a part the rule needs but the snapshot lacks: "The rotation status of
   * the CMK named x could not be read: AccessDenied" or "… was (were) not collected in the
   * snapshot".
   */
  static String missing(KeySnapshot key, KeyPart part, String what, RuleContext context) {
    String subject = "The " + what + " of " + context.describe(key);
    boolean plural = what.endsWith("s") && !what.endsWith("status");
    return key.unreadableReason(part)
        .map(r -> subject + " could not be read: " + r)
        .orElse(subject + (plural ? " were" : " was") + " not collected in the snapshot");
  }

  /** Returns whole days from {@code from} to {@code to} (negative when {@code to} is earlier). */
  static long days(Instant from, Instant to) {
    return Duration.between(from, to).toDays();
  }

  private static final long SECONDS_PER_DAY = 86_400L;
  // Ten thousand years either side of 1970: LocalDate holds them all.
  private static final long MAX_PLAIN_SECONDS = 10_000L * 366 * SECONDS_PER_DAY;

  /** Returns the UTC date of {@code t}, as {@code 2026-05-01}. */
  static String date(Instant t) {
    long seconds = t.getEpochSecond();
    if (Math.abs(seconds) < MAX_PLAIN_SECONDS) {
      // The UTC day without LocalDate.ofInstant, which builds the offset's ZoneRules (and a map)
      // on every call: the same date, a few percent of the engine's allocation.
      return LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY)).toString();
    }
    return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
  }

  /** Returns {@code n} and the noun, singular or plural: "1 day", "3 days". */
  static String count(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }

  /** Returns {@code s} with its first letter in upper case. */
  static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Returns the alias name without its {@code alias/} prefix. */
  static String aliasName(String alias) {
    return alias.startsWith("alias/") ? alias.substring(6) : alias;
  }

  /** Returns whether the state makes the key unusable for cryptographic operations. */
  static boolean isUnusableState(String keyState) {
    return keyState.equals(KeyMetadata.DISABLED)
        || keyState.equals(KeyMetadata.PENDING_DELETION)
        || keyState.equals(KeyMetadata.PENDING_REPLICA_DELETION)
        || keyState.equals(KeyMetadata.PENDING_IMPORT)
        || keyState.equals("Unavailable");
  }

  /** Returns the last successful event named {@code name} in {@code events}, if any. */
  static Optional<KeyEvent> lastSuccessful(List<KeyEvent> events, String name) {
    KeyEvent last = null;
    for (KeyEvent e : events) {
      if (e.eventName().equals(name) && e.errorCode() == null && after(e, last)) {
        last = e;
      }
    }
    return Optional.ofNullable(last);
  }

  private static boolean after(KeyEvent e, @Nullable KeyEvent last) {
    return last == null || !e.time().isBefore(last.time());
  }
}

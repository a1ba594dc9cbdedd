package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeyRotation;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Flags a customer-managed key that cannot rotate automatically (asymmetric, HMAC, key agreement,
 * imported material, CloudHSM or external key store) whose key material is older than {@code
 * keyMaterialMaxAgeDays} (default 365).
 *
 * <p>The material's age is measured from the newest rotation in the rotation history (for imported
 * keys the {@code CURRENT} material), or else from the key's creation. Symmetric keys with imported
 * material can be rotated on demand after importing new material (ImportKeyMaterial with {@code
 * NEW_KEY_MATERIAL}, then RotateKeyOnDemand); every other kind is "rotated" by creating a new key
 * and moving the alias. Keys that rotate automatically are not applicable: {@link RotationDisabled}
 * covers them.
 */
public final class KeyMaterialTooOld implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KeyMaterialTooOld"))
          .summary(
              "Key material of a key that cannot rotate automatically is older than policy allows")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Asymmetric, HMAC, imported-material and custom-key-store keys never rotate on their own,"
                  + " so nothing limits how long one piece of key material stays in use unless"
                  + " someone rotates it on demand or replaces the key.")
          .checklistItem(
              "[Optional] For workloads requiring imported key material (BYOK), document the import"
                  + " process, expiration, and reimport schedule. Imported key material can have an"
                  + " explicit expiration; rotation is manual and requires reimporting.")
          .references(List.of("Cloud Custodian kms-key last-rotation filter"))
          .remediation(
              new Remediation(
                  "For a symmetric key with imported material, import new material and rotate on"
                      + " demand. For other keys, create a new key, move the alias to it, and"
                      + " re-encrypt or re-sign what the old key protects.",
                  "aws kms import-key-material --key-id <key-id> --import-type NEW_KEY_MATERIAL"
                      + " --encrypted-key-material fileb://material.bin --import-token"
                      + " fileb://token.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE && aws kms"
                      + " rotate-key-on-demand --key-id <key-id>   # other keys: aws kms create-key"
                      + " ... && aws kms update-alias --alias-name alias/<name> --target-key-id"
                      + " <new-key-id>",
                  "kms.rotateKeyOnDemand(r -> r.keyId(keyId)); // other keys: kms.createKey(...);"
                      + " kms.updateAlias(r -> r.aliasName(alias).targetKeyId(newKeyId))"))
          .addTag("rotation")
          .build();

  /** Creates the rule; it holds no state. */
  public KeyMaterialTooOld() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    KeyMetadata m = key.metadata();
    String name = context.describe(key);
    if (!m.isCustomerManaged()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "%s is AWS managed: AWS rotates it yearly", context.describeCapitalized(key))));
    }
    Optional<String> why = KeyTraits.whyNoAutomaticRotation(m);
    if (why.isEmpty()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "%s can rotate automatically; RotationDisabled checks that it does",
                  context.describeCapitalized(key))));
    }
    if (m.isPendingDeletion()) {
      return List.of(
          Finding.notApplicable(
              INFO, key, Message.of("%s is pending deletion", context.describeCapitalized(key))));
    }
    int max = context.config().keyMaterialMaxAgeDays();
    Instant now = context.now();
    long keyAge = KeyTraits.days(m.creationDate(), now);
    boolean onDemand = m.isImportedMaterial() && m.isSymmetricEncryption();
    List<KeyRotation> rotations = key.rotations();
    if (rotations == null && onDemand && keyAge > max) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "%s; the key is %s days old and may have been rotated on demand" + " since",
                  KeyTraits.missing(key, KeyPart.ROTATIONS, "rotation history", context), keyAge)));
    }
    Instant newest = newestMaterial(rotations);
    Instant since = newest == null ? m.creationDate() : newest;
    long age = KeyTraits.days(since, now);
    String from =
        newest == null
            ? "created on " + KeyTraits.date(since)
            : "last rotated on " + KeyTraits.date(since);
    if (age <= max) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "The key material of %s is %s old (%s), within the allowed %s days",
                  name, KeyTraits.count(age, "day", "days"), from, max)));
    }
    String fix =
        onDemand
            ? "import new key material and rotate it on demand (RotateKeyOnDemand)"
            : "create a new key, move the alias to it and retire this one";
    return List.of(
        Finding.fail(
            INFO,
            key,
            Message.of(
                "The key material of %s is %s days old (%s), older than the allowed"
                    + " %s days; it cannot rotate automatically because %s: %s",
                name, age, from, max, why.get(), fix)));
  }

  private static @Nullable Instant newestMaterial(@Nullable List<KeyRotation> rotations) {
    if (rotations == null) {
      return null;
    }
    for (KeyRotation r : rotations) {
      if ("CURRENT".equals(r.keyMaterialState()) && r.rotationDate() != null) {
        return r.rotationDate();
      }
    }
    Instant newest = null;
    for (KeyRotation r : rotations) {
      Instant d = r.rotationDate();
      if (d != null && (newest == null || d.isAfter(newest))) {
        newest = d;
      }
    }
    return newest;
  }
}

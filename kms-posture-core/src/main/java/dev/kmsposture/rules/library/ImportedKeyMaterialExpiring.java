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
import dev.kmsposture.snapshot.KeyRotation;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Flags a key with imported material ({@code EXTERNAL} origin) whose material expires within {@code
 * importExpiryWarningDays} (default 30) or has expired, and a key pending import (unusable). When
 * imported material expires, KMS deletes it and the key becomes {@code PendingImport}: every call
 * fails until the same material is imported again (KMS Developer Guide, "Importing key material").
 * Material that does not expire passes; keys with KMS-generated material are not applicable.
 *
 * <p>Severity is recommended rather than the checklist's optional, because an expiry is an outage
 * with a date on it.
 */
public final class ImportedKeyMaterialExpiring implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("ImportedKeyMaterialExpiring"))
          .summary("Imported key material expires soon, has expired, or is missing")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Imported key material can carry an expiry. When it passes, KMS deletes the material"
                  + " and every encrypt and decrypt with the key fails until someone re-imports the"
                  + " same material — which must therefore still exist, safely, outside AWS.")
          .checklistItem(
              "[Optional] For workloads requiring imported key material (BYOK), document the import"
                  + " process, expiration, and reimport schedule.")
          .remediation(
              new Remediation(
                  "Re-import the same key material with a later expiry (or"
                      + " KEY_MATERIAL_DOES_NOT_EXPIRE) before it expires.",
                  "aws kms get-parameters-for-import --key-id <key-id> --wrapping-algorithm"
                      + " RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096 && aws kms"
                      + " import-key-material --key-id <key-id> --encrypted-key-material"
                      + " fileb://material.bin --import-token fileb://token.bin --expiration-model"
                      + " KEY_MATERIAL_EXPIRES --valid-to 2027-12-31T00:00:00Z",
                  "kms.importKeyMaterial(r -> r.keyId(keyId).encryptedKeyMaterial(material)"
                      + ".importToken(token).expirationModel(ExpirationModelType.KEY_MATERIAL_EXPIRES)"
                      + ".validTo(validTo))"))
          .tags(List.of("availability", "lifecycle"))
          .build();

  /** Creates the rule; it holds no state. */
  public ImportedKeyMaterialExpiring() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    KeyMetadata m = key.metadata();
    String name = context.describeCapitalized(key);
    if (!m.isImportedMaterial()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of("%s does not use imported key material (origin %s)", name, m.origin())));
    }
    if (m.isPendingDeletion()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of("%s is pending deletion; KeyPendingDeletion reports it", name)));
    }
    if (m.keyState().equals(KeyMetadata.PENDING_IMPORT)) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s is pending import: it has no usable key material, so every call"
                      + " with it fails",
                  name)));
    }
    String model = m.expirationModel();
    if ("KEY_MATERIAL_DOES_NOT_EXPIRE".equals(model)) {
      return List.of(
          Finding.pass(
              INFO, key, Message.of("%s has imported key material that does not expire", name)));
    }
    Instant validTo = m.validTo() != null ? m.validTo() : currentMaterialValidTo(key);
    if (!"KEY_MATERIAL_EXPIRES".equals(model) || validTo == null) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "%s has imported key material, but its expiration%s is not in the" + " snapshot",
                  name, (model == null ? " model" : " date"))));
    }
    Instant now = context.now();
    int warn = context.config().importExpiryWarningDays();
    long hours = Duration.between(now, validTo).toHours();
    if (hours <= 0) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "The imported key material of %s expired on %s; re-import it",
                  context.describe(key), KeyTraits.date(validTo))));
    }
    long daysLeft = hours / 24;
    String text =
        "The imported key material of "
            + context.describe(key)
            + " expires on "
            + KeyTraits.date(validTo)
            + ", "
            + KeyTraits.count(daysLeft, "day", "days")
            + " from now";
    if (daysLeft <= warn) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s; after that the key is unusable until the material is" + " re-imported",
                  text)));
    }
    return List.of(Finding.pass(INFO, key, text));
  }

  /** Returns the expiry of the CURRENT key material in the rotation history, if it lists one. */
  private static @Nullable Instant currentMaterialValidTo(KeySnapshot key) {
    if (key.rotations() == null) {
      return null;
    }
    for (KeyRotation r : key.rotations()) {
      if ("CURRENT".equals(r.keyMaterialState()) && r.validTo() != null) {
        return r.validTo();
      }
    }
    return null;
  }
}

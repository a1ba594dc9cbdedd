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
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.RotationStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Flags a customer-managed key that can rotate automatically but does not: "Rotation is disabled on
 * the CMK named prod-customer-pii".
 *
 * <p>Applicability comes from the key metadata, never from an exception: only symmetric encryption
 * keys with KMS-generated material outside a custom key store rotate automatically. A multi-Region
 * replica is judged through its primary, where rotation is set. A key pending deletion is not
 * applicable because KMS reports its rotation as false until deletion is cancelled. A disabled key
 * is still judged: rotation pauses while it is disabled, but the setting is kept and applies when
 * it is enabled again (GetKeyRotationStatus API reference).
 */
public final class RotationDisabled implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("RotationDisabled"))
          .summary("Automatic rotation is disabled on a customer-managed key that supports it")
          .severity(Severity.CRITICAL)
          .rationale(
              "Rotation is off by default when a customer-managed key is created. Without it the same"
                  + " key material protects every new ciphertext for the key's whole life. Enabling it"
                  + " is one call, keeps every old ciphertext readable and needs no re-encryption.")
          .checklistItem(
              "[Critical] Automatic key rotation must be enabled on every customer-managed CMK that"
                  + " protects production data.")
          .references(
              List.of(
                  "Security Hub KMS.4",
                  "CIS AWS Foundations Benchmark 3.6 (v3.0.0)",
                  "AWS Config cmk-backing-key-rotation-enabled",
                  "Prowler kms_cmk_rotation_enabled",
                  "Control Tower CT.KMS.PR.1"))
          .remediation(
              new Remediation(
                  "Enable automatic rotation on the key (on the primary for a multi-Region key),"
                      + " optionally with a rotation period of 90 to 2560 days.",
                  "aws kms enable-key-rotation --key-id <key-id> --rotation-period-in-days 365",
                  "kms.enableKeyRotation(r -> r.keyId(keyId).rotationPeriodInDays(365))"))
          .addTag("rotation")
          .build();

  /** Creates the rule; it holds no state. */
  public RotationDisabled() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  // rotationSource returns the key itself when it is its own source.
  @SuppressWarnings("ReferenceEquality")
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    Optional<Finding> gate = gate(INFO, key, context);
    if (gate.isPresent()) {
      return List.of(gate.get());
    }
    KeySnapshot source = rotationSource(key, context);
    RotationStatus rotation = source.rotation();
    String name = context.describe(key);
    String viaPrimary =
        source == key
            ? ""
            : " (a multi-Region replica: rotation is set on its primary in "
                + source.region()
                + ")";
    if (rotation == null) {
      return List.of(
          Finding.unknown(
              INFO, key, KeyTraits.missing(source, KeyPart.ROTATION, "rotation status", context)));
    }
    String paused =
        key.metadata().keyState().equals(KeyMetadata.DISABLED)
            ? "; the key is disabled, so rotation is paused until it is enabled again"
            : "";
    if (rotation.enabled()) {
      String period =
          rotation.rotationPeriodInDays() == null
              ? ""
              : " every " + rotation.rotationPeriodInDays() + " days";
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "Automatic rotation is enabled%s on %s%s%s", period, name, viaPrimary, paused)));
    }
    return List.of(
        Finding.fail(
            INFO, key, Message.of("Rotation is disabled on %s%s%s", name, viaPrimary, paused)));
  }

  /**
   * Returns the finding that ends a rotation rule early (not applicable, or unknown because a
   * replica's primary is missing), or empty when the rule should read the rotation status of {@link
   * #rotationSource}.
   */
  static Optional<Finding> gate(RuleInfo info, KeySnapshot key, RuleContext context) {
    KeyMetadata m = key.metadata();
    if (!m.isCustomerManaged()) {
      return Optional.of(
          Finding.notApplicable(
              info,
              key,
              Message.of(
                  "%s is AWS managed: AWS rotates it every year and its rotation"
                      + " cannot be configured",
                  context.describeCapitalized(key))));
    }
    Optional<String> why = KeyTraits.whyNoAutomaticRotation(m);
    if (why.isPresent()) {
      return Optional.of(
          Finding.notApplicable(
              info,
              key,
              Message.of(
                  "%s cannot rotate automatically: %s; KeyMaterialTooOld checks its"
                      + " age instead",
                  context.describeCapitalized(key), why.get())));
    }
    if (m.isPendingDeletion()) {
      return Optional.of(
          Finding.notApplicable(
              info,
              key,
              Message.of(
                  "%s is pending deletion: KMS reports its rotation as disabled until"
                      + " the deletion is cancelled",
                  context.describeCapitalized(key))));
    }
    if (m.isReplica()) {
      Optional<KeySnapshot> primary = context.primaryOf(key);
      if (primary.isEmpty()) {
        return Optional.of(
            Finding.unknown(
                info,
                key,
                Message.of(
                    "%s is a multi-Region replica, and rotation is set on its primary"
                        + " %s, which is not in the snapshot",
                    context.describeCapitalized(key),
                    Objects.requireNonNull(m.multiRegion()).primaryKey().arn())));
      }
      if (primary.get().metadata().isPendingDeletion()) {
        return Optional.of(
            Finding.unknown(
                info,
                key,
                Message.of(
                    "%s is a multi-Region replica whose primary %s is pending deletion,"
                        + " and KMS reports rotation as disabled while it is",
                    context.describeCapitalized(key), context.describe(primary.get()))));
      }
    }
    return Optional.empty();
  }

  /** Returns the key whose rotation status counts: the key itself, or a replica's primary. */
  static KeySnapshot rotationSource(KeySnapshot key, RuleContext context) {
    return key.metadata().isReplica() ? context.primaryOf(key).orElse(key) : key;
  }
}

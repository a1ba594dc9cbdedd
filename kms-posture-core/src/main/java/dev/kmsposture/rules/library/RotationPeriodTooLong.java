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
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Flags automatic rotation whose period is longer than the configured maximum ({@code
 * maxRotationPeriodDays}, default 365), or whose next rotation date lies more than seven days in
 * the past ("rotation appears stalled").
 *
 * <p>A rotation status without a period is UNKNOWN, not read as the default 365 days: since April
 * 2024 {@code GetKeyRotationStatus} returns {@code RotationPeriodInDays} whenever rotation is
 * enabled, so a missing period means the collector (or a KMS-compatible emulator) left it out, and
 * the period could be anything up to 2560 days. Applicability is that of {@link RotationDisabled};
 * a key whose rotation is disabled is not applicable (that rule reports it). The stall check skips
 * disabled keys, whose rotation pauses.
 */
public final class RotationPeriodTooLong implements KeyRule {
  /** How far in the past the next rotation date may be before rotation counts as stalled. */
  static final int STALL_GRACE_DAYS = 7;

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("RotationPeriodTooLong"))
          .summary("Automatic rotation period is longer than policy allows, or rotation is stalled")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Since 2024 KMS lets each key rotate every 90 to 2560 days. A period longer than the"
                  + " organisation's maximum keeps key material in use longer than policy allows, and"
                  + " a next rotation date far in the past means rotation is not happening.")
          .checklistItem(
              "[Critical] Automatic key rotation must be enabled on every customer-managed CMK that"
                  + " protects production data (rotation cadence: \"automatic (annual, AWS-managed)"
                  + " is the right default\").")
          .references(List.of("Cloud Custodian kms-key rotation filter (rotation period)"))
          .remediation(
              new Remediation(
                  "Set the rotation period to the policy maximum or less; enforce it for new keys with"
                      + " the kms:RotationPeriodInDays condition key.",
                  "aws kms enable-key-rotation --key-id <key-id> --rotation-period-in-days 365",
                  "kms.enableKeyRotation(r -> r.keyId(keyId).rotationPeriodInDays(365))"))
          .addTag("rotation")
          .build();

  /** Creates the rule; it holds no state. */
  public RotationPeriodTooLong() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    Optional<Finding> gate = RotationDisabled.gate(INFO, key, context);
    if (gate.isPresent()) {
      return List.of(gate.get());
    }
    KeySnapshot source = RotationDisabled.rotationSource(key, context);
    RotationStatus rotation = source.rotation();
    String name = context.describe(key);
    if (rotation == null) {
      return List.of(
          Finding.unknown(
              INFO, key, KeyTraits.missing(source, KeyPart.ROTATION, "rotation status", context)));
    }
    if (!rotation.enabled()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "Automatic rotation is disabled on %s, so it has no period;"
                      + " RotationDisabled reports it",
                  name)));
    }
    int max = context.config().maxRotationPeriodDays();
    Integer given = rotation.rotationPeriodInDays();
    if (given == null) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "The rotation status of %s reports no rotation period, so whether it rotates"
                      + " within the allowed %s days cannot be told",
                  name, max)));
    }
    int period = given;
    String periodText = period + " days";
    if (period > max) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s rotates every %s, longer than the allowed %s days",
                  context.describeCapitalized(key), periodText, max)));
    }
    Instant next = rotation.nextRotationDate();
    Instant now = context.now();
    boolean disabled = key.metadata().keyState().equals(KeyMetadata.DISABLED);
    if (next != null && !disabled && KeyTraits.days(next, now) > STALL_GRACE_DAYS) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "Rotation appears stalled on %s: its next rotation date %s is %s in"
                      + " the past",
                  name,
                  KeyTraits.date(next),
                  KeyTraits.count(KeyTraits.days(next, now), "day", "days"))));
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "%s rotates every %s, within the allowed %s days",
                context.describeCapitalized(key), periodText, max)));
  }
}

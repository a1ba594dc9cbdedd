package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Flags a customer-managed key that is scheduled for deletion, with the days left, and says when
 * the key was used within the last 30 days (something still depends on it). A multi-Region primary
 * in {@code PendingReplicaDeletion} has no deletion date: its waiting period starts only when its
 * last replica is deleted (ScheduleKeyDeletion API reference), so the finding says how many
 * replicas it is waiting for. Deletion is irreversible: whatever the key encrypted becomes
 * unrecoverable.
 */
public final class KeyPendingDeletion implements KeyRule {
  /** Use this recent makes the finding say the key was still in use. */
  static final int RECENT_USE_DAYS = 30;

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KeyPendingDeletion"))
          .summary("Customer-managed key is scheduled for deletion")
          .severity(Severity.CRITICAL)
          .rationale(
              "Deleting a KMS key is irreversible: every ciphertext it protects becomes unrecoverable."
                  + " A key pending deletion must be a deliberate, verified decision; otherwise cancel"
                  + " the deletion while the waiting period lasts.")
          .checklistItem(
              "[Optional] Disable (do not delete) CMKs that are no longer in use. KMS key deletion has"
                  + " a mandatory 7–30 day waiting period and is irreversible — if anything still"
                  + " references the key, decryption fails.")
          .references(
              List.of(
                  "Security Hub KMS.3",
                  "AWS Config kms-cmk-not-scheduled-for-deletion",
                  "Prowler kms_cmk_not_deleted_unintentionally"))
          .remediation(
              new Remediation(
                  "If the deletion was not intended, cancel it (the key comes back disabled) and"
                      + " enable the key again.",
                  "aws kms cancel-key-deletion --key-id <key-id> && aws kms enable-key --key-id"
                      + " <key-id>",
                  "kms.cancelKeyDeletion(r -> r.keyId(keyId)); kms.enableKey(r -> r.keyId(keyId))"))
          .tags(List.of("lifecycle", "availability"))
          .build();

  /** Creates the rule; it holds no state. */
  public KeyPendingDeletion() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    KeyMetadata m = key.metadata();
    if (!m.isCustomerManaged()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "%s is AWS managed and cannot be deleted", context.describeCapitalized(key))));
    }
    Optional<Finding> leftover = KeyTraits.failedProvisioningLeftover(INFO, key, context);
    if (leftover.isPresent()) {
      return List.of(leftover.get());
    }
    Instant now = context.now();
    if (m.keyState().equals(KeyMetadata.PENDING_REPLICA_DELETION)) {
      int replicas = m.multiRegion() == null ? 0 : m.multiRegion().replicaKeys().size();
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s is scheduled for deletion and is waiting for %s to be deleted;"
                      + " its waiting period starts when the last one is gone%s",
                  context.describeCapitalized(key),
                  KeyTraits.count(replicas, "replica", "replicas"),
                  recentUse(key, now))));
    }
    if (!m.keyState().equals(KeyMetadata.PENDING_DELETION)) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of("%s is not scheduled for deletion", context.describeCapitalized(key))));
    }
    Instant deletion = m.deletionDate();
    String when;
    if (deletion == null) {
      when = " (the deletion date is not in the snapshot)";
    } else {
      long hours = Duration.between(now, deletion).toHours();
      long daysLeft = Math.max(0, (hours + 23) / 24);
      when =
          ": it will be deleted on "
              + KeyTraits.date(deletion)
              + ", "
              + KeyTraits.count(daysLeft, "day", "days")
              + " from now";
    }
    return List.of(
        Finding.fail(
            INFO,
            key,
            Message.of(
                "%s is pending deletion%s%s",
                context.describeCapitalized(key), when, recentUse(key, now))));
  }

  private static String recentUse(KeySnapshot key, Instant now) {
    KeyLastUsage usage = key.lastUsage();
    if (usage == null || usage.lastUsedAt() == null) {
      return "";
    }
    Instant used = usage.lastUsedAt();
    long ago = KeyTraits.days(used, now);
    if (ago > RECENT_USE_DAYS) {
      return "";
    }
    return "; it was used on "
        + KeyTraits.date(used)
        + (usage.operation() == null ? "" : " (" + usage.operation() + ")")
        + ", "
        + (ago == 0 ? "today" : KeyTraits.count(ago, "day", "days") + " ago")
        + ", so something may still depend on it";
  }
}

package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyEvent;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Flags a key that was scheduled for deletion without first being disabled, and left unused, for
 * {@code disabledBeforeDeletionDays} (default 30: one business cycle).
 *
 * <p>Judged from the key's CloudTrail events: the last successful {@code ScheduleKeyDeletion},
 * since when the key had been unusable before it without a break, and the failed calls while it
 * was. A successful {@code DisableKey} makes it unusable; so does an earlier {@code
 * ScheduleKeyDeletion}, and {@code CancelKeyDeletion} leaves the key Disabled (KMS API reference,
 * "CancelKeyDeletion"); only a successful {@code EnableKey} makes it usable again. So a deletion
 * scheduled, cancelled and scheduled again after a long quiet period counts the whole period. A
 * call that failed with {@code DisabledException} during that dwell shows that something still
 * depends on the key, which is exactly what the dwell is for (KMS Developer Guide, "Deleting AWS
 * KMS keys": disable the key first and watch CloudTrail for such failures). Last usage after the
 * disable also fails. Without key events the result is UNKNOWN: KMS key metadata carries neither
 * the chosen window nor when the key was disabled.
 */
public final class DeletionScheduledWithoutDisabling implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("DeletionScheduledWithoutDisabling"))
          .summary("Key was scheduled for deletion without a full disabled, unused period first")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Deletion is irreversible. Disabling is not: a key disabled for a full business cycle"
                  + " shows, through failed calls, whether anything still depends on it, while it can"
                  + " still be enabled again. Scheduling deletion without that dwell bets the data on"
                  + " nobody needing the key.")
          .checklistItem(
              "[Optional] Disable (do not delete) CMKs that are no longer in use. … The safe pattern"
                  + " is: disable, monitor for KMSDisabledException errors for at least one full"
                  + " business cycle (typically 30 days), then schedule deletion.")
          .remediation(
              new Remediation(
                  "Cancel the deletion (the key stays disabled), watch CloudTrail for failed calls for"
                      + " a full business cycle, then schedule the deletion again.",
                  "aws kms cancel-key-deletion --key-id <key-id>   # after 30 quiet days: aws kms"
                      + " schedule-key-deletion --key-id <key-id> --pending-window-in-days 30",
                  "kms.cancelKeyDeletion(r -> r.keyId(keyId)); // after 30 quiet days:"
                      + " kms.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(30))"))
          .tags(List.of("lifecycle", "availability"))
          .build();

  /** Creates the rule; it holds no state. */
  public DeletionScheduledWithoutDisabling() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describeCapitalized(key);
    if (!key.metadata().isPendingDeletion()) {
      return List.of(
          Finding.notApplicable(INFO, key, Message.of("%s is not pending deletion", name)));
    }
    Optional<Finding> leftover = KeyTraits.failedProvisioningLeftover(INFO, key, context);
    if (leftover.isPresent()) {
      return List.of(leftover.get());
    }
    List<KeyEvent> events = key.keyEvents();
    if (events == null) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "%s; KMS key metadata carries neither the chosen window nor when"
                      + " the key was disabled",
                  KeyTraits.missing(key, KeyPart.KEY_EVENTS, "CloudTrail key events", context))));
    }
    Optional<KeyEvent> scheduled = KeyTraits.lastSuccessful(events, "ScheduleKeyDeletion");
    if (scheduled.isEmpty()) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "The CloudTrail key events of %s do not reach back to its"
                      + " ScheduleKeyDeletion call, so whether it was disabled first cannot"
                      + " be told",
                  context.describe(key))));
    }
    Instant scheduledAt = scheduled.get().time();
    List<KeyEvent> ordered = new ArrayList<>(events);
    ordered.sort(Comparator.comparing(KeyEvent::time));
    // Since when the key has been unusable without a break: DisableKey disables it; an earlier
    // ScheduleKeyDeletion makes it pending deletion, and CancelKeyDeletion leaves it Disabled
    // (KMS API reference, "CancelKeyDeletion"); only EnableKey makes it usable again.
    Instant disabledAt = null;
    Instant cancelledAt = null;
    boolean byDisableKey = false;
    for (KeyEvent e : ordered) {
      if (e.time().isAfter(scheduledAt) || e.errorCode() != null) {
        continue;
      }
      switch (e.eventName()) {
        case "DisableKey" -> {
          if (disabledAt == null) {
            disabledAt = e.time();
            byDisableKey = true;
          }
        }
        case "ScheduleKeyDeletion" -> {
          if (disabledAt == null && e.time().isBefore(scheduledAt)) {
            disabledAt = e.time();
            byDisableKey = false;
          }
        }
        case "CancelKeyDeletion" -> {
          if (disabledAt == null) {
            disabledAt = e.time();
            byDisableKey = false;
          }
          if (!byDisableKey && cancelledAt == null) {
            cancelledAt = e.time();
          }
        }
        case "EnableKey" -> {
          disabledAt = null;
          cancelledAt = null;
          byDisableKey = false;
        }
        default -> {}
      }
    }
    String scheduledText = "on " + KeyTraits.date(scheduledAt);
    if (disabledAt == null) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s was scheduled for deletion %s without being disabled first",
                  name, scheduledText)));
    }
    List<String> problems = new ArrayList<>();
    long dwell = KeyTraits.days(disabledAt, scheduledAt);
    int required = context.config().disabledBeforeDeletionDays();
    if (dwell < required) {
      problems.add(
          (byDisableKey
                  ? "it was disabled on "
                  : "it has been unusable (pending deletion, then"
                      + " disabled by the cancellation) since ")
              + KeyTraits.date(disabledAt)
              + ", only "
              + KeyTraits.count(dwell, "day", "days")
              + " before (at least "
              + required
              + " required)");
    }
    List<KeyEvent> failures = new ArrayList<>();
    for (KeyEvent e : ordered) {
      if (e.errorCode() != null
          && (e.errorCode().contains("Disabled") || e.errorCode().contains("KMSInvalidState"))
          && !e.time().isBefore(disabledAt)
          && !e.time().isAfter(scheduledAt)) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      KeyEvent last = failures.get(failures.size() - 1);
      problems.add(
          KeyTraits.count(failures.size(), "call", "calls")
              + " failed with "
              + last.errorCode()
              + " while it was disabled (the last: "
              + last.eventName()
              + " on "
              + KeyTraits.date(last.time())
              + (last.principalArn() == null ? "" : " by " + last.principalArn())
              + "), so something still depends on it");
    }
    if (key.lastUsage() != null
        && key.lastUsage().lastUsedAt() != null
        && key.lastUsage().lastUsedAt().isAfter(disabledAt)) {
      problems.add("it was used on " + KeyTraits.date(key.lastUsage().lastUsedAt()));
    }
    if (!problems.isEmpty()) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s was scheduled for deletion %s, but %s",
                  name, scheduledText, String.join("; ", problems))));
    }
    if (byDisableKey) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "%s was disabled on %s, %s days before deletion was scheduled %s,"
                      + " with no failed calls in between",
                  name, KeyTraits.date(disabledAt), dwell, scheduledText)));
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "%s has been unusable since %s (a deletion scheduled then%s, which leaves the key"
                    + " disabled), %s days before deletion was scheduled %s, with no failed calls"
                    + " in between",
                name,
                KeyTraits.date(disabledAt),
                cancelledAt == null ? "" : " and cancelled on " + KeyTraits.date(cancelledAt),
                dwell,
                scheduledText)));
  }
}

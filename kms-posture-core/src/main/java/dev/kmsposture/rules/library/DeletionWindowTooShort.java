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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Flags a key scheduled for deletion with a waiting period shorter than {@code
 * minDeletionWindowDays} (default 30, the KMS default; KMS accepts 7 to 30). The window is the
 * {@code pendingWindowInDays} of the last successful {@code ScheduleKeyDeletion} CloudTrail event,
 * or else the metadata's {@code pendingDeletionWindowInDays}. A {@code ScheduleKeyDeletion} event
 * without a window means the request omitted it, so KMS applied the API default of 30 days; the
 * key's deletion date, when known, gives the window as the days from the call to it. When neither
 * event nor metadata says, the result is UNKNOWN, because KMS's key metadata does not carry the
 * chosen window. Keys not pending deletion are not applicable.
 */
public final class DeletionWindowTooShort implements KeyRule {
  // ScheduleKeyDeletion's PendingWindowInDays when the request omits it (KMS API reference).
  private static final int API_DEFAULT = 30;

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("DeletionWindowTooShort"))
          .summary(
              "Key was scheduled for deletion with a waiting period shorter than policy allows")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "The waiting period is the only time left to notice that something still needs the key"
                  + " and to cancel the deletion. A short window leaves too little time for a"
                  + " monthly job or a quarterly report to fail and be traced back to the key.")
          .checklistItem(
              "[Optional] Disable (do not delete) CMKs that are no longer in use. KMS key deletion has"
                  + " a mandatory 7–30 day waiting period and is irreversible.")
          .references(List.of("KICS (IaC deletion window)"))
          .remediation(
              new Remediation(
                  "Cancel the deletion and schedule it again with the full waiting period.",
                  "aws kms cancel-key-deletion --key-id <key-id> && aws kms schedule-key-deletion"
                      + " --key-id <key-id> --pending-window-in-days 30",
                  "kms.cancelKeyDeletion(r -> r.keyId(keyId)); kms.scheduleKeyDeletion(r ->"
                      + " r.keyId(keyId).pendingWindowInDays(30))"))
          .addTag("lifecycle")
          .build();

  /** Creates the rule; it holds no state. */
  public DeletionWindowTooShort() {}

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
    Integer window = null;
    String source = null;
    if (key.keyEvents() != null) {
      Optional<KeyEvent> scheduled =
          KeyTraits.lastSuccessful(key.keyEvents(), "ScheduleKeyDeletion");
      if (scheduled.isPresent() && scheduled.get().pendingWindowInDays() != null) {
        window = scheduled.get().pendingWindowInDays();
        source = "ScheduleKeyDeletion on " + KeyTraits.date(scheduled.get().time());
      }
    }
    if (window == null && key.metadata().pendingDeletionWindowInDays() != null) {
      window = key.metadata().pendingDeletionWindowInDays();
      source = "key metadata";
    }
    if (window == null && key.keyEvents() != null) {
      // The request omitted PendingWindowInDays, so KMS applied its default of 30 days (KMS API
      // reference, "ScheduleKeyDeletion"); the deletion date, when known, shows the window.
      Optional<KeyEvent> scheduled =
          KeyTraits.lastSuccessful(key.keyEvents(), "ScheduleKeyDeletion");
      if (scheduled.isPresent()) {
        Instant at = scheduled.get().time();
        Instant deletion = key.metadata().deletionDate();
        long hours = deletion == null ? -1 : Duration.between(at, deletion).toHours();
        if (deletion != null && hours >= 0) {
          window = (int) Math.round(hours / 24.0);
          source =
              "ScheduleKeyDeletion on "
                  + KeyTraits.date(at)
                  + " without a window, which takes the API default of 30 days; the deletion"
                  + " date "
                  + KeyTraits.date(deletion)
                  + " says so";
          if (window != API_DEFAULT) {
            source =
                "ScheduleKeyDeletion on "
                    + KeyTraits.date(at)
                    + " without a window, and the deletion date "
                    + KeyTraits.date(deletion);
          }
        } else {
          window = API_DEFAULT;
          source =
              "ScheduleKeyDeletion on "
                  + KeyTraits.date(at)
                  + " without a window, which takes the API default of 30 days";
        }
      }
    }
    if (window == null) {
      String events =
          key.keyEvents() == null
              ? KeyTraits.missing(key, KeyPart.KEY_EVENTS, "CloudTrail key events", context)
              : "The CloudTrail key events of "
                  + context.describe(key)
                  + " hold no ScheduleKeyDeletion call with its window";
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "%s, and KMS key metadata does not carry the chosen waiting period", events)));
    }
    int min = context.config().minDeletionWindowDays();
    if (window < min) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s was scheduled for deletion with a %s waiting period (%s),"
                      + " shorter than the required %s days",
                  name, KeyTraits.count(window, "day", "days"), source, min)));
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "%s was scheduled for deletion with a %s days waiting period (%s)",
                name, window, source)));
  }
}

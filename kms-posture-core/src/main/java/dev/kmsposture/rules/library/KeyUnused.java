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
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Flags an enabled customer-managed key that has not been used for {@code unusedDays} (default 90),
 * judged from {@code GetKeyLastUsage}.
 *
 * <p>That API is tri-state (GetKeyLastUsage API reference): a last-use timestamp; no timestamp and
 * a key created on or after tracking started ({@code TrackingStartDate} is the later of the two,
 * compared here with one day of slack), which means never used; or no timestamp and a key created
 * before tracking started, which means unknown before that date. In the last case the key fails
 * only when tracking itself started more than {@code unusedDays} ago (then it has certainly been
 * idle that long); otherwise the result is UNKNOWN. Local use of data keys or public keys outside
 * KMS is invisible to it, so a failure is a lead to check, not proof.
 */
public final class KeyUnused implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KeyUnused"))
          .summary("Enabled customer-managed key has not been used for a long time")
          .severity(Severity.OPTIONAL)
          .rationale(
              "A key nobody uses is either dead weight that costs money and widens what an attacker"
                  + " could use, or a dependency used so rarely that nobody remembers it. Either way"
                  + " someone should decide: disable it and watch, or document why it is kept.")
          .checklistItem("[Optional] Disable (do not delete) CMKs that are no longer in use.")
          .references(List.of("Cloud Custodian kms-key last-usage filter"))
          .remediation(
              new Remediation(
                  "Confirm with the owner; if the key is no longer needed, disable it and watch"
                      + " CloudTrail for DisabledException for a full business cycle before scheduling"
                      + " deletion.",
                  "aws kms get-key-last-usage --key-id <key-id> && aws kms disable-key --key-id"
                      + " <key-id>",
                  "kms.disableKey(r -> r.keyId(keyId))"))
          .addTag("lifecycle")
          .build();

  /** Creates the rule; it holds no state. */
  public KeyUnused() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    KeyMetadata m = key.metadata();
    String name = context.describeCapitalized(key);
    if (!m.isCustomerManaged()) {
      return List.of(Finding.notApplicable(INFO, key, Message.of("%s is AWS managed", name)));
    }
    if (!m.keyState().equals(KeyMetadata.ENABLED)) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of("%s is %s, not enabled, so it cannot be used", name, m.keyState())));
    }
    KeyLastUsage usage = key.lastUsage();
    if (usage == null) {
      return List.of(
          Finding.unknown(
              INFO, key, KeyTraits.missing(key, KeyPart.LAST_USAGE, "last usage", context)));
    }
    Instant now = context.now();
    int limit = context.config().unusedDays();
    Instant used = usage.lastUsedAt();
    if (used != null) {
      long ago = KeyTraits.days(used, now);
      String op = usage.operation() == null ? "" : " (" + usage.operation() + ")";
      if (ago > limit) {
        return List.of(
            Finding.fail(
                INFO,
                key,
                Message.of(
                    "%s was last used on %s%s, %s days ago (more than %s)",
                    name, KeyTraits.date(used), op, ago, limit)));
      }
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "%s was last used on %s%s, %s days ago", name, KeyTraits.date(used), op, ago)));
    }
    Instant tracking = usage.trackingStartDate();
    if (tracking == null) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "%s has no recorded use, and when usage tracking started is not in"
                      + " the snapshot",
                  name)));
    }
    boolean trackedSinceCreation = !tracking.isAfter(m.creationDate().plus(Duration.ofDays(1)));
    long created = KeyTraits.days(m.creationDate(), now);
    if (trackedSinceCreation) {
      if (created > limit) {
        return List.of(
            Finding.fail(
                INFO,
                key,
                Message.of(
                    "%s has never been used since it was created on %s, %s days ago",
                    name, KeyTraits.date(m.creationDate()), created)));
      }
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "%s has not been used yet, but was created only %s ago",
                  name, KeyTraits.count(created, "day", "days"))));
    }
    long tracked = KeyTraits.days(tracking, now);
    if (tracked > limit) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s has not been used since usage tracking started on %s, %s days" + " ago",
                  name, KeyTraits.date(tracking), tracked)));
    }
    return List.of(
        Finding.unknown(
            INFO,
            key,
            Message.of(
                "%s has not been used since usage tracking started on %s, and its"
                    + " use before then is unknown (check CloudTrail)",
                name, KeyTraits.date(tracking))));
  }
}

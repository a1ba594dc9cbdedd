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
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import java.util.Optional;

/**
 * Reports a customer-managed key that cannot be used: disabled (with "since …" when the CloudTrail
 * key events know), pending import (imported material missing or expired), or unavailable (its
 * custom key store is disconnected). Informational: a disabled key is the checklist's safe first
 * step towards deletion, so the finding suggests scheduling deletion once the dwell ({@code
 * disabledBeforeDeletionDays}) has passed without failed calls. Keys pending deletion are not
 * applicable (KeyPendingDeletion reports them).
 */
public final class KeyDisabled implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KeyDisabled"))
          .summary("Customer-managed key is disabled, pending import or unavailable")
          .severity(Severity.OPTIONAL)
          .rationale(
              "A key that cannot be used still costs money and still holds the only way to decrypt"
                  + " its data. Each one should be on its way somewhere: back into use, or through a"
                  + " watched dwell towards deletion.")
          .checklistItem(
              "[Optional] Disable (do not delete) CMKs that are no longer in use. … The safe pattern"
                  + " is: disable, monitor for KMSDisabledException errors for at least one full"
                  + " business cycle (typically 30 days), then schedule deletion.")
          .references(List.of("Prowler kms_cmk_are_used", "Checkov CKV_AWS_227"))
          .remediation(
              new Remediation(
                  "Enable the key if it is still needed; otherwise, once it has been disabled for a"
                      + " full business cycle without failed calls in CloudTrail, schedule its"
                      + " deletion with a 30-day waiting period.",
                  "aws kms enable-key --key-id <key-id>   # or, after the dwell: aws kms"
                      + " schedule-key-deletion --key-id <key-id> --pending-window-in-days 30",
                  "kms.enableKey(r -> r.keyId(keyId)); // or: kms.scheduleKeyDeletion(r ->"
                      + " r.keyId(keyId).pendingWindowInDays(30))"))
          .addTag("lifecycle")
          .build();

  /** Creates the rule; it holds no state. */
  public KeyDisabled() {}

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
    if (m.isPendingDeletion()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of("%s is pending deletion; KeyPendingDeletion reports it", name)));
    }
    Optional<Finding> leftover = KeyTraits.failedProvisioningLeftover(INFO, key, context);
    if (leftover.isPresent()) {
      return List.of(leftover.get());
    }
    return switch (m.keyState()) {
      case KeyMetadata.DISABLED ->
          List.of(Finding.fail(INFO, key, disabledMessage(key, name, context)));
      case KeyMetadata.PENDING_IMPORT ->
          List.of(
              Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      "%s is pending import: its key material is missing or has expired,"
                          + " so it cannot be used until material is imported",
                      name)));
      case "Unavailable" ->
          List.of(
              Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      "%s is unavailable: its custom key store is disconnected, so it"
                          + " cannot be used",
                      name)));
      default -> List.of(Finding.pass(INFO, key, Message.of("%s is %s", name, m.keyState())));
    };
  }

  private static String disabledMessage(KeySnapshot key, String name, RuleContext context) {
    int dwell = context.config().disabledBeforeDeletionDays();
    Optional<KeyEvent> disabled =
        key.keyEvents() == null
            ? Optional.empty()
            : KeyTraits.lastSuccessful(key.keyEvents(), "DisableKey");
    if (disabled.isEmpty()) {
      return name
          + " is disabled; if nothing has failed with DisabledException for "
          + dwell
          + " days, schedule its deletion, otherwise enable it";
    }
    long days = KeyTraits.days(disabled.get().time(), context.now());
    String since =
        name
            + " has been disabled since "
            + KeyTraits.date(disabled.get().time())
            + " ("
            + KeyTraits.count(days, "day", "days")
            + ")";
    if (days >= dwell) {
      return since
          + "; the "
          + dwell
          + "-day dwell has passed: if nothing failed with DisabledException meanwhile, schedule"
          + " its deletion";
    }
    return since
        + "; watch CloudTrail for DisabledException until "
        + dwell
        + " days have passed before scheduling deletion";
  }
}

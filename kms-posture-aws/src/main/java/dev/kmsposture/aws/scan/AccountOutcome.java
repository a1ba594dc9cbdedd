package dev.kmsposture.aws.scan;

import dev.kmsposture.policy.AccountId;
import java.util.Objects;

/**
 * What happened to one account of an organization scan. Small on purpose: the organization's result
 * holds one per account, while the snapshots themselves went to the {@link SnapshotSink}.
 *
 * @param account the account id
 * @param name the account name (empty when not known)
 * @param status scanned, failed (could not be scanned: the role could not be assumed, …) or skipped
 *     (not {@code ACTIVE})
 * @param reason why it failed or was skipped; for a scanned account, empty or what to know (such as
 *     collection errors)
 * @param keys keys in its snapshot (0 unless scanned)
 * @param keysWithUnreadableParts keys with a part that could not be read
 * @param collectionErrors collection errors in its snapshot
 */
public record AccountOutcome(
    AccountId account,
    String name,
    Status status,
    String reason,
    int keys,
    int keysWithUnreadableParts,
    int collectionErrors) {

  /** What happened to the account. */
  public enum Status {
    /** Scanned; its snapshot went to the sink. */
    SCANNED,
    /** Could not be scanned (role not assumable, snapshot not written, …); never silently. */
    FAILED,
    /** Not scanned because its state is not {@code ACTIVE}. */
    SKIPPED
  }

  /** Checks for nulls. */
  public AccountOutcome {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }
}

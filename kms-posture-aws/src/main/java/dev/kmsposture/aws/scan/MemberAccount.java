package dev.kmsposture.aws.scan;

import dev.kmsposture.policy.AccountId;
import java.util.Objects;

/**
 * An account to scan, as AWS Organizations' {@code ListAccounts} describes it.
 *
 * @param id the account id
 * @param name the account name (empty when not known)
 * @param state the account's {@code State}: {@code ACTIVE}, {@code SUSPENDED}, {@code
 *     PENDING_CLOSURE}, {@code CLOSED}, {@code PENDING_ACTIVATION}, … Only {@code ACTIVE} accounts
 *     are scanned; the others are reported as skipped, with their state.
 */
public record MemberAccount(AccountId id, String name, String state) {
  /** The state of an account that can be scanned. */
  public static final String ACTIVE = "ACTIVE";

  /** Checks for nulls. */
  public MemberAccount {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }

  /** An active account known only by its id (for a list of accounts the caller gives). */
  public static MemberAccount active(AccountId id) {
    return new MemberAccount(id, "", ACTIVE);
  }

  /** Whether the account is {@code ACTIVE}. */
  public boolean isActive() {
    return state.equals(ACTIVE);
  }
}

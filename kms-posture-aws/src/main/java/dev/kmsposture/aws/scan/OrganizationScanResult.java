package dev.kmsposture.aws.scan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The combined result of an organization scan: one outcome per account, in account order.
 *
 * @param outcomes every account listed: scanned, failed or skipped
 * @param duration how long the scan took
 */
public record OrganizationScanResult(List<AccountOutcome> outcomes, Duration duration) {
  /** Copies the outcomes. */
  public OrganizationScanResult {
    outcomes = List.copyOf(outcomes);
    Objects.requireNonNull(duration, "duration");
  }

  /** The outcomes with {@code status}. */
  public List<AccountOutcome> withStatus(AccountOutcome.Status status) {
    return outcomes.stream().filter(o -> o.status() == status).toList();
  }

  /** Whether some account could not be scanned. */
  public boolean hasFailures() {
    return outcomes.stream().anyMatch(o -> o.status() == AccountOutcome.Status.FAILED);
  }
}

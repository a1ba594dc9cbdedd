package dev.kmsposture.aws.scan;

import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.Objects;

/**
 * What a scan produced: the snapshot the rules judge, and what it cost.
 *
 * @param snapshot the account snapshot
 * @param statistics the calls made, retries, the retry modes seen and the quota bound
 */
public record ScanResult(AccountSnapshot snapshot, ScanStatistics statistics) {
  /** Checks for nulls. */
  public ScanResult {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(statistics, "statistics");
  }
}

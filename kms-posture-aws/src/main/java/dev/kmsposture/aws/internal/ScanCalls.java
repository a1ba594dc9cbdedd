package dev.kmsposture.aws.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How every request of a scan is made: wait for the quota's permit, count the call, carry the
 * ledger as metric publisher (and the per-call timeout), and, when the SDK's own retries are spent
 * on a throttled or failing request, retry a few more times after a pause — a listing that fails
 * would otherwise lose every key after it.
 *
 * <p>Thread-safe.
 */
public final class ScanCalls {
  /** Where a page of a paginated list ends: its next marker and its truncated flag. */
  public interface Pages<P> {
    /** The SDK paginator's page iterator, started at {@code marker} (null: the first page). */
    Iterator<P> from(@Nullable String marker);

    /** The page's {@code NextMarker}, or null. */
    @Nullable String nextMarker(P page);

    /** The page's {@code Truncated}, or null when the service left it out. */
    @Nullable Boolean truncated(P page);
  }

  private final QuotaLimiters limiters;
  private final CallLedger ledger;
  private final ScanDeadline deadline;
  private final int scanRetries;
  private final Duration retryPause;
  private final AwsRequestOverrideConfiguration override;

  /**
   * Creates the calls of one account's scan.
   *
   * @param limiters the account's rate limits
   * @param ledger where calls are counted
   * @param deadline when the scan must stop
   * @param scanRetries how many times a request is retried after the SDK gave up
   * @param retryPause the first pause before such a retry (doubled each time, with jitter)
   * @param callTimeout the longest one call may take, retries included, or null for the client's
   */
  public ScanCalls(
      QuotaLimiters limiters,
      CallLedger ledger,
      ScanDeadline deadline,
      int scanRetries,
      Duration retryPause,
      @Nullable Duration callTimeout) {
    this.limiters = Objects.requireNonNull(limiters, "limiters");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.scanRetries = scanRetries;
    this.retryPause = Objects.requireNonNull(retryPause, "retryPause");
    AwsRequestOverrideConfiguration.Builder o =
        AwsRequestOverrideConfiguration.builder().addMetricPublisher(ledger);
    if (callTimeout != null) {
      o.apiCallTimeout(callTimeout);
    }
    this.override = o.build();
  }

  /** The override configuration every request carries (ledger as metric publisher, timeout). */
  public AwsRequestOverrideConfiguration override() {
    return override;
  }

  /** The scan's deadline. */
  public ScanDeadline deadline() {
    return deadline;
  }

  /** The ledger calls are counted in. */
  public CallLedger ledger() {
    return ledger;
  }

  /** The rate limits. */
  public QuotaLimiters limiters() {
    return limiters;
  }

  /**
   * Makes one request of {@code operation} in {@code region}.
   *
   * @throws SdkException what the request finally failed with
   * @throws CancellationException if the thread was interrupted
   * @throws ScanDeadline.Exceeded if the scan's time is up
   */
  public <T> T call(String region, String operation, Supplier<T> request) {
    for (int retry = 0; ; retry++) {
      permit(region, operation);
      try {
        return request.get();
      } catch (SdkException e) {
        if (retry < scanRetries && isRetryable(e)) {
          ledger.retriedByScanner(operation);
          pause(retry);
          continue;
        }
        throw cancellationOr(e);
      }
    }
  }

  /**
   * Reads every page of a paginated list through the SDK paginator, one permit per page. Follows
   * the service's {@code Truncated} flag as the SDK does; when the flag is missing (emulators leave
   * it out) and a {@code NextMarker} is present, continues from that marker instead of stopping, so
   * no item is lost. After the SDK's retries, a failed page is retried from the last page read.
   *
   * @throws SdkException what a page finally failed with
   * @throws IllegalStateException if the service said the list is truncated but gave no marker
   */
  public <P> void pages(String region, String operation, Pages<P> pages, Consumer<P> onPage) {
    String marker = null;
    Iterator<P> iterator = null;
    int retries = 0;
    while (true) {
      permit(region, operation);
      P page;
      try {
        if (iterator == null) {
          iterator = pages.from(marker);
        }
        page = iterator.next();
      } catch (SdkException e) {
        if (retries < scanRetries && isRetryable(e)) {
          retries++;
          ledger.retriedByScanner(operation);
          pause(retries - 1);
          iterator = null;
          continue;
        }
        throw cancellationOr(e);
      } catch (NoSuchElementException e) {
        throw new IllegalStateException(
            "bug in kms-posture: the paginator of " + operation + " ended before its last page", e);
      }
      onPage.accept(page);
      Boolean truncated = pages.truncated(page);
      String next = pages.nextMarker(page);
      if (Boolean.TRUE.equals(truncated)) {
        if (next == null || next.equals(marker)) {
          throw new IllegalStateException(
              String.format(
                  "%s answered Truncated=true without a new NextMarker; the rest of the list"
                      + " cannot be read",
                  operation));
        }
        marker = next;
      } else if (truncated == null && next != null && !next.equals(marker)) {
        // The SDK stops here; the service says there is more.
        marker = next;
        iterator = null;
      } else {
        return;
      }
    }
  }

  private void permit(String region, String operation) {
    deadline.check();
    limiters.acquire(region, operation, deadline);
    ledger.called(region, operation);
  }

  private RuntimeException cancellationOr(SdkException e) {
    if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
      CancellationException cancelled = new CancellationException("the scan was cancelled");
      cancelled.initCause(e);
      return cancelled;
    }
    return e;
  }

  /** Whether a request that failed after the SDK's retries may succeed a little later. */
  static boolean isRetryable(SdkException e) {
    if (e instanceof AbortedException || e instanceof ApiCallTimeoutException) {
      return false;
    }
    if (e instanceof AwsServiceException service) {
      return service.isThrottlingException() || service.statusCode() >= 500;
    }
    // Connection reset, read timeout of one attempt: the network, not the request.
    return e instanceof SdkClientException && e.getCause() instanceof IOException;
  }

  private void pause(int retry) {
    long base = retryPause.toMillis() << Math.min(retry, 10);
    long millis = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    try {
      deadline.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("the scan was cancelled while it paused before a retry");
    }
  }
}

package dev.kmsposture.aws.internal;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.model.KmsException;

class ScanCallsTest {
  /** A page of a fake list: items, its marker, and the truncated flag as the service sent it. */
  record Page(List<Integer> items, @Nullable String next, @Nullable Boolean truncated) {}

  /**
   * A paginated list of {@code total} items in pages of {@code size}, whose service leaves out
   * {@code Truncated} when {@code omitTruncated}; the iterator follows the SDK's rule (continue
   * only while Truncated is true).
   */
  static final class FakeList implements ScanCalls.Pages<Page> {
    final int total;
    final int size;
    final boolean omitTruncated;
    final List<@Nullable String> startedAt = new ArrayList<>();
    int failuresLeft;
    int requests;

    FakeList(int total, int size, boolean omitTruncated) {
      this.total = total;
      this.size = size;
      this.omitTruncated = omitTruncated;
    }

    Page fetch(@Nullable String marker) {
      requests++;
      if (failuresLeft > 0) {
        failuresLeft--;
        throw throttled();
      }
      int start = marker == null ? 0 : Integer.parseInt(marker);
      int end = Math.min(total, start + size);
      List<Integer> items = new ArrayList<>();
      for (int i = start; i < end; i++) {
        items.add(i);
      }
      boolean more = end < total;
      return new Page(
          items, more ? Integer.toString(end) : null, omitTruncated ? null : Boolean.valueOf(more));
    }

    @Override
    public Iterator<Page> from(@Nullable String marker) {
      startedAt.add(marker);
      return new Iterator<>() {
        @Nullable Page last;
        boolean started;

        @Override
        public boolean hasNext() {
          return !started || Boolean.TRUE.equals(last == null ? null : last.truncated());
        }

        @Override
        public Page next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Page p = fetch(started ? requireNonNull(last).next() : marker);
          started = true;
          last = p;
          return p;
        }
      };
    }

    @Override
    public @Nullable String nextMarker(Page page) {
      return page.next();
    }

    @Override
    public @Nullable Boolean truncated(Page page) {
      return page.truncated();
    }
  }

  static AwsServiceException throttled() {
    return KmsException.builder()
        .statusCode(400)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode("ThrottlingException")
                .errorMessage("Rate exceeded")
                .build())
        .build();
  }

  private static ScanCalls calls(int retries) {
    CallLedger ledger = new CallLedger();
    return new ScanCalls(
        new QuotaLimiters(Map.of("ListKeys", 1_000_000.0), 1.0, System::nanoTime),
        ledger,
        ScanDeadline.after(null),
        retries,
        Duration.ZERO,
        null);
  }

  @Test
  void pages_everyItemReadOncePermitPerPage_whateverTheSizes() {
    qt().withExamples(200)
        .forAll(integers().between(0, 60), integers().between(1, 7), integers().between(0, 1))
        .checkAssert(
            (total, size, omit) -> {
              FakeList list = new FakeList(total, size, omit == 1);
              ScanCalls calls = calls(0);
              List<Integer> read = new ArrayList<>();

              calls.pages("us-east-1", "ListKeys", list, p -> read.addAll(p.items()));

              List<Integer> all = new ArrayList<>();
              for (int i = 0; i < total; i++) {
                all.add(i);
              }
              assertThat(read).isEqualTo(all);
              long pages = Math.max(1, (total + size - 1) / size);
              assertThat(list.requests).isEqualTo((int) pages);
              assertThat(calls.ledger().callsByOperation()).containsEntry("ListKeys", pages);
            });
  }

  @Test
  void pages_missingTruncatedFlag_continuesFromTheMarkerWhereTheSdkWouldStop() {
    FakeList list = new FakeList(5, 2, true);
    List<Integer> read = new ArrayList<>();

    calls(0).pages("us-east-1", "ListKeys", list, p -> read.addAll(p.items()));

    assertThat(read).containsExactly(0, 1, 2, 3, 4);
    assertThat(list.startedAt).containsExactly(null, "2", "4");
  }

  @Test
  void pages_failureAfterSdkRetries_resumesFromTheLastPageRead() {
    FakeList list = new FakeList(6, 2, false);
    AtomicInteger pagesSeen = new AtomicInteger();
    List<Integer> read = new ArrayList<>();
    ScanCalls calls = calls(2);

    calls.pages(
        "us-east-1",
        "ListKeys",
        list,
        p -> {
          read.addAll(p.items());
          if (pagesSeen.incrementAndGet() == 1) {
            list.failuresLeft = 2; // the second page fails twice, then succeeds
          }
        });

    assertThat(read).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(list.startedAt).containsExactly(null, "2", "2");
    assertThat(calls.ledger().scanRetriesByOperation()).containsEntry("ListKeys", 2L);
  }

  @Test
  void pages_failuresBeyondTheRetries_surface() {
    FakeList list = new FakeList(6, 2, false);
    list.failuresLeft = 3;

    assertThatThrownBy(() -> calls(2).pages("us-east-1", "ListKeys", list, p -> {}))
        .isInstanceOf(AwsServiceException.class);
  }

  @Test
  void pages_truncatedWithoutMarker_isAnErrorNotAnEndlessLoop() {
    ScanCalls.Pages<Page> broken =
        new ScanCalls.Pages<>() {
          @Override
          public Iterator<Page> from(@Nullable String marker) {
            return List.of(new Page(List.of(1), null, true)).iterator();
          }

          @Override
          public @Nullable String nextMarker(Page page) {
            return page.next();
          }

          @Override
          public @Nullable Boolean truncated(Page page) {
            return page.truncated();
          }
        };

    assertThatThrownBy(() -> calls(0).pages("us-east-1", "ListKeys", broken, p -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "ListKeys answered Truncated=true without a new NextMarker; the rest of the list cannot"
                + " be read");
  }

  @Test
  void call_accessDenied_isNotRetried() {
    AtomicInteger tries = new AtomicInteger();
    ScanCalls calls = calls(2);

    assertThatThrownBy(
            () ->
                calls.call(
                    "us-east-1",
                    "ListKeys",
                    () -> {
                      tries.incrementAndGet();
                      throw KmsException.builder()
                          .statusCode(400)
                          .awsErrorDetails(
                              AwsErrorDetails.builder().errorCode("AccessDeniedException").build())
                          .build();
                    }))
        .isInstanceOf(KmsException.class);
    assertThat(tries).hasValue(1);
  }

  @Test
  void call_interruptedThread_isCancelledBeforeCalling() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> calls(0).call("us-east-1", "ListKeys", () -> "called"))
          .isInstanceOf(CancellationException.class);
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt flag stays set").isTrue();
    }
  }

  @Test
  void call_afterTheDeadline_isNotMade() throws InterruptedException {
    ScanDeadline deadline = ScanDeadline.after(Duration.ofMillis(1));
    Thread.sleep(5);
    ScanCalls calls =
        new ScanCalls(
            new QuotaLimiters(Map.of(), 1.0, System::nanoTime),
            new CallLedger(),
            deadline,
            0,
            Duration.ZERO,
            null);

    assertThatThrownBy(() -> calls.call("us-east-1", "ListKeys", () -> "called"))
        .isInstanceOf(ScanDeadline.Exceeded.class)
        .hasMessage("the scan's timeout of PT0.001S ended first");
  }
}

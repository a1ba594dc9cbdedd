package dev.kmsposture.aws.scan;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.CollectionError;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testkit.kms.Fault;
import dev.kmsposture.testkit.kms.LocalKms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class KmsScannerFailureTest {

  @Test
  void scan_regionDenied_isACollectionErrorAndTheOtherRegionCompletes() {
    try (SeededAccount account =
        SeededAccount.start(
            LocalKms.builder()
                .maxPageSize(3)
                .fault(
                    Fault.errorAfterCommit(
                            400,
                            "AccessDeniedException",
                            "User: arn:aws:iam::123456789012:role/scanner is not authorized to"
                                + " perform: kms:ListKeys")
                        .forRegions("eu-west-1")
                        .forOperations("ListKeys")),
            4)) {
      AccountSnapshot snapshot =
          account.scanner().options(o -> o.quota("GetKeyLastUsage", 1000)).build().scan();

      assertThat(snapshot.collectionErrors())
          .containsExactly(
              new CollectionError(
                  "eu-west-1",
                  "ListKeys",
                  "AccessDeniedException: User: arn:aws:iam::123456789012:role/scanner is not"
                      + " authorized to perform: kms:ListKeys"));
      assertThat(snapshot.keys()).allMatch(k -> k.region().equals("us-east-1"));
      long eastKeys =
          KmsScannerTest.expected(account.seedKeys).stream()
              .filter(e -> e.region().equals("us-east-1"))
              .count();
      assertThat(snapshot.keys()).hasSize((int) eastKeys);
      assertThat(snapshot.keys()).allSatisfy(k -> assertThat(k.unreadable()).isEmpty());
      assertThat(snapshot.regions()).containsExactly("eu-west-1", "us-east-1");
    }
  }

  @Test
  void scan_noClientForARegion_isACollectionErrorNamingTheRegion() {
    try (SeededAccount account = SeededAccount.start(3, 0)) {
      AccountSnapshot snapshot =
          KmsScanner.builder()
              .kmsClients(
                  region -> {
                    if (region.equals(Region.EU_WEST_1)) {
                      throw new IllegalStateException("no credentials for eu-west-1");
                    }
                    return account.kms(region);
                  },
                  List.of(SeededAccount.EAST, SeededAccount.WEST))
              .stsClient(account.sts())
              .options(o -> o.quota("GetKeyLastUsage", 1000))
              .build()
              .scan();

      assertThat(snapshot.collectionErrors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.region()).isEqualTo("eu-west-1");
                assertThat(e.operation()).isEqualTo("KmsClient");
                assertThat(e.message()).contains("no credentials for eu-west-1");
              });
      assertThat(snapshot.keys()).isNotEmpty().allMatch(k -> k.region().equals("us-east-1"));
    }
  }

  @Test
  void scan_timeout_keepsEveryListedKeyMarkingWhatWasNotRead() {
    try (SeededAccount account =
        SeededAccount.start(
            LocalKms.builder()
                .maxPageSize(50)
                .fault(Fault.latency(Duration.ofMillis(400)).forOperations("DescribeKey")),
            12)) {
      long start = System.nanoTime();
      AccountSnapshot snapshot =
          account
              .scanner()
              .options(
                  o ->
                      o.timeout(Duration.ofMillis(1500))
                          .concurrency(2)
                          .quota("GetKeyLastUsage", 1000))
              .build()
              .scan();
      double seconds = (System.nanoTime() - start) / 1e9;

      assertThat(seconds).as("the scan stops near its timeout").isLessThan(6);
      assertThat(snapshot.keys()).hasSize(SeededAccount.keysIn(account.seedKeys));
      List<KeySnapshot> notRead =
          snapshot.keys().stream()
              .filter(k -> k.unreadable().containsKey(KeyPart.METADATA))
              .toList();
      assertThat(notRead).isNotEmpty();
      assertThat(notRead)
          .allSatisfy(
              k ->
                  assertThat(k.unreadable().get(KeyPart.METADATA))
                      .isEqualTo("not read: the scan's timeout of PT1.5S ended first"));
      assertThat(snapshot.keys().size() - notRead.size()).as("some keys were read").isPositive();
    }
  }

  @Test
  void scan_interrupted_cancelsPromptlyAndStopsItsThreads() throws Exception {
    try (SeededAccount account =
        SeededAccount.start(LocalKms.builder().fault(Fault.latency(Duration.ofMillis(300))), 20)) {
      KmsScanner scanner = account.scanner().options(o -> o.concurrency(4)).build();
      AtomicReference<Thread> worker = new AtomicReference<>();
      CompletableFuture<AccountSnapshot> scan =
          CompletableFuture.supplyAsync(
              () -> {
                worker.set(Thread.currentThread());
                return scanner.scan();
              });
      Thread.sleep(1500);
      long start = System.nanoTime();
      requireNonNull(worker.get(), "the scan has not started").interrupt();

      assertThatThrownBy(() -> scan.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(CancellationException.class);
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (scanThreads() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(scanThreads()).as("scan threads still running").isZero();
    }
  }

  private static long scanThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("kms-posture-scan-") && t.isAlive())
        .count();
  }
}

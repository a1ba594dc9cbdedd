package dev.kmsposture.aws.scan;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testkit.kms.Fault;
import dev.kmsposture.testkit.kms.InjectedFault;
import dev.kmsposture.testkit.kms.LocalKms;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scanner under injected faults: 20% of every KMS request throttled, 1% of {@code GetKeyPolicy}
 * denied. Every key must be accounted for, and no rule may pass on what could not be read.
 */
class KmsScannerFaultTest {
  private static final int EXTRA = 260;

  @Test
  void scan_withThrottlingAndDeniedPolicies_losesNoKeyAndPassesNothingUnread() {
    // given: the clean scan of the account, and the same account scanned under faults
    AccountSnapshot clean;
    try (SeededAccount account = SeededAccount.start(LocalKms.builder().maxPageSize(25), EXTRA)) {
      clean = fast(account).build().scan();
    }
    AccountSnapshot faulty;
    List<InjectedFault> injected;
    try (SeededAccount account =
        SeededAccount.start(
            LocalKms.builder()
                .maxPageSize(25)
                .faultSeed(11)
                .fault(Fault.throttling().withProbability(0.20))
                .fault(
                    Fault.errorAfterCommit(
                            400,
                            "AccessDeniedException",
                            "User: arn:aws:iam::123456789012:role/scanner is not authorized to"
                                + " perform: kms:GetKeyPolicy")
                        .forOperations("GetKeyPolicy")
                        .withProbability(0.01)),
            EXTRA)) {
      faulty = fast(account).build().scan();
      injected = account.kms.faults().injected();
    }

    // then: faults were met
    Map<String, Long> byCode =
        injected.stream()
            .collect(Collectors.groupingBy(InjectedFault::errorCode, Collectors.counting()));
    assertThat(byCode.get("ThrottlingException")).isGreaterThan(100);
    assertThat(byCode.get("AccessDeniedException")).isPositive();

    // every key is there, scanned or marked
    assertThat(faulty.keys())
        .extracting(KeySnapshot::arn)
        .containsExactlyElementsOf(clean.keys().stream().map(KeySnapshot::arn).toList());
    assertThat(faulty.collectionErrors()).isEmpty();
    List<KeySnapshot> deniedPolicy =
        faulty.keys().stream().filter(k -> k.unreadable().containsKey(KeyPart.POLICY)).toList();
    assertThat(deniedPolicy)
        .hasSize(requireNonNull(byCode.get("AccessDeniedException")).intValue());
    assertThat(deniedPolicy)
        .allSatisfy(
            k -> {
              assertThat(k.policy()).isNull();
              assertThat(k.unreadable().get(KeyPart.POLICY)).startsWith("AccessDeniedException: ");
            });
    // throttling was absorbed by retries: everything else read
    assertThat(faulty.keys())
        .filteredOn(k -> !deniedPolicy.contains(k))
        .allSatisfy(k -> assertThat(k.unreadable()).as(k.arn()).isEmpty());

    // no rule passes on unread data: against the clean scan, a finding only stays or turns UNKNOWN
    PostureEngine engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
    PostureReport cleanReport = engine.check(clean);
    PostureReport faultyReport = engine.check(faulty);
    Map<String, Status> before = statuses(cleanReport);
    Map<String, Status> after = statuses(faultyReport);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    Set<String> denied = deniedPolicy.stream().map(KeySnapshot::arn).collect(Collectors.toSet());
    int turnedUnknown = 0;
    for (Map.Entry<String, Status> e : after.entrySet()) {
      Status was = before.get(e.getKey());
      if (e.getValue() != was) {
        assertThat(e.getValue()).as(e.getKey() + " was " + was).isEqualTo(Status.UNKNOWN);
        assertThat(denied)
            .as(e.getKey())
            .contains(e.getKey().substring(e.getKey().indexOf(' ') + 1));
        turnedUnknown++;
      }
    }
    assertThat(turnedUnknown).isPositive();
    for (Finding f : faultyReport.findings()) {
      if (denied.contains(f.keyArn()) && f.message().contains("key policy")) {
        assertThat(f.status()).as(f.ruleId() + " on " + f.keyArn()).isNotEqualTo(Status.PASS);
      }
    }
  }

  private static Map<String, Status> statuses(PostureReport report) {
    Map<String, Status> m = new HashMap<>();
    for (Finding f : report.findings()) {
      m.put(f.ruleId() + " " + f.keyArn(), f.status());
    }
    return m;
  }

  /**
   * Fast quotas, and clients in STANDARD retry mode: this test is about faults, not rates. (In
   * ADAPTIVE_V2 mode the clients slow down at every throttle, as they should against real KMS, and
   * 20% throttling whatever the rate would make them crawl.)
   */
  private static KmsScanner.Builder fast(SeededAccount account) {
    return account
        .retryMode(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
        .scanner()
        .options(
            o -> {
              for (String op :
                  List.of(
                      "GetKeyLastUsage",
                      "ListGrants",
                      "ListKeyRotations",
                      "DescribeKey",
                      "GetKeyPolicy",
                      "GetKeyRotationStatus",
                      "ListResourceTags",
                      "ListKeys",
                      "ListAliases")) {
                o.quota(op, 100_000);
              }
              o.concurrency(16).retryPause(java.time.Duration.ofMillis(50));
            });
  }
}

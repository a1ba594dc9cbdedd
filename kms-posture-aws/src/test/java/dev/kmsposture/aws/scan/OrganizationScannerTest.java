package dev.kmsposture.aws.scan;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testkit.kms.AssumableRole;
import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import dev.kmsposture.testkit.kms.Organization;
import dev.kmsposture.testkit.kms.OrganizationAccount;
import dev.kmsposture.testkit.kms.SeedKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/** An organization in the embedded KMS, scanned over real HTTP through a read-only audit role. */
class OrganizationScannerTest {
  private static final AccountId MANAGEMENT = AccountId.of("123456789012");
  private static final String ROLE_PATTERN = "arn:aws:iam::{account}:role/audit/KmsPostureAudit";
  private static final String EXTERNAL_ID = "posture-ext-2026";
  private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  @TempDir Path snapshots;

  private static AccountId member(int i) {
    return AccountId.of(String.format("2000000000%02d", i));
  }

  private static String roleOf(AccountId account) {
    return ROLE_PATTERN.replace("{account}", account.value());
  }

  /** The keys of every account: a few symmetric keys, one more per account index. */
  private static List<SeedKey> keys(AccountId account, int n) {
    List<SeedKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(
          SeedKey.builder()
              .account(account.value())
              .region("us-east-1")
              .description("key " + i + " of " + account.value())
              .creationDate(Instant.parse("2026-03-01T00:00:00Z"))
              .addAlias("alias/k" + i)
              .build());
    }
    return keys;
  }

  @Test
  void scan_organizationOfTwenty_twoRolesNotAssumable_eighteenSnapshotsAndTwoFailures()
      throws IOException {
    // given: the management account and 19 members, one more member suspended; 17 members trust
    // the management account with the audit role, one member's role trusts another account, one
    // has no audit role at all
    Organization.Builder org = Organization.builder("o-a1b2c3d4e5", MANAGEMENT);
    LocalKms.Builder kms = LocalKms.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC));
    List<SeedKey> seed = new ArrayList<>(keys(MANAGEMENT, 2));
    for (int i = 1; i <= 19; i++) {
      AccountId a = member(i);
      org.account(OrganizationAccount.builder(a).name("member-" + i).build());
      seed.addAll(keys(a, 1 + i % 3));
      if (i == 7) {
        kms.assumableRole(AssumableRole.builder(roleOf(a)).trust("999999999999").build());
      } else if (i != 13) {
        kms.assumableRole(
            AssumableRole.builder(roleOf(a))
                .trust(MANAGEMENT.value())
                .requireExternalId(EXTERNAL_ID)
                .build());
      }
    }
    AccountId suspended = AccountId.of("200000000099");
    org.account(OrganizationAccount.builder(suspended).state("SUSPENDED").build());
    kms.organization(org.build()).seed(KmsSeed.builder().keys(seed).build());
    List<AccountProgress> progress = new ArrayList<>();

    try (LocalKmsServer server = LocalKmsServer.start(kms.build());
        SdkHttpClient http = UrlConnectionHttpClient.create();
        StsClient sts = sts(server)) {
      // when
      OrganizationScanResult result =
          OrganizationScanner.builder()
              .stsClient(sts)
              .credentials(SeededAccount.credentials())
              .accounts(
                  AccountLister.organizations(
                      http, SeededAccount.credentials(), Region.US_EAST_1, server.endpoint()))
              .auditRole(AuditRole.arnPattern(ROLE_PATTERN).withExternalId(EXTERNAL_ID))
              .regions(List.of(Region.US_EAST_1))
              .clients(clients(server))
              .sink(SnapshotSink.directory(snapshots))
              .options(o -> o.quota("GetKeyLastUsage", 1000).concurrency(4))
              .accountConcurrency(4)
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .progressListener(
                  p -> {
                    synchronized (progress) {
                      progress.add(
                          new AccountProgress(
                              p.accountsFound(), p.accountsScanned(), p.accountsFailed()));
                    }
                  })
              .build()
              .scan();

      // then
      assertThat(result.outcomes()).hasSize(21);
      assertThat(result.withStatus(AccountOutcome.Status.SCANNED)).hasSize(18);
      assertThat(result.withStatus(AccountOutcome.Status.FAILED))
          .extracting(o -> o.account().value())
          .containsExactly(member(7).value(), member(13).value());
      assertThat(result.withStatus(AccountOutcome.Status.FAILED))
          .allSatisfy(
              o ->
                  assertThat(o.reason())
                      .startsWith("cannot assume the audit role " + roleOf(o.account()) + ": ")
                      .contains("AccessDenied"));
      assertThat(result.withStatus(AccountOutcome.Status.SKIPPED))
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.account()).isEqualTo(suspended);
                assertThat(o.reason()).contains("SUSPENDED");
              });
      List<Path> files;
      try (Stream<Path> listed = Files.list(snapshots)) {
        files = listed.sorted().toList();
      }
      assertThat(files).hasSize(18);
      for (AccountOutcome o : result.withStatus(AccountOutcome.Status.SCANNED)) {
        AccountSnapshot s =
            AccountSnapshot.parse(
                Files.readString(snapshots.resolve(o.account().value() + ".json")));
        assertThat(s.account()).isEqualTo(o.account().value());
        int expected =
            o.account().equals(MANAGEMENT)
                ? 2
                : 1 + Integer.parseInt(o.account().value().substring(10)) % 3;
        assertThat(s.keys()).as(o.account().value()).hasSize(expected);
        assertThat(s.keys()).allSatisfy(k -> assertThat(k.unreadable()).isEmpty());
        assertThat(s.keys()).extracting(KeySnapshot::account).containsOnly(o.account().value());
        assertThat(o.keys()).isEqualTo(expected);
      }
      AccountProgress last = progress.get(progress.size() - 1);
      assertThat(last).isEqualTo(new AccountProgress(20, 18, 2));
    }
  }

  record AccountProgress(int found, int scanned, int failed) {}

  @Test
  void scan_emptyPageWithToken_keepsListing() {
    AccountId b = member(2);
    List<String> tokens = new ArrayList<>();
    AccountLister lister =
        token -> {
          tokens.add(String.valueOf(token));
          if (token == null) {
            return new AccountPage(List.of(MemberAccount.active(MANAGEMENT)), "t1");
          }
          if (token.equals("t1")) {
            return new AccountPage(List.of(), "t2");
          }
          return new AccountPage(List.of(new MemberAccount(b, "b", "ACTIVE")), null);
        };
    LocalKms.Builder kms =
        LocalKms.builder()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .seed(
                KmsSeed.builder()
                    .keys(Stream.concat(keys(MANAGEMENT, 1).stream(), keys(b, 1).stream()).toList())
                    .build())
            .assumableRole(AssumableRole.builder(roleOf(b)).trust(MANAGEMENT.value()).build());
    try (LocalKmsServer server = LocalKmsServer.start(kms.build());
        StsClient sts = sts(server)) {
      OrganizationScanResult result =
          OrganizationScanner.builder()
              .stsClient(sts)
              .credentials(SeededAccount.credentials())
              .accounts(lister)
              .auditRole(AuditRole.arnPattern(ROLE_PATTERN))
              .regions(List.of(Region.US_EAST_1))
              .clients(clients(server))
              .options(o -> o.quota("GetKeyLastUsage", 1000))
              .build()
              .scan();

      assertThat(tokens).containsExactly("null", "t1", "t2");
      assertThat(result.outcomes())
          .extracting(o -> o.account().value() + " " + o.status())
          .containsExactly(MANAGEMENT.value() + " SCANNED", b.value() + " SCANNED");
    }
  }

  @Test
  void scan_longScan_renewsRoleSessionsBeforeTheyExpire() {
    // given: 15-minute sessions, and a clock that moves five minutes for every four keys read
    MutableClock clock = new MutableClock(NOW);
    AccountId member = member(1);
    LocalKms.Builder kms =
        LocalKms.builder()
            .clock(clock)
            .seed(KmsSeed.builder().keys(keys(member, 24)).build())
            .assumableRole(AssumableRole.builder(roleOf(member)).trust(MANAGEMENT.value()).build());
    AtomicLong lastKeys = new AtomicLong();
    try (LocalKmsServer server = LocalKmsServer.start(kms.build());
        StsClient sts = sts(server)) {
      OrganizationScanResult result =
          OrganizationScanner.builder()
              .stsClient(sts)
              .credentials(SeededAccount.credentials())
              .accounts(List.of(member))
              .auditRole(AuditRole.arnPattern(ROLE_PATTERN))
              .regions(List.of(Region.US_EAST_1))
              .clients(clients(server))
              .sink(SnapshotSink.directory(snapshots))
              .options(o -> o.quota("GetKeyLastUsage", 1000).concurrency(1))
              .sessionDuration(Duration.ofMinutes(15))
              .clock(clock)
              .progressListener(
                  p -> {
                    if (p.keysScanned() / 4 > lastKeys.get()) {
                      lastKeys.set(p.keysScanned() / 4);
                      clock.advance(Duration.ofMinutes(5));
                    }
                  })
              .build()
              .scan();

      // then: 24 keys over 30 minutes of clock, none lost to an expired session
      AccountOutcome outcome = result.outcomes().get(0);
      assertThat(outcome.status()).isEqualTo(AccountOutcome.Status.SCANNED);
      assertThat(outcome.keys()).isEqualTo(24);
      assertThat(outcome.keysWithUnreadableParts()).isZero();
      assertThat(outcome.reason()).containsPattern("[1-9] session renewals");
      assertThat(clock.instant()).isAfter(NOW.plus(Duration.ofMinutes(25)));
    }
  }

  @Test
  void build_missingPieces_namesThem() {
    assertThatThrownBy(() -> OrganizationScanner.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the organization scanner needs stsClient, credentials, accounts, regions, clients; set"
                + " them on the builder");
  }

  @Test
  void scan_otherAccountsWithoutAuditRole_isRefusedNamingWhy() {
    try (LocalKmsServer server =
            LocalKmsServer.start(
                LocalKms.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build());
        StsClient sts = sts(server)) {
      OrganizationScanner scanner =
          OrganizationScanner.builder()
              .stsClient(sts)
              .credentials(SeededAccount.credentials())
              .accounts(List.of(member(1)))
              .regions(List.of(Region.US_EAST_1))
              .clients(clients(server))
              .build();

      assertThatThrownBy(scanner::scan)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no audit role was given")
          .hasMessageContaining("OrganizationAccountAccessRole has administrator rights");
    }
  }

  @Test
  void auditRole_patterns() {
    assertThat(AuditRole.named("KmsPostureAudit").roleArn(member(1), "aws"))
        .isEqualTo("arn:aws:iam::200000000001:role/KmsPostureAudit");
    assertThat(AuditRole.arnPattern(ROLE_PATTERN).roleArn(member(1), "aws"))
        .isEqualTo("arn:aws:iam::200000000001:role/audit/KmsPostureAudit");
    assertThatThrownBy(() -> AuditRole.arnPattern("arn:aws:iam::123456789012:role/Audit"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("with {account} for the account id");
    assertThatThrownBy(() -> AuditRole.named("audit/Role"))
        .hasMessageContaining("is not an IAM role name");
    assertThat(AuditRole.named("A").withExternalId("secret-id").toString())
        .doesNotContain("secret-id");
  }

  private static StsClient sts(LocalKmsServer server) {
    return StsClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(server.endpoint())
        .credentialsProvider(SeededAccount.credentials())
        .build();
  }

  private static AccountClients clients(LocalKmsServer server) {
    return (account, region, credentials) -> kmsClient(server, region, credentials);
  }

  private static KmsClient kmsClient(
      LocalKmsServer server, Region region, AwsCredentialsProvider credentials) {
    return KmsClient.builder()
        .region(region)
        .endpointOverride(server.endpoint())
        .credentialsProvider(credentials)
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2))
        .build();
  }

  /** A clock that tests move forward; thread-safe. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return requireNonNull(now.get());
    }
  }
}

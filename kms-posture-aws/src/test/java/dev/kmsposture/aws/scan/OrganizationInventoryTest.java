package dev.kmsposture.aws.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.aws.inventory.InventoryOptions;
import dev.kmsposture.aws.inventory.InventoryService;
import dev.kmsposture.aws.testing.InProcessHttp;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import dev.kmsposture.testkit.kms.AssumableRole;
import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import dev.kmsposture.testkit.kms.SeedKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The resource inventory of every account of an organization scan: the keys come from the embedded
 * KMS over real HTTP on 127.0.0.1 through the audit role, the queues from an in-process SQS layer
 * under the real SDK {@link SqsClient} (AWS JSON 1.0, the shapes of the SQS API Reference) that
 * answers each account's own queues and records which credentials signed each request.
 */
class OrganizationInventoryTest {
  private static final AccountId MANAGEMENT = AccountId.of("123456789012");
  private static final AccountId MEMBER = AccountId.of("200000000001");
  private static final AccountId DENIED = AccountId.of("200000000002");
  private static final String ROLE_PATTERN = "arn:aws:iam::{account}:role/audit/KmsPostureAudit";
  private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");
  private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/]+)/");

  @TempDir Path snapshots;

  /** The access key of every SQS request, per account the fake answered for. */
  private final Map<String, List<String>> signedWith = new ConcurrentHashMap<>();

  /** The caller ARN that STS gave for the credentials each account's SQS client signs with. */
  private final Map<String, String> callers = new ConcurrentHashMap<>();

  private static String roleOf(AccountId account) {
    return ROLE_PATTERN.replace("{account}", account.value());
  }

  private static SeedKey key(AccountId account, int i) {
    return SeedKey.builder()
        .account(account.value())
        .region("us-east-1")
        .description("key " + i + " of " + account.value())
        .creationDate(Instant.parse("2026-03-01T00:00:00Z"))
        .addAlias("alias/orders-" + i)
        .build();
  }

  private static LocalKms organization() {
    List<SeedKey> keys = new ArrayList<>();
    for (AccountId a : List.of(MANAGEMENT, MEMBER, DENIED)) {
      keys.add(key(a, 0));
      keys.add(key(a, 1));
    }
    LocalKms.Builder kms =
        LocalKms.builder()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .seed(KmsSeed.builder().keys(keys).build());
    for (AccountId a : List.of(MEMBER, DENIED)) {
      kms.assumableRole(AssumableRole.builder(roleOf(a)).trust(MANAGEMENT.value()).build());
    }
    return kms.build();
  }

  @Test
  void scan_withInventory_readsEachAccountsResourcesWithItsRoleSession_intoItsSnapshot()
      throws IOException {
    try (LocalKmsServer server = LocalKmsServer.start(organization());
        StsClient sts = sts(server, SeededAccount.credentials())) {
      // when
      OrganizationScanResult result =
          scanner(server, sts, Duration.ZERO)
              .inventory(
                  InventoryOptions.defaults()
                      .withServices(EnumSet.of(InventoryService.SQS, InventoryService.EFS)))
              .build()
              .scan();

      // then: every account scanned, each snapshot holding that account's queues, the alias of
      // each resolved with that account's own aliases
      assertThat(result.withStatus(AccountOutcome.Status.SCANNED)).hasSize(3);
      for (AccountId a : List.of(MANAGEMENT, MEMBER)) {
        AccountSnapshot s = snapshot(a);
        ResourceInventory inventory = Objects.requireNonNull(s.inventory(), a.value());
        assertThat(inventory.services()).containsExactly("efs", "sqs");
        ResourceSnapshot orders = inventory.resources(queueArn(a, "orders")).get(0);
        String keyArn = Objects.requireNonNull(Objects.requireNonNull(orders.key()).keyArn());
        assertThat(keyArn).isEqualTo(aliasTarget(s, "alias/orders-1"));
        assertThat(keyArn).startsWith("arn:aws:kms:us-east-1:" + a.value() + ":key/");
        assertThat(s.resourcesUsing(keyArn)).containsExactly(orders);
        assertThat(inventory.resources(queueArn(a, "plain"))).hasSize(1);
        assertThat(inventory.coverage("sqs", "us-east-1").orElseThrow().isComplete()).isTrue();
        // no EFS lister was given: a gap, never "no file systems"
        assertThat(inventory.coverage("efs", "us-east-1").orElseThrow().problem())
            .isEqualTo("no efs client was given for us-east-1");
      }
      // the denied account: scanned, its queues a gap with the reason, not an empty list
      ResourceInventory denied = Objects.requireNonNull(snapshot(DENIED).inventory());
      assertThat(denied.resources()).isEmpty();
      assertThat(denied.coverage("sqs", "us-east-1").orElseThrow().problem())
          .contains("not authorized to perform sqs:ListQueues");
      assertThat(outcome(result, DENIED).reason())
          .contains("inventory: 0 resources, 2 service and Region pairs not fully read");
      assertThat(outcome(result, MEMBER).reason())
          .contains("inventory: 2 resources, 1 service and Region pairs not fully read");

      // and: each account's services were read with the credentials of its own session: the
      // management account's own, a member's through its audit role
      assertThat(callers)
          .containsEntry(MANAGEMENT.value(), "arn:aws:iam::123456789012:root")
          .containsEntry(
              MEMBER.value(),
              "arn:aws:sts::200000000001:assumed-role/KmsPostureAudit/kms-posture-scan")
          .containsEntry(
              DENIED.value(),
              "arn:aws:sts::200000000002:assumed-role/KmsPostureAudit/kms-posture-scan");
      String own = SeededAccount.credentials().resolveCredentials().accessKeyId();
      assertThat(signedWith.get(MANAGEMENT.value())).isNotEmpty().containsOnly(own);
      assertThat(signedWith.get(MEMBER.value())).isNotEmpty().doesNotContain(own);
    }
  }

  @Test
  void scan_withoutInventory_readsNoService_andTheSnapshotsHaveNoInventory() throws IOException {
    try (LocalKmsServer server = LocalKmsServer.start(organization());
        StsClient sts = sts(server, SeededAccount.credentials())) {
      OrganizationScanResult result = scanner(server, sts, Duration.ZERO).build().scan();

      assertThat(result.withStatus(AccountOutcome.Status.SCANNED)).hasSize(3);
      assertThat(snapshot(MEMBER).inventory()).isNull();
      assertThat(signedWith).isEmpty();
    }
  }

  @Test
  void scan_inventoryPastItsTimeLimit_failsTheAccountSayingSo_andKeepsNoSnapshot() {
    try (LocalKmsServer server = LocalKmsServer.start(organization());
        StsClient sts = sts(server, SeededAccount.credentials())) {
      // given: every SQS answer takes 50 ms, the inventory may take 20 ms per account
      OrganizationScanResult result =
          scanner(server, sts, Duration.ofMillis(50))
              .inventory(
                  new InventoryOptions(
                      Set.of(InventoryService.SQS),
                      List.of(),
                      1.0,
                      0,
                      Duration.ofMillis(200),
                      Duration.ofMillis(20)))
              .build()
              .scan();

      // then: the keys were read, but an account without its resources is failed, not scanned
      AccountOutcome member = outcome(result, MEMBER);
      assertThat(member.status()).isEqualTo(AccountOutcome.Status.FAILED);
      assertThat(member.reason())
          .startsWith("keys scanned, but the resource inventory stopped: ")
          .contains("PT0.02S");
      assertThat(member.keys()).isEqualTo(2);
      assertThat(Files.exists(snapshots.resolve(MEMBER.value() + ".json"))).isFalse();
    }
  }

  private OrganizationScanner.Builder scanner(
      LocalKmsServer server, StsClient sts, Duration sqsLatency) {
    return OrganizationScanner.builder()
        .stsClient(sts)
        .credentials(SeededAccount.credentials())
        .accounts(List.of(MANAGEMENT, MEMBER, DENIED))
        .auditRole(AuditRole.arnPattern(ROLE_PATTERN))
        .regions(List.of(Region.US_EAST_1))
        .clients(clients(server, sqsLatency))
        .sink(SnapshotSink.directory(snapshots))
        .options(o -> o.quota("GetKeyLastUsage", 1000))
        .accountConcurrency(3)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private AccountClients clients(LocalKmsServer server, Duration sqsLatency) {
    return new AccountClients() {
      @Override
      public KmsClient kms(AccountId account, Region region, AwsCredentialsProvider credentials) {
        return KmsClient.builder()
            .region(region)
            .endpointOverride(server.endpoint())
            .credentialsProvider(credentials)
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2))
            .build();
      }

      @Override
      public Optional<SdkClient> inventory(
          AccountId account,
          Region region,
          InventoryService service,
          AwsCredentialsProvider credentials) {
        if (service != InventoryService.SQS) {
          return Optional.empty();
        }
        try (StsClient sts = sts(server, credentials)) {
          callers.put(account.value(), sts.getCallerIdentity().arn());
        }
        return Optional.of(
            SqsClient.builder()
                .region(region)
                // never contacted: the in-process layer answers before any socket is opened
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(credentials)
                .httpClient(fakeSqs(account.value(), sqsLatency))
                .build());
      }
    };
  }

  private static StsClient sts(LocalKmsServer server, AwsCredentialsProvider credentials) {
    return StsClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(server.endpoint())
        .credentialsProvider(credentials)
        .build();
  }

  private AccountSnapshot snapshot(AccountId account) throws IOException {
    return AccountSnapshot.parse(
        Files.readString(snapshots.resolve(account.value() + ".json"), StandardCharsets.UTF_8));
  }

  private static AccountOutcome outcome(OrganizationScanResult result, AccountId account) {
    return result.outcomes().stream()
        .filter(o -> o.account().equals(account))
        .findFirst()
        .orElseThrow();
  }

  private static String aliasTarget(AccountSnapshot s, String alias) {
    String id =
        s.aliases().stream()
            .filter(a -> a.aliasName().equals(alias))
            .findFirst()
            .orElseThrow()
            .targetKeyId();
    return s.keys().stream()
        .filter(k -> k.arn().endsWith("/" + id))
        .findFirst()
        .orElseThrow()
        .arn();
  }

  private static String queueArn(AccountId account, String name) {
    return "arn:aws:sqs:us-east-1:" + account.value() + ":" + name;
  }

  /**
   * SQS (AWS JSON 1.0) for one account: {@code ListQueues} gives two queues, {@code orders} under
   * {@code alias/orders-1} and {@code plain} under SSE-SQS; the {@link #DENIED} account's caller is
   * not authorized to list.
   */
  private InProcessHttp fakeSqs(String account, Duration latency) {
    return new InProcessHttp(
        "fake-sqs",
        (request, body) -> {
          Matcher key = ACCESS_KEY.matcher(request.firstMatchingHeader("Authorization").orElse(""));
          signedWith
              .computeIfAbsent(account, a -> new CopyOnWriteArrayList<>())
              .add(key.find() ? key.group(1) : "unsigned");
          if (!latency.isZero()) {
            try {
              Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          String target = request.firstMatchingHeader("X-Amz-Target").orElse("");
          String queues = "http://127.0.0.1:9/" + account + "/";
          int status = 200;
          String answer;
          if (account.equals(DENIED.value())) {
            status = 400;
            answer =
                "{\"__type\":\"com.amazonaws.sqs#AccessDeniedException\",\"message\":\"User is not"
                    + " authorized to perform sqs:ListQueues\"}";
          } else if (target.equals("AmazonSQS.ListQueues")) {
            answer = "{\"QueueUrls\":[\"" + queues + "orders\",\"" + queues + "plain\"]}";
          } else if (body.contains("/orders")) {
            answer =
                "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:"
                    + account
                    + ":orders\",\"KmsMasterKeyId\":\"alias/orders-1\"}}";
          } else {
            answer =
                "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:"
                    + account
                    + ":plain\",\"SqsManagedSseEnabled\":\"true\"}}";
          }
          return new InProcessHttp.Reply(
              status, "application/x-amz-json-1.0", answer, "req-" + account);
        });
  }
}

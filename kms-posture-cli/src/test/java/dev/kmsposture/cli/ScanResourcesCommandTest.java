package dev.kmsposture.cli;

import static dev.kmsposture.cli.ScanFixtures.ACCOUNT;
import static dev.kmsposture.cli.ScanFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import dev.kmsposture.testkit.kms.AssumableRole;
import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import dev.kmsposture.testkit.kms.SeedKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kms-posture scan --resources} on 127.0.0.1 only: one loopback endpoint ({@code
 * --endpoint-url}) answers SQS itself (AWS JSON 1.0, the shapes of the SQS API Reference) and
 * passes KMS, STS and CloudTrail on to the embedded KMS, so the command's own service clients are
 * exercised end to end: the inventory is collected after the key scan, saved in the snapshot, and
 * listed per key in the Markdown report with the services and Regions that could not be read.
 */
class ScanResourcesCommandTest {
  static {
    ScanFixtures.isolateFromHost();
  }

  private static final String MEMBER = "200000000001";

  @TempDir Path dir;

  private static LocalKmsServer kms;
  private static HttpServer front;
  private static final List<String> SQS_CALLS = new CopyOnWriteArrayList<>();
  private static final List<String> SQS_CALLERS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    List<SeedKey> keys = new ArrayList<>();
    for (String account : List.of(ACCOUNT, MEMBER)) {
      for (int i = 0; i < 2; i++) {
        keys.add(
            ScanFixtures.key(account, i)
                .region("us-east-1")
                .description("orders " + i)
                .rotationEnabled(true)
                .build());
      }
    }
    kms =
        LocalKmsServer.start(
            LocalKms.builder()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .seed(KmsSeed.builder().keys(keys).build())
                // the member's read-only audit role, which the scanner's account may assume
                .assumableRole(
                    AssumableRole.builder("arn:aws:iam::" + MEMBER + ":role/KmsPostureAudit")
                        .trust(ACCOUNT)
                        .build())
                .build());
    front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    front.createContext("/", ScanResourcesCommandTest::handle);
    front.start();
  }

  @AfterAll
  static void stop() {
    front.stop(0);
    kms.close();
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String target =
          Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("X-Amz-Target"), "");
      String auth =
          Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Authorization"), "");
      if (target.startsWith("AmazonSQS.")) {
        sqs(
            exchange,
            target.substring("AmazonSQS.".length()),
            auth,
            accountOf(exchange),
            new String(body, StandardCharsets.UTF_8));
        return;
      }
      if (exchange.getRequestURI().getPath().equals("/2015-02-01/file-systems")) {
        efs(exchange, auth, accountOf(exchange));
        return;
      }
      forward(exchange, body);
    }
  }

  // EFS API Reference shape: DescribeFileSystems (REST-JSON GET, FileSystems, no NextMarker);
  // in eu-west-1 the caller is denied, so that Region's file systems are unknown.
  private static void efs(HttpExchange exchange, String auth, String account) throws IOException {
    boolean euWest1 = auth.contains("/eu-west-1/elasticfilesystem/");
    int status = euWest1 ? 403 : 200;
    String answer =
        euWest1
            ? "{\"ErrorCode\":\"AccessDeniedException\",\"Message\":\"not authorized to perform"
                + " elasticfilesystem:DescribeFileSystems\"}"
            : "{\"FileSystems\":[{\"OwnerId\":\""
                + account
                + "\",\"FileSystemId\":\"fs-1\",\"FileSystemArn\":\"arn:aws:elasticfilesystem:us-east-1:"
                + account
                + ":file-system/fs-1\",\"LifeCycleState\":\"available\",\"Encrypted\":true,"
                + "\"KmsKeyId\":\"alias/orders-1\",\"Tags\":[]}]}";
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  // SQS API Reference shapes: ListQueues (QueueUrls), GetQueueAttributes (Attributes); in
  // eu-west-1 the caller is denied ListQueues, so that Region's queues are unknown.
  private static void sqs(
      HttpExchange exchange, String operation, String auth, String account, String body)
      throws IOException {
    boolean euWest1 = auth.contains("/eu-west-1/sqs/");
    SQS_CALLS.add(operation + (euWest1 ? " eu-west-1" : " us-east-1"));
    SQS_CALLERS.add(account);
    String queues = "http://127.0.0.1:" + front.getAddress().getPort() + "/" + account + "/";
    int status = 200;
    String answer;
    if (euWest1) {
      status = 400;
      answer =
          "{\"__type\":\"com.amazonaws.sqs#AccessDeniedException\",\"message\":\"User is not"
              + " authorized to perform sqs:ListQueues\"}";
    } else if (operation.equals("ListQueues")) {
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
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /**
   * The account of the caller who signed {@code exchange}: the embedded KMS's STS companion answers
   * {@code GetCallerIdentity} for the same access key (it does not check signatures), so the
   * member's queues are answered only to the member's audit-role session.
   */
  private static String accountOf(HttpExchange exchange) throws IOException {
    String auth =
        Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Authorization"), "")
            .replaceFirst("/[a-z]+/aws4_request", "/sts/aws4_request");
    HttpURLConnection c = (HttpURLConnection) kms.endpoint().toURL().openConnection();
    c.setRequestMethod("POST");
    c.setRequestProperty("Authorization", auth);
    String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
    if (token != null) {
      c.setRequestProperty("X-Amz-Security-Token", token);
    }
    c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    byte[] form = "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8);
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(form.length);
    c.getOutputStream().write(form);
    String xml;
    try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile("<Account>(\\d{12})</Account>").matcher(xml);
    if (!m.find()) {
      throw new IOException("GetCallerIdentity gave no account: " + xml);
    }
    return m.group(1);
  }

  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "date");

  private static void forward(HttpExchange exchange, byte[] body) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            kms.endpoint().resolve(exchange.getRequestURI().toString()).toURL().openConnection();
    c.setRequestMethod(exchange.getRequestMethod());
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> c.addRequestProperty(name, v));
              }
            });
    if (body.length > 0) {
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      c.getOutputStream().write(body);
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
    c.getHeaderFields()
        .forEach(
            (name, values) -> {
              if (name != null && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
              }
            });
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ScanFixtures.run(out, err, ScanFixtures.env(), args);
  }

  private String[] scan(String... more) {
    List<String> args = new ArrayList<>(List.of("--no-usage"));
    args.addAll(List.of(more));
    return ScanFixtures.scan(
        URI.create("http://127.0.0.1:" + front.getAddress().getPort()).toString(),
        args.toArray(String[]::new));
  }

  @Test
  void resources_areCollectedIntoTheSnapshot_andListedPerKeyInTheReport() throws IOException {
    // given
    Path snapshotFile = dir.resolve("s.json");

    // when
    int exit =
        run(
            scan(
                "--resources", "--services", "sqs,efs", "--snapshot-out", snapshotFile.toString()));

    // then: the inventory is in the snapshot, the queue's alias resolved to its key
    assertThat(exit).as(err.toString()).isIn(ExitCode.OK, ExitCode.FINDINGS);
    AccountSnapshot snapshot = AccountSnapshot.parse(Files.readString(snapshotFile));
    ResourceInventory inventory = Objects.requireNonNull(snapshot.inventory());
    assertThat(inventory.services()).containsExactly("efs", "sqs");
    ResourceSnapshot orders =
        inventory.resources("arn:aws:sqs:us-east-1:" + ACCOUNT + ":orders").get(0);
    String keyArn = Objects.requireNonNull(Objects.requireNonNull(orders.key()).keyArn());
    assertThat(keyArn).startsWith("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/");
    ResourceSnapshot files =
        inventory
            .resources("arn:aws:elasticfilesystem:us-east-1:" + ACCOUNT + ":file-system/fs-1")
            .get(0);
    assertThat(snapshot.resourcesUsing(keyArn)).containsExactlyInAnyOrder(orders, files);
    assertThat(inventory.resources("arn:aws:sqs:us-east-1:" + ACCOUNT + ":plain")).hasSize(1);
    // the denied Regions are gaps, not "no resources"
    assertThat(inventory.coverage("sqs", "us-east-1").orElseThrow().isComplete()).isTrue();
    assertThat(inventory.coverage("sqs", "eu-west-1").orElseThrow().problem())
        .contains("not authorized to perform sqs:ListQueues");
    assertThat(inventory.gaps("us-east-1")).isEmpty();
    assertThat(inventory.coverage("efs", "eu-west-1").orElseThrow().problem())
        .contains("not authorized to perform elasticfilesystem:DescribeFileSystems");
    assertThat(SQS_CALLS).contains("ListQueues us-east-1", "ListQueues eu-west-1");

    // and: the Markdown report lists the queue under its key, and the gaps as UNKNOWN
    String report = out.toString();
    assertThat(report).contains("## Resources per key");
    int heading = report.indexOf("### `" + keyArn + "`");
    assertThat(heading).isPositive();
    assertThat(report.indexOf("arn:aws:sqs:us-east-1:" + ACCOUNT + ":orders", heading))
        .isGreaterThan(heading);
    assertThat(report).contains("### UNKNOWN: not read completely");
    assertThat(report).contains("- `sqs` in `eu-west-1`: ");
    assertThat(report).contains("- `efs` in `eu-west-1`: ");
    assertThat(err.toString()).contains("inventory: 3 resources in 2 services");
  }

  @Test
  void resourcesOfAccounts_eachAccountsInventory_isReadWithItsRoleSession_intoItsSnapshot()
      throws IOException {
    // given: the scanner's own account and a member reached through its audit role
    Path accounts = dir.resolve("accounts.txt");
    Files.writeString(accounts, ACCOUNT + "\n" + MEMBER + "\n");
    Path snapshots = dir.resolve("snapshots");
    int before = SQS_CALLERS.size();

    // when
    int exit =
        run(
            scan(
                "--resources",
                "--services",
                "sqs",
                "--accounts",
                accounts.toString(),
                "--role-name",
                "KmsPostureAudit",
                "--snapshot-dir",
                snapshots.toString()));

    // then: each account's snapshot holds its own queues, under its own keys
    assertThat(exit).as(err.toString()).isIn(ExitCode.OK, ExitCode.FINDINGS);
    for (String account : List.of(ACCOUNT, MEMBER)) {
      AccountSnapshot snapshot =
          AccountSnapshot.parse(Files.readString(snapshots.resolve(account + ".json")));
      ResourceInventory inventory = Objects.requireNonNull(snapshot.inventory(), account);
      assertThat(inventory.services()).containsExactly("sqs");
      ResourceSnapshot orders =
          inventory.resources("arn:aws:sqs:us-east-1:" + account + ":orders").get(0);
      String keyArn = Objects.requireNonNull(Objects.requireNonNull(orders.key()).keyArn());
      assertThat(keyArn).startsWith("arn:aws:kms:us-east-1:" + account + ":key/");
      assertThat(snapshot.resourcesUsing(keyArn)).containsExactly(orders);
      assertThat(inventory.coverage("sqs", "eu-west-1").orElseThrow().problem())
          .contains("not authorized to perform sqs:ListQueues");
    }
    // and: the services were read as each account's own caller, the member's through its role
    assertThat(SQS_CALLERS.subList(before, SQS_CALLERS.size())).contains(ACCOUNT, MEMBER);
    // and: each account's report lists its resources per key
    try (Stream<Path> files = Files.list(snapshots)) {
      Path report =
          files
              .filter(f -> f.getFileName().toString().startsWith(MEMBER + ".report."))
              .findFirst()
              .orElseThrow();
      String text = Files.readString(report);
      assertThat(text).contains("## Resources per key");
      assertThat(text).contains("arn:aws:sqs:us-east-1:" + MEMBER + ":orders");
    }
    assertThat(err.toString()).contains("account " + MEMBER + ": inventory: 2 resources");
  }

  @Test
  void withoutResources_theSnapshotHasNoInventory_andNoServiceIsRead() throws IOException {
    Path snapshotFile = dir.resolve("plain.json");
    int before = SQS_CALLS.size();

    int exit = run(scan("--snapshot-out", snapshotFile.toString()));

    assertThat(exit).as(err.toString()).isIn(ExitCode.OK, ExitCode.FINDINGS);
    assertThat(AccountSnapshot.parse(Files.readString(snapshotFile)).inventory()).isNull();
    assertThat(out.toString()).doesNotContain("## Resources per key");
    assertThat(SQS_CALLS).hasSize(before);
  }

  @Test
  void servicesWithoutResources_orAnUnknownService_isBadInput() {
    assertThat(run(scan("--services", "sqs"))).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--services narrows --resources; add --resources");

    assertThat(run(scan("--resources", "--services", "sqs,glacier"))).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("--services: service [glacier] is not one the inventory reads; expected one of");
  }
}

package dev.kmsposture.aws.inventory;

import dev.kmsposture.aws.internal.CallLedger;
import dev.kmsposture.aws.internal.QuotaLimiters;
import dev.kmsposture.aws.internal.ScanCalls;
import dev.kmsposture.aws.internal.ScanDeadline;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.InventoryCoverage;
import dev.kmsposture.snapshot.ResourceInventory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Reads which resources of the KMS-integrated services each key protects, into a snapshot's
 * {@linkplain ResourceInventory inventory}, through service clients the caller built. Read only: it
 * lists and describes, and never calls KMS (key references are resolved with the snapshot's
 * aliases, so a predefined {@code aws/*} alias is never looked up with {@code DescribeKey}, which
 * would create its key).
 *
 * <pre>{@code
 * AccountSnapshot keys = KmsScanner.scan(...).snapshot();   // keys and aliases first
 * AccountSnapshot withInventory =
 *     ResourceInventoryScanner.collect(keys, clients, InventoryOptions.defaults());
 * withInventory.resourcesUsing(keyArn);
 * }</pre>
 *
 * <p>Each service is read in each Region; a listing that fails (denied, throttled past every retry)
 * leaves that service and Region with a coverage problem, never a silent "no resources". A service
 * without a client for a Region is recorded the same way. EFS and FSx are read through {@link
 * FileSystemLister}s (the project has no SDK client of either). Requests are rate-limited per
 * Region and operation and retried after the SDK's own retries, as the key scan's are.
 */
public final class ResourceInventoryScanner {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceInventoryScanner.class);

  // No published request rate of these reads binds a scan (a few calls per resource); a
  // conservative 10 per second per Region and operation, times the budget fraction, leaves the
  // account's own traffic its share.
  private static final double RATE = 10.0;
  private static final List<String> OPERATIONS =
      List.of(
          "s3:ListBuckets",
          "s3:GetBucketLocation",
          "s3:GetBucketEncryption",
          "s3:GetBucketTagging",
          "ec2:DescribeVolumes",
          "ec2:DescribeSnapshots",
          "ec2:GetEbsEncryptionByDefault",
          "ec2:GetEbsDefaultKmsKeyId",
          "rds:DescribeDBInstances",
          "rds:DescribeDBClusters",
          "rds:DescribeDBSnapshots",
          "rds:DescribeDBClusterSnapshots",
          "secretsmanager:ListSecrets",
          "logs:DescribeLogGroups",
          "sns:ListTopics",
          "sns:GetTopicAttributes",
          "sqs:ListQueues",
          "sqs:GetQueueAttributes",
          "dynamodb:ListTables",
          "dynamodb:DescribeTable",
          "elasticfilesystem:DescribeFileSystems",
          "fsx:DescribeFileSystems");

  private static final Map<InventoryService, Class<? extends SdkClient>> CLIENTS =
      Map.of(
          InventoryService.S3, S3Client.class,
          InventoryService.EBS, Ec2Client.class,
          InventoryService.RDS, RdsClient.class,
          InventoryService.SECRETS_MANAGER, SecretsManagerClient.class,
          InventoryService.LOGS, CloudWatchLogsClient.class,
          InventoryService.SNS, SnsClient.class,
          InventoryService.SQS, SqsClient.class,
          InventoryService.DYNAMODB, DynamoDbClient.class);

  private static final List<ServiceCollector> COLLECTORS =
      List.of(
          new EbsCollector(),
          new RdsCollector(),
          new SecretsManagerCollector(),
          new LogsCollector(),
          new SnsCollector(),
          new SqsCollector(),
          new DynamoDbCollector(),
          new FileSystemCollector(InventoryService.EFS),
          new FileSystemCollector(InventoryService.FSX));

  private ResourceInventoryScanner() {}

  /** Every operation the inventory may call, as {@code service:Operation}, sorted. */
  public static Set<String> operations() {
    return new TreeSet<>(OPERATIONS);
  }

  /**
   * Returns {@code snapshot} with the inventory of the resources in its account.
   *
   * @param snapshot the account's keys and aliases (from the key scan), used to resolve key
   *     references and to tell AWS managed from customer managed keys
   * @param clients the caller's service clients
   * @param options which services and Regions
   * @throws ScanDeadline.Exceeded if the time limit is reached
   */
  public static AccountSnapshot collect(
      AccountSnapshot snapshot, InventoryClients clients, InventoryOptions options) {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(clients, "clients");
    Objects.requireNonNull(options, "options");
    Map<String, Double> rates = new HashMap<>();
    OPERATIONS.forEach(op -> rates.put(op, RATE));
    ScanCalls calls =
        new ScanCalls(
            new QuotaLimiters(rates, options.budgetFraction(), System::nanoTime),
            new CallLedger(),
            ScanDeadline.after(options.timeLimit().orElse(null)),
            options.scanRetries(),
            options.retryPause(),
            null);
    Reading reading = new Reading(snapshot, clients, calls);
    List<String> regions = options.regions().isEmpty() ? snapshot.regions() : options.regions();
    List<InventoryCoverage> coverage = new ArrayList<>();
    Set<String> services = new LinkedHashSet<>();
    for (InventoryService service : options.services()) {
      services.add(service.id());
    }
    if (options.services().contains(InventoryService.S3)) {
      s3(regions, reading, coverage);
    }
    for (ServiceCollector collector : COLLECTORS) {
      if (!options.services().contains(collector.service())) {
        continue;
      }
      for (String region : regions) {
        coverage.add(read(collector, region, reading));
      }
    }
    return snapshot.withInventory(
        ResourceInventory.of(List.copyOf(services), coverage, reading.resources()));
  }

  private static InventoryCoverage read(
      ServiceCollector collector, String region, Reading reading) {
    String id = collector.service().id();
    Class<? extends SdkClient> type = CLIENTS.get(collector.service());
    boolean present =
        type != null
            ? reading.clients.client(region, type).isPresent()
            : reading.clients.fileSystems(region, collector.service()).isPresent();
    if (!present) {
      return new InventoryCoverage(id, region, "no " + id + " client was given for " + region);
    }
    List<String> problems = new ArrayList<>();
    try {
      collector.read(region, reading, problems);
    } catch (SdkException e) {
      LOG.debug("inventory of {} in {} failed", id, region, e);
      problems.add(
          0, "listing failed, the resources after it are not known: " + Reading.describe(id, e));
    }
    return coverage(id, region, problems);
  }

  private static void s3(List<String> regions, Reading reading, List<InventoryCoverage> coverage) {
    Set<String> withClient = new LinkedHashSet<>();
    for (String region : regions) {
      if (reading.clients.client(region, S3Client.class).isPresent()) {
        withClient.add(region);
      } else {
        coverage.add(new InventoryCoverage("s3", region, "no s3 client was given for " + region));
      }
    }
    if (withClient.isEmpty()) {
      return;
    }
    List<S3Collector.ListedBucket> buckets;
    try {
      buckets = S3Collector.list(withClient.iterator().next(), reading);
    } catch (SdkException e) {
      LOG.debug("ListBuckets failed", e);
      for (String region : withClient) {
        coverage.add(new InventoryCoverage("s3", region, Reading.describe("ListBuckets", e)));
      }
      return;
    }
    S3Collector.notScanned(buckets, withClient, reading);
    for (String region : withClient) {
      List<String> problems = new ArrayList<>();
      try {
        S3Collector.read(region, buckets, reading, problems);
      } catch (SdkException e) {
        problems.add(Reading.describe("s3", e));
      }
      coverage.add(coverage("s3", region, problems));
    }
  }

  private static InventoryCoverage coverage(String service, String region, List<String> problems) {
    if (problems.isEmpty()) {
      return InventoryCoverage.complete(service, region);
    }
    int shown = Math.min(problems.size(), 5);
    String text = String.join("; ", problems.subList(0, shown));
    if (problems.size() > shown) {
      text += "; and " + (problems.size() - shown) + " more";
    }
    return new InventoryCoverage(service, region, text);
  }
}

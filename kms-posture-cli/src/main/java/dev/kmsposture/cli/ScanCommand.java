package dev.kmsposture.cli;

import dev.kmsposture.aws.inventory.FileSystemLister;
import dev.kmsposture.aws.inventory.InventoryClients;
import dev.kmsposture.aws.inventory.InventoryOptions;
import dev.kmsposture.aws.inventory.InventoryService;
import dev.kmsposture.aws.inventory.ResourceInventoryScanner;
import dev.kmsposture.aws.scan.AccountClients;
import dev.kmsposture.aws.scan.AccountLister;
import dev.kmsposture.aws.scan.AccountOutcome;
import dev.kmsposture.aws.scan.AuditRole;
import dev.kmsposture.aws.scan.KmsScanner;
import dev.kmsposture.aws.scan.OrganizationScanResult;
import dev.kmsposture.aws.scan.OrganizationScanner;
import dev.kmsposture.aws.scan.ScanException;
import dev.kmsposture.aws.scan.ScanOptions;
import dev.kmsposture.aws.scan.ScanResult;
import dev.kmsposture.aws.scan.ScanStatistics;
import dev.kmsposture.aws.scan.SnapshotSink;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.report.ReportFormat;
import dev.kmsposture.rules.Baseline;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code kms-posture scan}: reads the KMS keys of a live account (or of every account of an AWS
 * Organization) into snapshots with {@link KmsScanner} / {@link OrganizationScanner}, then checks
 * them exactly as {@code kms-posture check} does — the same code, the same report formats,
 * configuration, baselines, suppressions and exit codes.
 *
 * <p>This is the only place kms-posture builds AWS clients from defaults: the standard credential
 * chain (environment, {@code --profile} or {@code AWS_PROFILE}, shared files, SSO, container and
 * instance roles) and Region resolution ({@code --region}, {@code AWS_REGION}, {@code
 * AWS_DEFAULT_REGION}, the profile). {@code --endpoint-url} points every client (KMS, CloudTrail,
 * STS, Organizations) at one endpoint, such as the embedded KMS. Without credentials or Region the
 * error says what to set (exit 2).
 *
 * <p>With {@code --resources} the scan then reads the encryption inventory of the KMS-integrated
 * services ({@code --services} narrows them) with {@link ResourceInventoryScanner}, through service
 * clients built here the same way, into the snapshot: the report lists, per key, the resources it
 * protects, and the services or Regions that could not be read. For an organization each account's
 * inventory is read with that account's audit-role session, into its own snapshot.
 */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Read the KMS keys of a live account (or an organization) into a snapshot and check them.",
      "Exits as check does: 1 when an active failure at or above --fail-on remains (or no key was"
          + " found, or an account could not be scanned), 0 otherwise, 2 on bad input or missing"
          + " credentials or Region."
    })
final class ScanCommand implements Callable<Integer> {
  private static final Pattern WINDOW = Pattern.compile("(\\d{1,4})([dhm])");

  @Spec private CommandSpec spec = CommandSpec.create();

  @ParentCommand private @Nullable KmsPosture parent;

  @Option(
      names = "--region",
      paramLabel = "R",
      description = "A Region to scan; repeat for several (default: the resolved Region).")
  private List<String> regions = new ArrayList<>();

  @Option(
      names = "--all-regions",
      description = "Scan every Region where KMS is available in the partition.")
  private boolean allRegions;

  @Option(names = "--profile", paramLabel = "P", description = "The AWS profile to use.")
  private @Nullable String profile;

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description = "Send every call (KMS, CloudTrail, STS, Organizations) to URL, an emulator.")
  private @Nullable String endpointUrl;

  @Option(
      names = "--config",
      paramLabel = "CONFIG.yaml",
      description = "Thresholds, required tags, trusted accounts and suppressions (as check).")
  private @Nullable String config;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "markdown",
      description = "json, sarif, markdown or asff (default: ${DEFAULT-VALUE}).")
  private String format = "markdown";

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  private @Nullable Path output;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "critical",
      description = "critical, recommended or optional (default: ${DEFAULT-VALUE}), as check.")
  private String failOn = "critical";

  @Option(
      names = "--allow-unknown",
      description =
          "Do not fail when a rule at or above --fail-on could not be checked (as check); a part"
              + " the scan could not read is such a case.")
  private boolean allowUnknown;

  @Option(
      names = "--baseline",
      paramLabel = "B.json",
      description = "Known findings that no longer fail the check (as check).")
  private @Nullable String baseline;

  @Option(
      names = "--write-baseline",
      paramLabel = "B.json",
      description = "Write the fingerprints of this run's active failures (one account only).")
  private @Nullable Path writeBaseline;

  @Option(
      names = "--snapshot-out",
      paramLabel = "S.json",
      description = "Also save the snapshot to S.json (one account), for check later.")
  private @Nullable Path snapshotOut;

  @Option(
      names = "--snapshot-dir",
      paramLabel = "DIR",
      description =
          "Write each account's snapshot to DIR/<account>.json (and, for an organization, its"
              + " report to DIR/<account>.report.<format>).")
  private @Nullable Path snapshotDir;

  @Option(
      names = "--no-usage",
      description =
          "Skip GetKeyLastUsage and CloudTrail usage (GetKeyLastUsage's quota, 5 per second, is"
              + " the slowest part of a scan).")
  private boolean noUsage;

  @Option(
      names = "--usage-window",
      paramLabel = "30d",
      description =
          "Read each key's CloudTrail events of this window with LookupEvents (at most 90d): who"
              + " used it, and its key events.")
  private @Nullable String usageWindow;

  @Option(
      names = "--cloudtrail-logs",
      paramLabel = "DIR",
      description = "Read usage from CloudTrail log files exported to DIR instead.")
  private @Nullable Path cloudTrailLogs;

  @Option(
      names = "--budget",
      paramLabel = "FRACTION",
      defaultValue = "0.5",
      description = "Share of each KMS request quota the scan may use (default: ${DEFAULT-VALUE}).")
  private double budget = 0.5;

  @Option(
      names = "--timeout",
      paramLabel = "30m",
      description = "Stop after this long; keys not read are marked unreadable.")
  private @Nullable String timeout;

  @Option(
      names = "--resources",
      description =
          "Also read which resources of S3, EBS, RDS, Secrets Manager, CloudWatch Logs, SNS, SQS,"
              + " DynamoDB, EFS and FSx each key protects (off by default: it reads those"
              + " services).")
  private boolean resources;

  @Option(
      names = "--services",
      split = ",",
      paramLabel = "S",
      description =
          "With --resources: read only these services (s3, ebs, rds, secretsmanager, logs, sns,"
              + " sqs, efs, fsx, dynamodb), comma-separated.")
  private List<String> services = new ArrayList<>();

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  private @Nullable Accounts accounts;

  static final class Accounts {
    @Option(
        names = "--organization",
        required = true,
        description = "Scan every account of the organization (ListAccounts).")
    boolean organization;

    @Option(
        names = "--accounts",
        required = true,
        paramLabel = "FILE",
        description = "Scan the accounts listed in FILE, one account id per line.")
    @Nullable String file;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  private @Nullable Role role;

  static final class Role {
    @Option(
        names = "--role-name",
        required = true,
        paramLabel = "NAME",
        description = "The read-only audit role to assume in the other accounts.")
    @Nullable String name;

    @Option(
        names = "--role-arn-pattern",
        required = true,
        paramLabel = "PATTERN",
        description = "The audit role as 'arn:aws:iam::{account}:role/path/NAME'.")
    @Nullable String pattern;
  }

  @Option(
      names = "--external-id",
      paramLabel = "ID",
      description = "The external id the audit role's trust policy requires.")
  private @Nullable String externalId;

  private final BooleanSupplier terminal;

  /** Creates the command; picocli calls this. */
  public ScanCommand() {
    this(Progress::consoleIsTerminal);
  }

  /** Creates the command, telling whether standard error is a terminal (tests say no). */
  ScanCommand(BooleanSupplier terminal) {
    this.terminal = Objects.requireNonNull(terminal, "terminal");
  }

  /**
   * Scans and checks.
   *
   * @return the {@link ExitCode}
   */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return scan(err);
    } catch (BadInputException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCode.BAD_INPUT;
    } catch (CancellationException e) {
      err.println("error: the scan was cancelled");
      err.flush();
      return ExitCode.INTERNAL;
    }
  }

  private int scan(PrintWriter err) {
    KmsPosture root = parent;
    UnaryOperator<String> env = root != null ? root.environment() : System::getenv;
    InputReader input =
        root != null ? root.input() : InputReader.of(System.in, InputReader.DEFAULT_MAX_BYTES);
    boolean organization = accounts != null;
    validateEarly(input, organization);
    ScanOptions options = options();
    Optional<URI> endpoint = endpoint();
    AwsCredentialsProvider credentials = credentials(env);
    List<Region> scanned = regions(env);
    try (Clients clients = new Clients(credentials, endpoint)) {
      if (organization) {
        return scanOrganization(err, input, clients, scanned, options);
      }
      return scanAccount(err, clients, scanned, options);
    }
  }

  // ---- one account

  private int scanAccount(
      PrintWriter err, Clients clients, List<Region> scanned, ScanOptions options) {
    ScanResult result;
    try (Progress progress = Progress.on(err, terminal.getAsBoolean())) {
      result =
          KmsScanner.builder()
              .kmsClients(clients::kms, scanned)
              .cloudTrailClients(clients::cloudTrail)
              .stsClient(clients.sts(scanned.get(0)))
              .options(options)
              .progressListener(progress)
              .build()
              .scanWithStatistics();
    } catch (ScanException e) {
      throw new BadInputException("scan failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new BadInputException("scan failed: " + e.getMessage(), e);
    }
    AccountSnapshot snapshot = result.snapshot();
    err.println(statistics(result.statistics(), scanned.size()));
    if (resources) {
      snapshot = inventory(err, clients, scanned, snapshot, options);
    }
    String json = snapshot.toJson();
    String source = null;
    if (snapshotDir != null) {
      SnapshotSink.directory(snapshotDir).accept(snapshot);
      Path file = snapshotDir.resolve(snapshot.account() + ".json");
      err.println("wrote the snapshot to " + file);
      source = file.toString();
    }
    if (snapshotOut != null) {
      OutputFiles.write(snapshotOut, json);
      err.println("wrote the snapshot to " + snapshotOut);
      source = snapshotOut.toString();
    }
    err.flush();
    // The report: exactly what check gives on the snapshot (the same code, run on its JSON).
    return source == null
        ? check(InputReader.STDIN, json, output, writeBaseline)
        : check(source, null, output, writeBaseline);
  }

  /** Reads the inventory of the selected services into {@code snapshot}. */
  private AccountSnapshot inventory(
      PrintWriter err,
      Clients clients,
      List<Region> scanned,
      AccountSnapshot snapshot,
      ScanOptions options) {
    Set<InventoryService> selected = services();
    InventoryClients.Builder b = InventoryClients.builder();
    for (Region region : scanned) {
      for (InventoryService service : selected) {
        switch (service) {
          case EFS -> b.efs(region.id(), clients.fileSystems(service, region));
          case FSX -> b.fsx(region.id(), clients.fileSystems(service, region));
          default -> clients.inventory(service, region).ifPresent(c -> b.add(region.id(), c));
        }
      }
    }
    InventoryOptions inventoryOptions = inventoryOptions(scanned, options);
    AccountSnapshot withInventory;
    try {
      withInventory = ResourceInventoryScanner.collect(snapshot, b.build(), inventoryOptions);
    } catch (SdkException e) {
      throw new BadInputException("resource inventory failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // the inventory's time limit (ScanDeadline.Exceeded): the keys are read, the resources not
      if (e.getClass().getSimpleName().equals("Exceeded")) {
        throw new BadInputException(
            "resource inventory stopped at --timeout: " + e.getMessage(), e);
      }
      throw e;
    }
    var inventory = Objects.requireNonNull(withInventory.inventory(), "collected inventory");
    long gaps = inventory.coverage().stream().filter(c -> !c.isComplete()).count();
    err.println(
        String.format(
            Locale.ROOT,
            "inventory: %d resources in %d services and %d Region%s; %d service and Region pairs"
                + " not fully read (their resources are unknown, see the report)",
            inventory.resources().size(),
            inventory.services().size(),
            scanned.size(),
            scanned.size() == 1 ? "" : "s",
            gaps));
    return withInventory;
  }

  private InventoryOptions inventoryOptions(List<Region> scanned, ScanOptions options) {
    return new InventoryOptions(
        services(),
        scanned.stream().map(Region::id).toList(),
        budget,
        3,
        Duration.ofMillis(200),
        options.timeout().orElse(null));
  }

  private Set<InventoryService> services() {
    if (services.isEmpty()) {
      return Set.copyOf(List.of(InventoryService.values()));
    }
    Set<InventoryService> out = new LinkedHashSet<>();
    for (String name : services) {
      if (name.isBlank()) {
        continue;
      }
      try {
        out.add(InventoryService.of(name));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--services: " + e.getMessage(), e);
      }
    }
    if (out.isEmpty()) {
      throw new BadInputException(
          "--services names no service; give a comma-separated list such as s3,sqs");
    }
    return out;
  }

  // ---- an organization

  private int scanOrganization(
      PrintWriter err,
      InputReader input,
      Clients clients,
      List<Region> scanned,
      ScanOptions options) {
    Path dir = Objects.requireNonNull(snapshotDir);
    Accounts which = Objects.requireNonNull(accounts);
    AccountLister lister =
        which.organization
            ? clients.organizations(scanned.get(0))
            : AccountLister.of(
                readAccounts(input, Objects.requireNonNull(which.file)).stream()
                    .map(dev.kmsposture.aws.scan.MemberAccount::active)
                    .toList());
    OrganizationScanner.Builder builder =
        OrganizationScanner.builder()
            .stsClient(clients.sts(scanned.get(0)))
            .credentials(clients.credentials)
            .accounts(lister)
            .regions(scanned)
            .clients(clients.forAccounts())
            .sink(SnapshotSink.directory(dir))
            .options(options);
    auditRole().ifPresent(builder::auditRole);
    if (resources) {
      builder.inventory(inventoryOptions(scanned, options));
    }
    OrganizationScanResult result;
    try (Progress progress = Progress.on(err, terminal.getAsBoolean())) {
      result = builder.progressListener(progress).build().scan();
    } catch (ScanException e) {
      throw new BadInputException("organization scan failed: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw BadInputException.from(e);
    } catch (SdkException e) {
      throw new BadInputException("organization scan failed: " + e.getMessage(), e);
    }
    for (AccountOutcome o : result.outcomes()) {
      if (resources && o.status() == AccountOutcome.Status.SCANNED) {
        // the outcome's note counts the account's resources and the services not fully read
        err.println("account " + o.account().value() + ": " + o.reason());
      } else if (o.status() != AccountOutcome.Status.SCANNED) {
        err.println(
            "account "
                + o.account().value()
                + " "
                + o.status().name().toLowerCase(Locale.ROOT)
                + ": "
                + o.reason());
      }
    }
    ReportFormat reportFormat = CheckCommand.parseReportFormat(format);
    String extension = CombinedReport.extension(reportFormat);
    int exit = result.hasFailures() ? ExitCode.FINDINGS : ExitCode.OK;
    List<CombinedReport.Part> parts = new ArrayList<>();
    for (AccountOutcome o : result.withStatus(AccountOutcome.Status.SCANNED)) {
      Path snapshot = dir.resolve(o.account().value() + ".json");
      Path report = dir.resolve(o.account().value() + ".report." + extension);
      err.print("account " + o.account().value() + ": ");
      int code = check(snapshot.toString(), null, report, null);
      exit = Math.max(exit, code);
      parts.add(new CombinedReport.Part(o, report));
    }
    CombinedReport.write(reportFormat, result, parts, output, spec.commandLine().getOut());
    if (output != null) {
      err.println("wrote the combined report to " + output);
    }
    err.println(
        String.format(
            Locale.ROOT,
            "%d accounts: %d scanned, %d could not be scanned, %d skipped; snapshots and reports in"
                + " %s",
            result.outcomes().size(),
            result.withStatus(AccountOutcome.Status.SCANNED).size(),
            result.withStatus(AccountOutcome.Status.FAILED).size(),
            result.withStatus(AccountOutcome.Status.SKIPPED).size(),
            dir));
    err.flush();
    return exit;
  }

  /**
   * Runs {@code kms-posture check} on a snapshot: from {@code json} (given as standard input) when
   * it is not null, otherwise from the file {@code name}.
   */
  private int check(
      String name, @Nullable String json, @Nullable Path reportFile, @Nullable Path baselineOut) {
    List<String> args =
        new ArrayList<>(List.of("check", name, "--format", format, "--fail-on", failOn));
    if (config != null) {
      args.add("--config");
      args.add(config);
    }
    if (allowUnknown) {
      args.add("--allow-unknown");
    }
    if (baseline != null) {
      args.add("--baseline");
      args.add(baseline);
    }
    if (reportFile != null) {
      args.add("--output");
      args.add(reportFile.toString());
    }
    if (baselineOut != null) {
      args.add("--write-baseline");
      args.add(baselineOut.toString());
    }
    byte[] stdin = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    KmsPosture root = parent;
    UnaryOperator<String> env = root != null ? root.environment() : System::getenv;
    return KmsPosture.commandLine(
            spec.commandLine().getOut(),
            spec.commandLine().getErr(),
            new ByteArrayInputStream(stdin),
            env)
        .execute(args.toArray(String[]::new));
  }

  // ---- options

  private void validateEarly(InputReader input, boolean organization) {
    // Mistakes that would otherwise surface only after a long scan.
    CheckCommand.parseReportFormat(format);
    CheckCommand.parseFailOn(failOn);
    if (config != null) {
      try {
        PostureConfig.parse(input.read(config));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("configuration [" + config + "]: " + e.getMessage(), e);
      }
    }
    if (baseline != null) {
      try {
        // The limit check --baseline has: scan hands the same baseline to check.
        Baseline.parse(input.forKind(InputReader.BASELINE_MAX_BYTES).read(baseline));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("baseline [" + baseline + "]: " + e.getMessage(), e);
      }
    }
    refuseOverwritingInputs();
    if (!(budget > 0 && budget <= 1)) {
      throw new BadInputException(
          String.format("--budget [%s] is not in (0, 1]; use 0.5 for half of each quota", budget));
    }
    if (!services.isEmpty() && !resources) {
      throw new BadInputException("--services narrows --resources; add --resources");
    }
    if (resources) {
      services();
    }
    if (allRegions && !regions.isEmpty()) {
      throw new BadInputException("--all-regions and --region exclude each other; give one");
    }
    if (organization) {
      if (snapshotDir == null) {
        throw new BadInputException(
            (Objects.requireNonNull(accounts).organization ? "--organization" : "--accounts")
                + " needs --snapshot-dir DIR: each account's snapshot and report is written there");
      }
      if (snapshotOut != null) {
        throw new BadInputException(
            "--snapshot-out is for one account; with several, snapshots go to --snapshot-dir");
      }
      if (writeBaseline != null) {
        throw new BadInputException(
            "--write-baseline is for one account; check each snapshot in --snapshot-dir with"
                + " --write-baseline instead");
      }
    } else if (role != null || externalId != null) {
      throw new BadInputException(
          "--role-name, --role-arn-pattern and --external-id need --organization or --accounts");
    }
    if (externalId != null && role == null) {
      throw new BadInputException("--external-id needs --role-name or --role-arn-pattern");
    }
  }

  /**
   * Refuses an output file that is one of the files this run reads, or that another output names:
   * before the scan, not after it.
   */
  private void refuseOverwritingInputs() {
    List<Path> outputs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (output != null) {
      outputs.add(output);
      names.add("--output");
    }
    if (writeBaseline != null) {
      outputs.add(writeBaseline);
      names.add("--write-baseline");
    }
    if (snapshotOut != null) {
      outputs.add(snapshotOut);
      names.add("--snapshot-out");
    }
    String accountsFile = accounts != null ? accounts.file : null;
    for (int i = 0; i < outputs.size(); i++) {
      OutputFiles.refuseInputs(names.get(i), outputs.get(i), config, baseline, accountsFile);
      for (int j = 0; j < i; j++) {
        OutputFiles.refuseSame(names.get(i), outputs.get(i), names.get(j), outputs.get(j));
      }
    }
  }

  private ScanOptions options() {
    ScanOptions.Builder b = ScanOptions.builder().budgetFraction(budget).lastUsage(!noUsage);
    if (usageWindow != null) {
      b.usageWindow(duration("--usage-window", usageWindow, ScanOptions.MAX_LOOKUP_WINDOW));
    }
    if (cloudTrailLogs != null) {
      if (!Files.isDirectory(cloudTrailLogs)) {
        throw new BadInputException(
            "--cloudtrail-logs ["
                + cloudTrailLogs
                + "] is not a directory; pass the directory the"
                + " trail's S3 bucket was synced to");
      }
      b.cloudTrailLogs(cloudTrailLogs);
    }
    if (timeout != null) {
      b.timeout(duration("--timeout", timeout, Duration.ofDays(7)));
    }
    return b.build();
  }

  static Duration duration(String option, String text, Duration max) {
    Matcher m = WINDOW.matcher(text.trim());
    if (!m.matches()) {
      throw new BadInputException(
          String.format(
              "%s [%s] is not a duration; use a number and d, h or m, such as 30d", option, text));
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
    if (d.isZero() || d.compareTo(max) > 0) {
      throw new BadInputException(
          String.format("%s [%s] is not between 1m and %dd", option, text, max.toDays()));
    }
    return d;
  }

  private Optional<URI> endpoint() {
    if (endpointUrl == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(endpointUrl);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(endpointUrl, "expected http:// or https:// and a host");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new BadInputException(
          "--endpoint-url [" + endpointUrl + "] is not a URL; use http://host:port or https://host",
          e);
    }
  }

  private Optional<AuditRole> auditRole() {
    Role r = role;
    if (r == null) {
      return Optional.empty();
    }
    AuditRole audit;
    try {
      audit =
          r.name != null
              ? AuditRole.named(r.name)
              : AuditRole.arnPattern(Objects.requireNonNull(r.pattern));
      if (externalId != null) {
        audit = audit.withExternalId(externalId);
      }
    } catch (IllegalArgumentException e) {
      throw BadInputException.from(e);
    }
    return Optional.of(audit);
  }

  /**
   * The credentials: the environment's keys when set (as the SDK's first provider reads them),
   * otherwise the SDK's default chain for the profile. Resolved once here, so that missing
   * credentials are an error before any scan starts.
   */
  private AwsCredentialsProvider credentials(UnaryOperator<String> env) {
    String id = env.apply("AWS_ACCESS_KEY_ID");
    String secret = env.apply("AWS_SECRET_ACCESS_KEY");
    String token = env.apply("AWS_SESSION_TOKEN");
    AwsCredentialsProvider provider;
    if (profile == null && id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
      provider =
          StaticCredentialsProvider.create(
              token == null || token.isBlank()
                  ? AwsBasicCredentials.create(id, secret)
                  : AwsSessionCredentials.create(id, secret, token));
    } else {
      String name = profile != null ? profile : env.apply("AWS_PROFILE");
      DefaultCredentialsProvider.Builder chain = DefaultCredentialsProvider.builder();
      if (name != null && !name.isBlank()) {
        chain.profileName(name);
      }
      provider = chain.build();
    }
    try {
      provider.resolveCredentials();
    } catch (SdkException | IllegalArgumentException e) {
      throw new BadInputException(
          "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and"
              + " AWS_SESSION_TOKEN for temporary ones), or pass --profile NAME (or set"
              + " AWS_PROFILE) for a profile in ~/.aws/config; the SDK said: "
              + firstLine(e.getMessage()),
          e);
    }
    return provider;
  }

  private List<Region> regions(UnaryOperator<String> env) {
    if (!regions.isEmpty()) {
      Set<Region> out = new LinkedHashSet<>();
      for (String r : regions) {
        if (!r.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
          throw new BadInputException(
              "--region [" + r + "] is not a Region name; use one such as us-east-1");
        }
        out.add(Region.of(r));
      }
      return List.copyOf(out);
    }
    Region home = homeRegion(env);
    if (!allRegions) {
      return List.of(home);
    }
    String partition = partitionOf(home);
    List<Region> all =
        KmsClient.serviceMetadata().regions().stream()
            .filter(r -> r.metadata() != null && partitionOf(r).equals(partition))
            .filter(
                r ->
                    !r.id().startsWith("fips-") && !r.id().endsWith("-fips") && !r.isGlobalRegion())
            .sorted(java.util.Comparator.comparing(Region::id))
            .toList();
    return all.isEmpty() ? List.of(home) : all;
  }

  private Region homeRegion(UnaryOperator<String> env) {
    for (String name : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
      String value = env.apply(name);
      if (value != null && !value.isBlank()) {
        return Region.of(value.trim());
      }
    }
    try {
      DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
      String name = profile != null ? profile : env.apply("AWS_PROFILE");
      if (name != null && !name.isBlank()) {
        chain.profileName(name);
      }
      return chain.build().getRegion();
    } catch (SdkException e) {
      throw new BadInputException(
          "no AWS Region: pass --region R (or --all-regions), set AWS_REGION, or set region in the"
              + " profile in ~/.aws/config",
          e);
    }
  }

  private static String partitionOf(Region region) {
    if (region.metadata() != null && region.metadata().partition() != null) {
      return region.metadata().partition().id();
    }
    return region.id().startsWith("cn-")
        ? "aws-cn"
        : region.id().startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  private static List<AccountId> readAccounts(InputReader input, String file) {
    String text = input.read(file);
    List<AccountId> out = new ArrayList<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash).strip();
      }
      if (line.isEmpty()) {
        continue;
      }
      if (!line.matches("\\d{12}")) {
        throw new BadInputException(
            String.format(
                "accounts file [%s] line %d: [%s] is not a 12-digit account id; write one account"
                    + " id per line (# starts a comment)",
                file, i + 1, line));
      }
      out.add(AccountId.of(line));
    }
    if (out.isEmpty()) {
      throw new BadInputException("accounts file [" + file + "] lists no account id");
    }
    return out;
  }

  private static String statistics(ScanStatistics s, int regions) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "scanned %d keys in %d Region%s in %.1f s: %d calls, %.1f per key",
                s.keys(),
                regions,
                regions == 1 ? "" : "s",
                s.duration().toMillis() / 1000.0,
                s.totalCalls(),
                s.callsPerKey()));
    if (s.keysWithUnreadableParts() > 0) {
      line.append("; ").append(s.keysWithUnreadableParts()).append(" keys with unreadable parts");
    }
    StringBuilder calls = new StringBuilder();
    s.callsByOperation()
        .forEach(
            (op, n) ->
                calls.append(calls.length() == 0 ? "" : ", ").append(op).append(' ').append(n));
    line.append(System.lineSeparator()).append("  calls per operation: ").append(calls);
    for (String note : s.notes()) {
      line.append(System.lineSeparator()).append("  ").append(note);
    }
    return line.toString();
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  // ---- clients

  /**
   * The clients this command builds (and closes): one shared HTTP client, KMS and CloudTrail
   * clients per Region in the ADAPTIVE_V2 retry mode the scanner recommends, and STS.
   */
  private static final class Clients implements AutoCloseable {
    final AwsCredentialsProvider credentials;
    private final Optional<URI> endpoint;
    private final SdkHttpClient http;
    private final Map<Region, KmsClient> kms = new ConcurrentHashMap<>();
    private final Map<Region, CloudTrailClient> cloudTrail = new ConcurrentHashMap<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    Clients(AwsCredentialsProvider credentials, Optional<URI> endpoint) {
      this.credentials = credentials;
      this.endpoint = endpoint;
      // the JDK's HTTP stack: keep-alive, and no transitive dependency
      this.http = UrlConnectionHttpClient.create();
    }

    KmsClient kms(Region region) {
      return kms.computeIfAbsent(region, r -> kms(r, credentials));
    }

    KmsClient kms(Region region, AwsCredentialsProvider creds) {
      var b =
          KmsClient.builder()
              .region(region)
              .credentialsProvider(creds)
              .httpClient(http)
              .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2));
      endpoint.ifPresent(b::endpointOverride);
      return b.build();
    }

    CloudTrailClient cloudTrail(Region region) {
      return cloudTrail.computeIfAbsent(region, r -> cloudTrail(r, credentials));
    }

    CloudTrailClient cloudTrail(Region region, AwsCredentialsProvider creds) {
      var b =
          CloudTrailClient.builder()
              .region(region)
              .credentialsProvider(creds)
              .httpClient(http)
              .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2));
      endpoint.ifPresent(b::endpointOverride);
      return b.build();
    }

    StsClient sts(Region region) {
      var b =
          StsClient.builder()
              .region(region)
              .credentialsProvider(credentials)
              .httpClient(http)
              .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2));
      endpoint.ifPresent(b::endpointOverride);
      StsClient client = b.build();
      others.add(client);
      return client;
    }

    /**
     * Builds (and keeps, to close) the inventory's client of {@code service} for {@code region};
     * empty for EFS and FSx (see {@link #fileSystems}).
     */
    Optional<SdkClient> inventory(InventoryService service, Region region) {
      Optional<SdkClient> client = inventory(service, region, credentials);
      client.ifPresent(others::add);
      return client;
    }

    /**
     * Builds the inventory's client of {@code service} for {@code region} signing with {@code
     * creds}, not kept (an organization scan closes each account's clients itself); empty for EFS
     * and FSx.
     */
    Optional<SdkClient> inventory(
        InventoryService service, Region region, AwsCredentialsProvider creds) {
      return switch (service) {
        // an emulator's endpoint has no bucket host names: path-style requests
        case S3 ->
            Optional.of(
                configure(S3Client.builder().forcePathStyle(endpoint.isPresent()), region, creds)
                    .build());
        case EBS -> Optional.of(configure(Ec2Client.builder(), region, creds).build());
        case RDS -> Optional.of(configure(RdsClient.builder(), region, creds).build());
        case SECRETS_MANAGER ->
            Optional.of(configure(SecretsManagerClient.builder(), region, creds).build());
        case LOGS -> Optional.of(configure(CloudWatchLogsClient.builder(), region, creds).build());
        case SNS -> Optional.of(configure(SnsClient.builder(), region, creds).build());
        case SQS -> Optional.of(configure(SqsClient.builder(), region, creds).build());
        case DYNAMODB -> Optional.of(configure(DynamoDbClient.builder(), region, creds).build());
        case EFS, FSX -> Optional.empty();
      };
    }

    /**
     * The signed {@code DescribeFileSystems} caller of EFS or FSx for {@code region} (the project
     * has no SDK client of either), over the shared HTTP client, with the same credentials and
     * endpoint override as the SDK clients; the inventory retries it.
     */
    FileSystemLister fileSystems(InventoryService service, Region region) {
      return fileSystems(service, region, credentials);
    }

    FileSystemLister fileSystems(
        InventoryService service, Region region, AwsCredentialsProvider creds) {
      boolean efs = service == InventoryService.EFS;
      return endpoint
          .map(
              e ->
                  efs
                      ? FileSystemLister.efs(http, creds, region, e)
                      : FileSystemLister.fsx(http, creds, region, e))
          .orElseGet(
              () ->
                  efs
                      ? FileSystemLister.efs(http, creds, region)
                      : FileSystemLister.fsx(http, creds, region));
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
        B b, Region region, AwsCredentialsProvider creds) {
      b.region(region)
          .credentialsProvider(creds)
          .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2));
      b.httpClient(http);
      endpoint.ifPresent(b::endpointOverride);
      return b;
    }

    AccountLister organizations(Region region) {
      return endpoint
          .map(e -> AccountLister.organizations(http, credentials, region, e))
          .orElseGet(() -> AccountLister.organizations(http, credentials, region));
    }

    AccountClients forAccounts() {
      return new AccountClients() {
        @Override
        public KmsClient kms(AccountId account, Region region, AwsCredentialsProvider creds) {
          return Clients.this.kms(region, creds);
        }

        @Override
        public Optional<CloudTrailClient> cloudTrail(
            AccountId account, Region region, AwsCredentialsProvider creds) {
          return Optional.of(Clients.this.cloudTrail(region, creds));
        }

        @Override
        public Optional<SdkClient> inventory(
            AccountId account,
            Region region,
            InventoryService service,
            AwsCredentialsProvider creds) {
          return Clients.this.inventory(service, region, creds);
        }

        @Override
        public Optional<FileSystemLister> fileSystems(
            AccountId account,
            Region region,
            InventoryService service,
            AwsCredentialsProvider creds) {
          return Optional.of(Clients.this.fileSystems(service, region, creds));
        }
      };
    }

    @Override
    public void close() {
      kms.values().forEach(KmsClient::close);
      cloudTrail.values().forEach(CloudTrailClient::close);
      for (AutoCloseable c : others) {
        try {
          c.close();
        } catch (Exception e) {
          // closing at exit; nothing to do about it
        }
      }
      http.close();
    }
  }
}

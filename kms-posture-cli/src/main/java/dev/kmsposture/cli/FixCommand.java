package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.aws.provision.ProvisioningException;
import dev.kmsposture.aws.provision.ProvisioningPlanException;
import dev.kmsposture.aws.provision.RemediationPlan;
import dev.kmsposture.aws.provision.RemediationResult;
import dev.kmsposture.aws.provision.Remediator;
import dev.kmsposture.aws.scan.KmsScanner;
import dev.kmsposture.aws.scan.ScanException;
import dev.kmsposture.leastprivilege.RoleFile;
import dev.kmsposture.leastprivilege.RoleFileException;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code kms-posture fix REPORT.json|--scan}: plans the safe fixes for the keys a JSON report (from
 * {@code check}) finds at fault — rotation, missing required tags, a missing alias, and with {@code
 * --roles} the replacement of the key policy — and with {@code --apply} makes them and verifies
 * them. With {@code --scan} instead of a report, the findings are the live ones: the Region is
 * scanned and checked with every built-in rule first, so the plan rests on what the keys are now,
 * not on what a report saw earlier.
 *
 * <p>Exit codes: 0 planned (or applied and verified); 2 bad input; 3 a fix failed or did not hold.
 */
@Command(
    name = "fix",
    mixinStandardHelpOptions = true,
    description = {
      "Fix the keys a JSON report (or, with --scan, a scan of the Region checked now) finds at"
          + " fault: rotation, required tags, alias, and with --roles the key policy.",
      "Without --apply, prints each key's plan (and, for a policy change, who would lose"
          + " access); with --apply, makes the calls and verifies them."
    })
final class FixCommand implements Callable<Integer> {
  /** The rules whose failures a fix addresses. */
  static final Set<String> FIXABLE =
      Set.of(
          "RotationDisabled",
          "RotationPeriodTooLong",
          "RequiredTagsMissing",
          "AliasMissingOrMeaningless",
          "RootDelegationOnProductionKey",
          "KeyAdministratorsCanUseKey",
          "UsageWithoutViaService");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec private CommandSpec spec = CommandSpec.create();

  @ParentCommand private @Nullable KmsPosture parent;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "REPORT",
      description = "A JSON report of check (- for stdin); or give --scan.")
  private @Nullable String report;

  @Option(
      names = "--scan",
      description =
          "Instead of a report: scan the Region's keys and check them now, then plan from those"
              + " findings.")
  private boolean scan;

  @Option(names = "--apply", description = "Make the calls, then verify them.")
  private boolean apply;

  @Option(
      names = "--tag",
      paramLabel = "KEY=VALUE",
      description =
          "The value of a required tag a key is missing (Owner, Environment, Purpose, DataClassification).")
  private List<String> tags = new ArrayList<>();

  @Option(
      names = "--alias",
      paramLabel = "ALIAS",
      description = "The alias for a key that has none (one key only).")
  private @Nullable String alias;

  @Option(
      names = "--roles",
      paramLabel = "FILE",
      description = "A role file: replace the key policy with its policy.")
  private @Nullable String roles;

  @Option(
      names = "--rotation-days",
      paramLabel = "N",
      defaultValue = "365",
      description = "The rotation period to turn on (default: ${DEFAULT-VALUE}).")
  private int rotationDays;

  @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send requests here.")
  private @Nullable String endpointUrl;

  @Option(names = "--profile", paramLabel = "P", description = "The AWS profile for credentials.")
  private @Nullable String profile;

  @Option(
      names = "--region",
      paramLabel = "R",
      description = "The default Region; else AWS_REGION.")
  private @Nullable String region;

  @Option(
      names = "--caller",
      paramLabel = "ARN",
      description = "The principal that will make the calls, instead of asking STS.")
  private @Nullable String caller;

  /** Creates the command; picocli calls this. */
  public FixCommand() {}

  /**
   * Plans, and with {@code --apply} makes, the fixes.
   *
   * @return the exit code
   */
  @Override
  public Integer call() {
    KmsPosture root = Objects.requireNonNull(parent, "parent");
    String reportName = report;
    if (scan == (reportName != null)) {
      throw new BadInputException(
          scan
              ? "give either a REPORT or --scan, not both"
              : "give a REPORT (a JSON report of check) or --scan to find the keys at fault now");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (AwsClients clients = AwsClients.of(region, profile, endpointUrl, root.environment())) {
      Set<String> keys =
          reportName != null
              ? keysAtFault(root.input().read(reportName), reportName)
              : scanForKeysAtFault(clients, out);
      return fix(root, clients, keys, out);
    }
  }

  private int fix(KmsPosture root, AwsClients clients, Set<String> keys, PrintWriter out) {
    if (keys.isEmpty()) {
      out.println("No key is at fault in a way fix can address.");
      return ExitCode.OK;
    }
    if (alias != null && keys.size() > 1) {
      throw new BadInputException(
          String.format(
              "--alias names one key's alias, but the findings name %d keys at fault; fix them one"
                  + " at a time or leave out --alias",
              keys.size()));
    }
    // A role file, as for policy --roles: at most InputReader.POLICY_MAX_BYTES.
    String roleText =
        roles == null ? null : root.input().forKind(InputReader.POLICY_MAX_BYTES).read(roles);
    RoleFile roleFile = null;
    if (roleText != null) {
      try {
        roleFile = RoleFile.parse(roleText, Objects.requireNonNull(roles));
      } catch (RoleFileException e) {
        throw BadInputException.from(e);
      }
    }
    int code = ExitCode.OK;
    Map<Region, KmsClient> kmsClients = new LinkedHashMap<>();
    Map<Region, CloudTrailClient> trails = new LinkedHashMap<>();
    try {
      for (String arn : keys) {
        Region r = regionOf(arn, clients.region());
        KmsClient kms =
            r.equals(clients.region())
                ? clients.kms()
                : kmsClients.computeIfAbsent(r, clients::kms);
        Remediator.Builder b =
            Remediator.builder()
                .kmsClient(kms)
                .cloudTrailClient(trails.computeIfAbsent(r, clients::cloudTrail));
        try {
          b.rotationPeriodDays(rotationDays);
          for (String t : tags) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
              throw new BadInputException(
                  String.format(
                      "--tag [%s] is not KEY=VALUE, such as --tag Owner=team-payments", t));
            }
            b.tagValue(t.substring(0, eq), t.substring(eq + 1));
          }
          if (alias != null) {
            b.alias(alias);
          }
        } catch (IllegalArgumentException e) {
          throw BadInputException.from(e);
        }
        if (roleFile != null) {
          RoleFile rf = roleFile;
          b.replacementPolicy(rf::toBuilder);
        }
        if (caller != null) {
          b.caller(caller);
        } else {
          b.stsClient(clients.sts());
        }
        Remediator remediator = b.build();
        RemediationPlan plan;
        try {
          plan = remediator.plan(arn);
        } catch (ProvisioningPlanException e) {
          throw new BadInputException("cannot plan the fixes of " + arn + ": " + e.getMessage(), e);
        }
        out.print(plan);
        if (!apply || plan.isEmpty()) {
          continue;
        }
        try {
          RemediationResult result = remediator.apply(plan);
          out.println("  verified: " + String.join(", ", result.verified()));
          for (String p : result.problems()) {
            out.println("  problem: " + p);
            code = ExitCode.INTERNAL;
          }
        } catch (ProvisioningException e) {
          spec.commandLine().getErr().println("error: " + e.getMessage());
          code = ExitCode.INTERNAL;
        }
      }
      if (!apply) {
        out.println("Run again with --apply to make these calls.");
      }
      return code;
    } finally {
      kmsClients.values().forEach(KmsClient::close);
      trails.values().forEach(CloudTrailClient::close);
    }
  }

  /**
   * Scans the Region as the caller, checks the snapshot with every built-in rule, and returns the
   * keys with an active failure of a rule that fix addresses.
   */
  private static Set<String> scanForKeysAtFault(AwsClients clients, PrintWriter out) {
    Region r = clients.region();
    AccountSnapshot snapshot;
    try (CloudTrailClient trail = clients.cloudTrail(r)) {
      snapshot =
          KmsScanner.builder()
              .kmsClients(x -> clients.kms(), List.of(r))
              .cloudTrailClients(x -> trail)
              .stsClient(clients.sts())
              // no fixable rule reads usage, and GetKeyLastUsage's quota is 5 per second
              .options(o -> o.lastUsage(false))
              .build()
              .scan();
    } catch (ScanException | SdkException e) {
      throw new BadInputException("the scan of " + r + " failed: " + e.getMessage(), e);
    }
    PostureReport checked =
        PostureEngine.builder().ruleSet(CheckCommand.builtInRules()).build().check(snapshot);
    Set<String> keys = new LinkedHashSet<>();
    for (Finding f : checked.findings()) {
      String arn = f.keyArn();
      if (arn != null
          && f.status() == Status.FAIL
          && f.disposition() == Finding.Disposition.ACTIVE
          && FIXABLE.contains(f.ruleId().value())) {
        keys.add(arn);
      }
    }
    out.printf(
        "Scanned %d keys in %s; %d at fault that fix can address.%n",
        snapshot.keys().size(), r, keys.size());
    return keys;
  }

  private static Set<String> keysAtFault(String text, String name) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadInputException(
          String.format("report [%s] is not JSON: %s", name, e.getOriginalMessage()), e);
    }
    if (root == null
        || !root.path("schemaVersion").isInt()
        || root.path("schemaVersion").asInt() != 1
        || !root.path("findings").isArray()) {
      throw new BadInputException(
          String.format(
              "report [%s] is not a kms-posture JSON report (schemaVersion 1 with findings); make"
                  + " one with: kms-posture check SNAPSHOT.json --format json",
              name));
    }
    Set<String> keys = new LinkedHashSet<>();
    for (JsonNode f : root.path("findings")) {
      if (f.path("status").asText().equals("FAIL")
          && f.path("disposition").asText("ACTIVE").equals("ACTIVE")
          && f.path("keyArn").isTextual()
          && FIXABLE.contains(f.path("ruleId").asText())) {
        keys.add(f.path("keyArn").asText());
      }
    }
    return keys;
  }

  private static Region regionOf(String arn, Region fallback) {
    String[] parts = arn.split(":", 6);
    return parts.length > 3 && !parts[3].isEmpty() ? Region.of(parts[3]) : fallback;
  }
}

package dev.kmsposture.cli;

import dev.kmsposture.aws.provision.KeyProvisioner;
import dev.kmsposture.aws.provision.ProvisionedKey;
import dev.kmsposture.aws.provision.ProvisioningException;
import dev.kmsposture.aws.provision.ProvisioningPlan;
import dev.kmsposture.aws.provision.ProvisioningPlanException;
import dev.kmsposture.blueprint.InsecureBlueprintException;
import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.rules.Finding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code kms-posture provision BLUEPRINT}: judges a key blueprint with the posture rules, prints
 * the exact KMS calls that would create (or converge) the key, and with {@code --apply} makes them,
 * verifies the key by reading it back and prints the result.
 *
 * <p>Exit codes: 0 the plan (or the applied key) is fine; 1 the rules stop the blueprint (the
 * findings are printed); 2 bad input, including a plan that cannot be made (a caller the policy
 * would lock out, an alias on a key of another spec, an account that cannot be read); 3 the apply
 * failed — the message says which call failed and the state of every key the run left behind.
 */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description = {
      "Create a KMS key from a blueprint (YAML or JSON), checked by the posture rules before any"
          + " call.",
      "Without --apply, prints the plan: the exact KMS calls, in order, with their parameters.",
      "With --apply, makes them, verifies the key and prints the result; a second --apply of the"
          + " same blueprint makes no change."
    })
final class ProvisionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec = CommandSpec.create();

  @ParentCommand private @Nullable KmsPosture parent;

  @Parameters(
      index = "0",
      paramLabel = "BLUEPRINT",
      description = "The blueprint file, or - for standard input.")
  private String blueprintFile = "";

  @Option(names = "--apply", description = "Make the calls, then verify the key.")
  private boolean apply;

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description = "Send KMS and STS requests to this endpoint (such as kms-posture local-kms's).")
  private @Nullable String endpointUrl;

  @Option(names = "--profile", paramLabel = "P", description = "The AWS profile for credentials.")
  private @Nullable String profile;

  @Option(
      names = "--region",
      paramLabel = "R",
      description = "The Region of the key (the primary, for a multi-Region key); else AWS_REGION.")
  private @Nullable String region;

  @Option(
      names = "--caller",
      paramLabel = "ARN",
      description =
          "The principal that will run the plan, instead of asking STS (for plans made offline or"
              + " run later by a pipeline role).")
  private @Nullable String caller;

  @Option(
      names = "--add-caller-as-administrator",
      description =
          "When the blueprint's policy would not let the caller make the plan's calls or keep"
              + " PutKeyPolicy, name it an administrator instead of refusing.")
  private boolean addCallerAsAdministrator;

  @Option(
      names = "--keep-failed-keys",
      description =
          "After a failed apply, tag and disable the keys the run created but do not schedule"
              + " their deletion.")
  private boolean keepFailedKeys;

  @Option(
      names = "--adr-out",
      paramLabel = "ADR.md",
      description = "With --apply, write the key's architecture decision record (Markdown) here.")
  private @Nullable Path adrOut;

  /** Creates the command; picocli calls this. */
  public ProvisionCommand() {}

  /**
   * Plans, and with {@code --apply} provisions, the blueprint's key.
   *
   * @return the exit code
   */
  @Override
  public Integer call() {
    KmsPosture root = Objects.requireNonNull(parent, "parent");
    if (adrOut != null && !apply) {
      throw new BadInputException("--adr-out needs --apply: the ADR records a key that exists");
    }
    if (adrOut != null) {
      OutputFiles.refuseInputs("--adr-out", adrOut, blueprintFile);
    }
    String text = root.input().read(blueprintFile);
    KeyBlueprint blueprint;
    try {
      blueprint = KeyBlueprint.parse(text, blueprintFile);
    } catch (IllegalArgumentException e) {
      throw BadInputException.from(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<Region, KmsClient> regional = new ConcurrentHashMap<>();
    try (AwsClients clients = AwsClients.of(region, profile, endpointUrl, root.environment())) {
      KeyProvisioner.Builder b =
          KeyProvisioner.builder()
              .kmsClient(clients.kms())
              .regionalClients(
                  r ->
                      r.equals(clients.region())
                          ? clients.kms()
                          : regional.computeIfAbsent(r, clients::kms))
              .addCallerAsAdministrator(addCallerAsAdministrator)
              .keepFailedKeys(keepFailedKeys);
      if (caller != null) {
        b.caller(caller);
      } else {
        b.stsClient(clients.sts());
      }
      KeyProvisioner provisioner;
      try {
        provisioner = b.build();
      } catch (IllegalArgumentException e) {
        throw BadInputException.from(e);
      }
      ProvisioningPlan plan;
      try {
        plan = provisioner.plan(blueprint);
      } catch (InsecureBlueprintException e) {
        out.printf("The rules stop %s before any KMS call:%n", blueprint.alias());
        for (Finding f : e.findings()) {
          out.printf("  %s %s: %s%n", f.severity(), f.ruleId().value(), f.message());
        }
        out.println(
            "Fix the blueprint, or let one rule through with insecureOverrides: [{rule: RULE,"
                + " reason: ...}] (the reason is recorded in the plan and the ADR).");
        return ExitCode.FINDINGS;
      } catch (ProvisioningPlanException | IllegalArgumentException e) {
        throw new BadInputException("cannot plan " + blueprint.alias() + ": " + e.getMessage(), e);
      }
      out.print(plan);
      if (!apply) {
        out.println(
            plan.isEmpty() ? "Nothing to do." : "Run again with --apply to make these calls.");
        return ExitCode.OK;
      }
      ProvisionedKey key;
      try {
        key = provisioner.apply(plan);
      } catch (ProvisioningException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return ExitCode.INTERNAL;
      }
      out.println(key);
      out.println("verified: " + String.join(", ", key.verified()));
      for (String w : key.warnings()) {
        out.println("warning: " + w);
      }
      if (adrOut != null) {
        String adr = key.adr();
        OutputFiles.write(adrOut, w -> w.write(adr));
        out.println("ADR written to " + adrOut);
      }
      return ExitCode.OK;
    } finally {
      List<KmsClient> opened = new ArrayList<>(regional.values());
      opened.forEach(KmsClient::close);
    }
  }
}

package dev.kmsposture.cli;

import dev.kmsposture.aws.provision.KeyRetirement;
import dev.kmsposture.aws.provision.RetirementRefusedException;
import dev.kmsposture.aws.provision.RetirementStatus;
import java.io.PrintWriter;
import java.time.Duration;
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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code kms-posture retire KEY}: shows where a key stands on the safe way to deletion and its next
 * step; with {@code --apply} takes that step: disable it (tagging when), or — after a full business
 * cycle with no use attempts — schedule its deletion; {@code --cancel --apply} cancels a scheduled
 * deletion.
 *
 * <p>Exit codes: 0 the step is possible (or was taken); 1 the guard refuses deletion (the reasons
 * are printed); 2 bad input.
 */
@Command(
    name = "retire",
    mixinStandardHelpOptions = true,
    description = {
      "Disable a key and schedule its deletion in safe steps: disable, watch CloudTrail for use"
          + " attempts for a business cycle, then schedule the deletion.",
      "Without --apply, prints the key's status and its next step; with --apply, takes it."
    })
final class RetireCommand implements Callable<Integer> {
  @Spec private CommandSpec spec = CommandSpec.create();

  @ParentCommand private @Nullable KmsPosture parent;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key: id, ARN or alias/NAME.")
  private String key = "";

  @Option(names = "--apply", description = "Take the next step.")
  private boolean apply;

  @Option(names = "--cancel", description = "With --apply, cancel a scheduled deletion.")
  private boolean cancel;

  @Option(
      names = "--cycle-days",
      paramLabel = "N",
      defaultValue = "30",
      description =
          "How long a disabled key is watched before deletion (default: ${DEFAULT-VALUE}).")
  private int cycleDays;

  @Option(
      names = "--window-days",
      paramLabel = "N",
      defaultValue = "30",
      description = "The deletion window, 7 to 30 days (default: ${DEFAULT-VALUE}).")
  private int windowDays;

  @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send requests here.")
  private @Nullable String endpointUrl;

  @Option(names = "--profile", paramLabel = "P", description = "The AWS profile for credentials.")
  private @Nullable String profile;

  @Option(names = "--region", paramLabel = "R", description = "The key's Region; else AWS_REGION.")
  private @Nullable String region;

  /** Creates the command; picocli calls this. */
  public RetireCommand() {}

  /**
   * Prints the status, and with {@code --apply} takes the next step.
   *
   * @return the exit code
   */
  @Override
  public Integer call() {
    KmsPosture root = Objects.requireNonNull(parent, "parent");
    if (cancel && !apply) {
      throw new BadInputException("--cancel needs --apply");
    }
    if (cycleDays < 1) {
      throw new BadInputException(
          String.format(
              "--cycle-days [%d] is below 1; a key is watched at least a day", cycleDays));
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<Region, KmsClient> kmsClients = new ConcurrentHashMap<>();
    Map<Region, CloudTrailClient> trails = new ConcurrentHashMap<>();
    try (AwsClients clients = AwsClients.of(region, profile, endpointUrl, root.environment())) {
      KeyRetirement retirement;
      try {
        retirement =
            KeyRetirement.builder()
                .kmsClient(clients.kms())
                .regionalClients(
                    r ->
                        r.equals(clients.region())
                            ? clients.kms()
                            : kmsClients.computeIfAbsent(r, clients::kms))
                .cloudTrailClients(r -> trails.computeIfAbsent(r, clients::cloudTrail))
                .businessCycle(Duration.ofDays(cycleDays))
                .deletionWindowDays(windowDays)
                .build();
      } catch (IllegalArgumentException e) {
        throw BadInputException.from(e);
      }
      try {
        RetirementStatus s = retirement.status(key);
        out.println(s);
        if (!apply) {
          out.println("next: " + next(s));
          return s.state().equals("Enabled") || s.deletionAllowed()
              ? ExitCode.OK
              : ExitCode.FINDINGS;
        }
        RetirementStatus after;
        if (cancel) {
          after = retirement.cancelDeletion(key);
        } else if (s.members().stream().anyMatch(m -> m.state().equals("Enabled"))) {
          after = retirement.disable(key);
        } else {
          after = retirement.scheduleDeletion(key);
        }
        out.println("now: " + after);
        return ExitCode.OK;
      } catch (RetirementRefusedException e) {
        out.println("refused: " + e.getMessage());
        return ExitCode.FINDINGS;
      } catch (SdkException e) {
        throw new BadInputException("cannot retire [" + key + "]: " + e.getMessage(), e);
      }
    } finally {
      kmsClients.values().forEach(KmsClient::close);
      trails.values().forEach(CloudTrailClient::close);
    }
  }

  private String next(RetirementStatus s) {
    if (s.members().stream().anyMatch(m -> m.state().equals("Enabled"))) {
      return "disable (retire --apply), then watch it for " + cycleDays + " days";
    }
    if (s.deletionAllowed()) {
      return "schedule the deletion with a " + windowDays + "-day window (retire --apply)";
    }
    return "wait: " + String.join("; ", s.refusals());
  }
}

package dev.kmsposture.cli;

import dev.kmsposture.aws.permissions.ScannerPolicy;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture scanner-policy [--resources] [--cloudtrail] [--organization [--role-name
 * NAME]]}: prints the least-privilege IAM policy a scan needs — read-only actions only — so a
 * security team can create the audit role in one step. Exits {@link ExitCode#OK}, or {@link
 * ExitCode#BAD_INPUT} for a role name IAM would reject.
 */
@Command(
    name = "scanner-policy",
    mixinStandardHelpOptions = true,
    description = {
      "Print the least-privilege IAM policy a scan needs (read-only actions only).",
      "Attach it to the audit role the scan uses."
    })
final class ScannerPolicyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec = CommandSpec.create();

  @Option(
      names = "--resources",
      description =
          "Add the reads of the resource inventory (scan --resources): S3, EBS, RDS,"
              + " Secrets Manager, CloudWatch Logs, SNS, SQS, EFS, FSx, DynamoDB.")
  private boolean resources;

  @Option(
      names = "--cloudtrail",
      description = "Add the CloudTrail reads: trails, event data stores, LookupEvents.")
  private boolean cloudTrail;

  @Option(
      names = "--organization",
      description =
          "Add what the management account's caller needs: organizations:ListAccounts and"
              + " sts:AssumeRole on the audit role of every account.")
  private boolean organization;

  @Option(
      names = "--role-name",
      paramLabel = "NAME",
      description = "The audit role's name, for --organization (default: ${DEFAULT-VALUE}).",
      defaultValue = "KmsPostureAudit")
  private String roleName = "KmsPostureAudit";

  /** Creates the command; picocli calls this. */
  public ScannerPolicyCommand() {}

  /**
   * Prints the policy.
   *
   * @return {@link ExitCode#OK}
   */
  @Override
  public Integer call() {
    ScannerPolicy.Options options;
    try {
      options = new ScannerPolicy.Options(resources, cloudTrail, organization, roleName);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--role-name: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(ScannerPolicy.json(options));
    out.flush();
    return ExitCode.OK;
  }
}

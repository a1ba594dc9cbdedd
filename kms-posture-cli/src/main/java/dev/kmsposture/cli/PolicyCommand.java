package dev.kmsposture.cli;

import dev.kmsposture.leastprivilege.AwsService;
import dev.kmsposture.leastprivilege.BreakGlass;
import dev.kmsposture.leastprivilege.BuilderFinding;
import dev.kmsposture.leastprivilege.BuiltKeyPolicy;
import dev.kmsposture.leastprivilege.InsecurePolicyException;
import dev.kmsposture.leastprivilege.KeyKind;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.policy.AccountId;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture policy}: builds a least-privilege key policy from roles given as flags or in a
 * JSON role file, and prints it on standard output ({@link ExitCode#OK}). When the policy would be
 * insecure it prints the findings that stopped it on standard error ({@link ExitCode#FINDINGS});
 * bad input prints {@code error: <message>} ({@link ExitCode#BAD_INPUT}). The command handles its
 * own errors, so it behaves the same when run on its own ({@code new CommandLine(new
 * PolicyCommand())}) and under the root command.
 *
 * <p>A role file (docs/role-file.md lists every field) is a JSON object, or a YAML mapping:
 *
 * <pre>{@code
 * {
 *   "account": "111122223333",
 *   "administrators": ["arn:aws:iam::111122223333:role/KeyAdmin"],
 *   "serviceUsers": [{"principals": ["arn:aws:iam::111122223333:role/App"],
 *                     "services": ["s3"], "regions": ["us-east-1"]}],
 *   "breakGlass": "none"
 * }
 * }</pre>
 *
 * Flags add to what the file gives; a flag with a single value ({@code --account}, {@code
 * --partition}, {@code --break-glass}, {@code --caller}, {@code --key-spec}, {@code
 * --allow-admin-use}) replaces the file's value. Errors in the file name it and the JSON Pointer of
 * the field; messages name flags, never the builder's Java methods.
 */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = {
      "Builds a least-privilege key policy from roles and prints it as JSON.",
      "Exit 0: the policy is on standard output (notes on standard error).",
      "Exit 1: the policy would be insecure; the findings are on standard error.",
      "Exit 2: bad input."
    })
public final class PolicyCommand implements Callable<Integer> {
  @Spec private @Nullable CommandSpec spec;

  @Option(names = "--account", paramLabel = "ACCOUNT", description = "The key's 12-digit account.")
  private @Nullable String account;

  @Option(
      names = "--partition",
      paramLabel = "PARTITION",
      description = "The partition (default: aws).")
  private @Nullable String partition;

  @Option(names = "--admin", paramLabel = "ARN", description = "A key administrator (repeatable).")
  private List<String> admins = new ArrayList<>();

  @Option(names = "--user", paramLabel = "ARN", description = "A key user (repeatable).")
  private List<String> users = new ArrayList<>();

  @Option(
      names = "--via-service",
      paramLabel = "SERVICE:REGION",
      description =
          "Restricts every --user to a service in a Region, such as s3:us-east-1 (repeatable).")
  private List<String> viaServices = new ArrayList<>();

  @Option(
      names = "--grant-user",
      paramLabel = "ARN",
      description = "May create grants for AWS resources only (repeatable).")
  private List<String> grantUsers = new ArrayList<>();

  @Option(
      names = "--auditor",
      paramLabel = "ARN",
      description = "A read-only auditor (repeatable).")
  private List<String> auditors = new ArrayList<>();

  @Option(
      names = "--cross-account",
      paramLabel = "ACCOUNT_OR_ARN",
      description = "An external account or role that may use the key (repeatable).")
  private List<String> crossAccount = new ArrayList<>();

  @Option(
      names = "--cross-account-grants",
      description = "Cross-account users may also create grants for AWS resources.")
  private boolean crossAccountGrants;

  @Option(
      names = "--break-glass",
      paramLabel = "ROLE_ARN|root|none",
      description =
          "Break-glass: a role (root restricted to it), root (the AWS default, kms:* to the"
              + " account root) or none (default).")
  private @Nullable String breakGlass;

  @Option(
      names = "--caller",
      paramLabel = "ARN",
      description = "The principal that will send the policy (KMS's lockout safety check).")
  private @Nullable String caller;

  @Option(
      names = "--key-spec",
      paramLabel = "SPEC[:USAGE]",
      description =
          "The key spec, and the usage when the spec has several, such as SYMMETRIC_DEFAULT,"
              + " HMAC_256 or RSA_3072:SIGN_VERIFY (default: SYMMETRIC_DEFAULT).")
  private @Nullable String keySpec;

  @Option(
      names = "--roles",
      paramLabel = "FILE",
      description =
          "A role file (docs/role-file.md): JSON, or YAML when the name ends in .yaml or .yml;"
              + " - for standard input (JSON).")
  private @Nullable String roles;

  @Option(
      names = "--allow-admin-use",
      paramLabel = "REASON",
      description =
          "Let a principal both administer and use the key, for a written REASON (an ADR or"
              + " ticket); the policy then carries a note with it.")
  private @Nullable String allowAdminUse;

  @ParentCommand private @Nullable KmsPosture parent;

  /** Creates the command; picocli sets the options. */
  public PolicyCommand() {}

  @Override
  public Integer call() {
    CommandSpec s = spec;
    PrintWriter out = s == null ? new PrintWriter(System.out, true) : s.commandLine().getOut();
    PrintWriter err = s == null ? new PrintWriter(System.err, true) : s.commandLine().getErr();
    KeyPolicyBuilder builder;
    RoleFile file;
    try {
      file = roles == null ? RoleFile.EMPTY : RoleFile.read(input(), roles);
      builder = configure(file);
    } catch (IllegalArgumentException | IllegalStateException | BadInputException e) {
      err.println("error: " + PolicyFlags.wording(String.valueOf(e.getMessage())));
      err.flush();
      return ExitCode.BAD_INPUT;
    }
    try {
      BuiltKeyPolicy built = builder.build();
      out.print(built.toJson());
      out.flush();
      for (BuilderFinding f : built.findings()) {
        err.println("note: " + PolicyFlags.wording(f.toString()));
      }
      err.flush();
      return ExitCode.OK;
    } catch (InsecurePolicyException e) {
      err.println("refusing to build an insecure key policy:");
      for (BuilderFinding f : e.findings()) {
        err.println(PolicyFlags.wording(f.toString()));
      }
      err.flush();
      return ExitCode.FINDINGS;
    } catch (IllegalArgumentException | IllegalStateException e) {
      // The builder checks the roles together when it builds: point at the role-file value its
      // message names, if any.
      String message = PolicyFlags.wording(String.valueOf(e.getMessage()));
      err.println("error: " + file.locate(message).map(Throwable::getMessage).orElse(message));
      err.flush();
      return ExitCode.BAD_INPUT;
    }
  }

  private InputReader input() {
    return parent != null
        ? parent.input()
        : InputReader.of(System.in, InputReader.DEFAULT_MAX_BYTES);
  }

  private KeyPolicyBuilder configure(RoleFile file) {
    RoleFile.Value fileAccount = file.text("account");
    String acct = account != null ? account : fileAccount == null ? null : fileAccount.text();
    if (acct == null) {
      if (roles != null) {
        throw file.problem(
            "/account", "no account given; set \"account\" in the role file or pass --account");
      }
      throw new IllegalArgumentException(
          "no account given; pass --account ACCOUNT or set \"account\" in a role file (--roles)");
    }
    AccountId accountId;
    try {
      accountId = AccountId.of(acct);
    } catch (IllegalArgumentException e) {
      if (account == null && fileAccount != null) {
        throw file.problem(fileAccount.pointer(), String.valueOf(e.getMessage()));
      }
      throw new IllegalArgumentException("--account: " + e.getMessage(), e);
    }
    KeyPolicyBuilder b = KeyPolicyBuilder.forAccount(accountId);
    if (partition != null) {
      b.partition(partition);
    } else if (file.text("partition") != null) {
      file.apply(Objects.requireNonNull(file.text("partition")), b::partition);
    }
    RoleFile.Value fileSpec = file.text("keySpec");
    RoleFile.Value fileUsage = file.text("keyUsage");
    if (keySpec != null) {
      b.keyKind(keyKind(keySpec));
    } else if (fileSpec != null) {
      file.apply(
          fileSpec,
          spec ->
              b.keyKind(fileUsage != null ? KeyKind.of(spec, fileUsage.text()) : keyKind(spec)));
    }
    file.apply(file.texts("administrators"), b::addAdministrator);
    admins.forEach(b::addAdministrator);
    file.apply(file.texts("users"), b::addUser);
    for (RoleFile.ServiceUse su : file.serviceUsers()) {
      List<AwsService> services = new ArrayList<>();
      file.apply(su.services(), name -> services.add(service(name)));
      file.apply(
          new RoleFile.Value("", su.pointer()),
          unused ->
              b.addServiceUsers(
                  su.principals().stream().map(RoleFile.Value::text).toList(),
                  services,
                  su.regions().stream().map(RoleFile.Value::text).toList()));
    }
    if (viaServices.isEmpty()) {
      users.forEach(b::addUser);
    } else {
      if (users.isEmpty()) {
        throw new IllegalArgumentException(
            "--via-service restricts --user principals, but no --user is given");
      }
      Map<String, TreeSet<String>> regionsByService = new TreeMap<>();
      Map<String, AwsService> services = new TreeMap<>();
      for (String v : viaServices) {
        int colon = v.indexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
          throw new IllegalArgumentException(
              String.format(
                  "--via-service [%s] is not SERVICE:REGION; expected e.g. s3:us-east-1", v));
        }
        AwsService service = service(v.substring(0, colon));
        services.put(service.name(), service);
        regionsByService
            .computeIfAbsent(service.name(), k -> new TreeSet<>())
            .add(v.substring(colon + 1));
      }
      for (Map.Entry<String, TreeSet<String>> e : regionsByService.entrySet()) {
        b.addServiceUsers(users, List.of(services.get(e.getKey())), e.getValue());
      }
    }
    file.apply(file.texts("grantUsers"), b::addGrantUser);
    grantUsers.forEach(b::addGrantUser);
    file.apply(file.texts("auditors"), b::addAuditor);
    auditors.forEach(b::addAuditor);
    file.apply(file.texts("crossAccount"), b::addCrossAccountUser);
    crossAccount.forEach(b::addCrossAccountUser);
    b.crossAccountGrants(crossAccountGrants || file.crossAccountGrants());
    RoleFile.Value fileBreakGlass = file.text("breakGlass");
    if (breakGlass != null) {
      b.breakGlass(breakGlass(breakGlass));
    } else if (fileBreakGlass != null) {
      file.apply(fileBreakGlass, value -> b.breakGlass(breakGlass(value)));
    }
    RoleFile.Value fileCaller = file.text("caller");
    if (caller != null) {
      b.caller(caller);
    } else if (fileCaller != null) {
      file.apply(fileCaller, b::caller);
    }
    RoleFile.Value fileReason = file.text("allowAdminUse");
    if (allowAdminUse != null) {
      try {
        b.acknowledgeAdminCanUse(allowAdminUse);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--allow-admin-use needs a reason; write why a principal may both administer and use"
                + " the key (an ADR or ticket reference)",
            e);
      }
    } else if (fileReason != null) {
      file.apply(fileReason, b::acknowledgeAdminCanUse);
    }
    return b;
  }

  private static AwsService service(String name) {
    return AwsService.lookup(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    String.format(
                        "service [%s] is not known; expected one of s3, ebs, rds, secretsmanager,"
                            + " logs, sns, sqs, efs, fsx, dynamodb",
                        name)));
  }

  private static BreakGlass breakGlass(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "none":
        return BreakGlass.none();
      case "root":
        return BreakGlass.awsDefault();
      default:
        if (!value.startsWith("arn:")) {
          throw new IllegalArgumentException(
              String.format(
                  "break-glass [%s] is not valid; expected a role ARN, root or none", value));
        }
        return BreakGlass.rootRestrictedTo(value);
    }
  }

  private static KeyKind keyKind(String value) {
    int colon = value.indexOf(':');
    if (colon >= 0) {
      return KeyKind.of(value.substring(0, colon), value.substring(colon + 1));
    }
    return KeyKind.forSpec(value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    String.format(
                        "key spec [%s] needs a usage (or is unknown); write SPEC:USAGE, such as"
                            + " RSA_3072:SIGN_VERIFY",
                        value)));
  }
}

package dev.kmsposture.cli;

import dev.kmsposture.leastprivilege.AwsService;
import dev.kmsposture.leastprivilege.BuilderFinding;
import dev.kmsposture.leastprivilege.BuiltKeyPolicy;
import dev.kmsposture.leastprivilege.InsecurePolicyException;
import dev.kmsposture.leastprivilege.KeyKind;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.leastprivilege.RoleFile;
import dev.kmsposture.policy.AccountId;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
final class PolicyCommand implements Callable<Integer> {
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
    PrintWriter out =
        s == null
            ? new PrintWriter(new OutputStreamWriter(System.out, Charset.defaultCharset()), true)
            : s.commandLine().getOut();
    PrintWriter err =
        s == null
            ? new PrintWriter(new OutputStreamWriter(System.err, Charset.defaultCharset()), true)
            : s.commandLine().getErr();
    KeyPolicyBuilder builder;
    RoleFile file;
    try {
      file = roles == null ? RoleFile.EMPTY : readRoleFile(roles);
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

  // The role file is read through the bounded reader (1 MiB, as key policies) and parsed by core's
  // reader, which the provisioner's blueprints share.
  private RoleFile readRoleFile(String name) {
    String text = input().forKind(InputReader.POLICY_MAX_BYTES).read(name);
    return RoleFile.parse(text, name);
  }

  private KeyPolicyBuilder configure(RoleFile file) {
    Optional<RoleFile.Value> fileAccount = file.text("account");
    String acct = account != null ? account : fileAccount.map(RoleFile.Value::text).orElse(null);
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
      if (account == null && fileAccount.isPresent()) {
        throw file.problem(fileAccount.get().pointer(), String.valueOf(e.getMessage()));
      }
      throw new IllegalArgumentException("--account: " + e.getMessage(), e);
    }
    KeyPolicyBuilder b = KeyPolicyBuilder.forAccount(accountId);
    // A flag with a single value replaces the file's value; lists add to it.
    Set<String> replaced = new HashSet<>();
    replaced.add("account");
    if (partition != null) {
      replaced.add("partition");
    }
    if (keySpec != null) {
      replaced.add("keySpec");
    }
    if (breakGlass != null) {
      replaced.add("breakGlass");
    }
    if (caller != null) {
      replaced.add("caller");
    }
    if (allowAdminUse != null) {
      replaced.add("allowAdminUse");
    }
    if (partition != null) {
      b.partition(partition);
    }
    if (keySpec != null) {
      b.keyKind(keyKind(keySpec));
    }
    file.applyTo(b, replaced);
    admins.forEach(b::addAdministrator);
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
        AwsService service = RoleFile.service(v.substring(0, colon));
        services.put(service.name(), service);
        regionsByService
            .computeIfAbsent(service.name(), k -> new TreeSet<>())
            .add(v.substring(colon + 1));
      }
      for (Map.Entry<String, TreeSet<String>> e : regionsByService.entrySet()) {
        b.addServiceUsers(users, List.of(services.get(e.getKey())), e.getValue());
      }
    }
    grantUsers.forEach(b::addGrantUser);
    auditors.forEach(b::addAuditor);
    crossAccount.forEach(b::addCrossAccountUser);
    if (crossAccountGrants) {
      b.crossAccountGrants(true);
    }
    if (breakGlass != null) {
      b.breakGlass(RoleFile.breakGlass(breakGlass));
    }
    if (caller != null) {
      b.caller(caller);
    }
    if (allowAdminUse != null) {
      try {
        b.acknowledgeAdminCanUse(allowAdminUse);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--allow-admin-use needs a reason; write why a principal may both administer and use"
                + " the key (an ADR or ticket reference)",
            e);
      }
    }
    return b;
  }

  private static KeyKind keyKind(String value) {
    int colon = value.indexOf(':');
    if (colon >= 0) {
      return KeyKind.of(value.substring(0, colon), value.substring(colon + 1));
    }
    return RoleFile.keyKindOf(value, "write SPEC:USAGE, such as RSA_3072:SIGN_VERIFY");
  }
}

package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kmsposture.leastprivilege.AwsService;
import dev.kmsposture.leastprivilege.BreakGlass;
import dev.kmsposture.leastprivilege.BuilderFinding;
import dev.kmsposture.leastprivilege.BuiltKeyPolicy;
import dev.kmsposture.leastprivilege.InsecurePolicyException;
import dev.kmsposture.leastprivilege.KeyKind;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.policy.AccountId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture policy}: builds a least-privilege key policy from roles given as flags or in a
 * JSON role file, and prints it on standard output ({@link ExitCode#OK}). When the policy would be
 * insecure it prints the findings that stopped it on standard error ({@link ExitCode#FINDINGS});
 * bad input prints {@code error: <message>} ({@link ExitCode#BAD_INPUT}). The command handles its
 * own errors, so it behaves the same when run on its own ({@code new CommandLine(new
 * PolicyCommand())}) and under the root command.
 *
 * <p>A role file is a JSON object with these fields, all optional but {@code account}:
 *
 * <pre>{@code
 * {
 *   "account": "111122223333",
 *   "partition": "aws",
 *   "keySpec": "SYMMETRIC_DEFAULT", "keyUsage": "ENCRYPT_DECRYPT",
 *   "administrators": ["arn:aws:iam::111122223333:role/KeyAdmin"],
 *   "users": ["arn:aws:iam::111122223333:role/Batch"],
 *   "serviceUsers": [{"principals": ["arn:aws:iam::111122223333:role/App"],
 *                     "services": ["s3"], "regions": ["us-east-1"]}],
 *   "grantUsers": [], "auditors": [], "crossAccount": ["444455556666"],
 *   "crossAccountGrants": false,
 *   "breakGlass": "none",
 *   "caller": "arn:aws:iam::111122223333:role/KeyAdmin"
 * }
 * }</pre>
 *
 * Flags add to what the file gives; a flag with a single value ({@code --account}, {@code
 * --break-glass}, {@code --caller}, {@code --key-spec}) replaces the file's value.
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
  private static final Set<String> ROLE_FILE_FIELDS =
      Set.of(
          "account",
          "partition",
          "keySpec",
          "keyUsage",
          "administrators",
          "users",
          "serviceUsers",
          "grantUsers",
          "auditors",
          "crossAccount",
          "crossAccountGrants",
          "breakGlass",
          "caller");

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
      description = "A role file: JSON, or YAML when the name ends in .yaml or .yml.")
  private @Nullable Path roles;

  /** Creates the command; picocli sets the options. */
  public PolicyCommand() {}

  @Override
  public Integer call() {
    CommandSpec s = spec;
    PrintWriter out = s == null ? new PrintWriter(System.out, true) : s.commandLine().getOut();
    PrintWriter err = s == null ? new PrintWriter(System.err, true) : s.commandLine().getErr();
    KeyPolicyBuilder builder;
    try {
      builder = configure();
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCode.BAD_INPUT;
    }
    try {
      BuiltKeyPolicy built = builder.build();
      out.print(built.toJson());
      out.flush();
      for (BuilderFinding f : built.findings()) {
        err.println("note: " + f);
      }
      err.flush();
      return ExitCode.OK;
    } catch (InsecurePolicyException e) {
      err.println("refusing to build an insecure key policy:");
      for (BuilderFinding f : e.findings()) {
        err.println(f);
      }
      err.flush();
      return ExitCode.FINDINGS;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCode.BAD_INPUT;
    }
  }

  private KeyPolicyBuilder configure() {
    RoleFile file = roles == null ? RoleFile.EMPTY : RoleFile.read(roles);
    String acct = account != null ? account : file.account;
    if (acct == null) {
      throw new IllegalArgumentException(
          "no account given; pass --account ACCOUNT or set \"account\" in the role file");
    }
    KeyPolicyBuilder b = KeyPolicyBuilder.forAccount(AccountId.of(acct));
    String part = partition != null ? partition : file.partition;
    if (part != null) {
      b.partition(part);
    }
    if (keySpec != null) {
      b.keyKind(keyKind(keySpec));
    } else if (file.keySpec != null) {
      b.keyKind(
          file.keyUsage != null ? KeyKind.of(file.keySpec, file.keyUsage) : keyKind(file.keySpec));
    }
    file.administrators.forEach(b::addAdministrator);
    admins.forEach(b::addAdministrator);
    file.users.forEach(b::addUser);
    for (RoleFile.ServiceUse su : file.serviceUsers) {
      b.addServiceUsers(su.principals, su.services, su.regions);
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
    file.grantUsers.forEach(b::addGrantUser);
    grantUsers.forEach(b::addGrantUser);
    file.auditors.forEach(b::addAuditor);
    auditors.forEach(b::addAuditor);
    file.crossAccount.forEach(b::addCrossAccountUser);
    crossAccount.forEach(b::addCrossAccountUser);
    b.crossAccountGrants(crossAccountGrants || file.crossAccountGrants);
    String bg = breakGlass != null ? breakGlass : file.breakGlass;
    if (bg != null) {
      b.breakGlass(breakGlass(bg));
    }
    String c = caller != null ? caller : file.caller;
    if (c != null) {
      b.caller(c);
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

  /** The parsed role file. */
  private static final class RoleFile {
    static final RoleFile EMPTY = new RoleFile();

    @Nullable String account;
    @Nullable String partition;
    @Nullable String keySpec;
    @Nullable String keyUsage;
    @Nullable String breakGlass;
    @Nullable String caller;
    boolean crossAccountGrants;
    List<String> administrators = List.of();
    List<String> users = List.of();
    List<String> grantUsers = List.of();
    List<String> auditors = List.of();
    List<String> crossAccount = List.of();
    List<ServiceUse> serviceUsers = List.of();

    static final class ServiceUse {
      List<String> principals = List.of();
      List<AwsService> services = List.of();
      List<String> regions = List.of();
    }

    static RoleFile read(Path path) {
      String text;
      try {
        text = Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            String.format("cannot read role file [%s]: %s", path, e.getMessage()), e);
      }
      JsonNode root;
      try {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        ObjectMapper mapper = yaml ? new YAMLMapper() : new ObjectMapper();
        root = mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).readTree(text);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            String.format(
                "role file [%s] is not valid JSON or YAML: %s", path, e.getOriginalMessage()),
            e);
      }
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException(
            String.format("role file [%s] must hold one JSON object or YAML mapping", path));
      }
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!ROLE_FILE_FIELDS.contains(f)) {
          throw new IllegalArgumentException(
              String.format(
                  "role file field [%s] is not known; expected one of %s",
                  f, new TreeSet<>(ROLE_FILE_FIELDS)));
        }
      }
      RoleFile r = new RoleFile();
      r.account = text(root, "account");
      r.partition = text(root, "partition");
      r.keySpec = text(root, "keySpec");
      r.keyUsage = text(root, "keyUsage");
      r.breakGlass = text(root, "breakGlass");
      r.caller = text(root, "caller");
      JsonNode g = root.get("crossAccountGrants");
      if (g != null && !g.isBoolean()) {
        throw new IllegalArgumentException(
            "role file field [crossAccountGrants] must be a boolean");
      }
      r.crossAccountGrants = g != null && g.booleanValue();
      r.administrators = texts(root, "administrators");
      r.users = texts(root, "users");
      r.grantUsers = texts(root, "grantUsers");
      r.auditors = texts(root, "auditors");
      r.crossAccount = texts(root, "crossAccount");
      JsonNode su = root.get("serviceUsers");
      if (su != null) {
        if (!su.isArray()) {
          throw new IllegalArgumentException(
              "role file field [serviceUsers] must be an array of objects");
        }
        List<ServiceUse> list = new ArrayList<>();
        for (JsonNode n : su) {
          if (!n.isObject()) {
            throw new IllegalArgumentException(
                "role file field [serviceUsers] must be an array of objects");
          }
          ServiceUse u = new ServiceUse();
          u.principals = texts(n, "principals");
          List<AwsService> services = new ArrayList<>();
          for (String name : texts(n, "services")) {
            services.add(service(name));
          }
          u.services = services;
          u.regions = texts(n, "regions");
          list.add(u);
        }
        r.serviceUsers = list;
      }
      return r;
    }

    private static @Nullable String text(JsonNode node, String field) {
      JsonNode v = node.get(field);
      if (v == null) {
        return null;
      }
      if (!v.isTextual()) {
        throw new IllegalArgumentException(
            String.format("role file field [%s] must be a string", field));
      }
      return v.textValue();
    }

    private static List<String> texts(JsonNode node, String field) {
      JsonNode v = node.get(field);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw new IllegalArgumentException(
            String.format("role file field [%s] must be an array of strings", field));
      }
      List<String> out = new ArrayList<>();
      for (JsonNode n : v) {
        if (!n.isTextual()) {
          throw new IllegalArgumentException(
              String.format("role file field [%s] must be an array of strings", field));
        }
        out.add(n.textValue());
      }
      return out;
    }
  }
}

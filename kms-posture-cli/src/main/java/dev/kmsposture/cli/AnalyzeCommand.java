package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.AccessDiff;
import dev.kmsposture.access.AccessEntry;
import dev.kmsposture.access.LockoutCheck;
import dev.kmsposture.access.LockoutVerdict;
import dev.kmsposture.access.PrincipalActions;
import dev.kmsposture.access.PublicVerdict;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.PolicyParseException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture analyze}: prints who can do what with a key, and the public, cross-account,
 * separation-of-duties and lockout verdicts, each with the statements behind it.
 *
 * <p>With {@code --diff OLD.json}, it also prints the access the analysed policy grants that the
 * old one did not, and what it removes ({@link AccessDiff}).
 *
 * <p>Exit status ({@link ExitCode}): 1 when a verdict named by {@code --fail-on} holds ({@code
 * public}, {@code cross-account}, {@code lockout}; default {@code public,lockout}; a verdict that
 * cannot be decided counts as holding unless {@code --allow-unknown}, see {@link AnalyzeVerdict}),
 * when the caller would fail KMS's lockout safety check ({@code --caller}), or when the policy
 * grants new access ({@code --diff}) — each reason on its own line on standard error; 0 otherwise;
 * 2 when the input cannot be read (the message on standard error names the file and, for a policy
 * KMS would reject, the JSON Pointer of the problem). With {@code --prove}, each verdict the prover
 * answered is decided by its answer, an unanswered one by the analysis ({@link ProofReport}).
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Analyse a key policy: who can do what, is the key public, shared with other accounts,"
          + " are administrators kept apart from users, can the policy still be changed.",
      "Exit status: 1 when a --fail-on verdict holds (default public,lockout; undecidable counts"
          + " as holding unless --allow-unknown), --caller would fail KMS's lockout safety check,"
          + " or --diff finds new access; 0 otherwise; 2 unreadable input."
    })
final class AnalyzeCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    text,
    json
  }

  @Option(
      names = "--policy",
      required = true,
      paramLabel = "KEYPOLICY.json",
      description = "The key policy to analyse (- for standard input).")
  private @Nullable String policyFile;

  @Option(
      names = "--account",
      required = true,
      paramLabel = "ID",
      description = "The 12-digit id of the account that owns the key.")
  private @Nullable String account;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text (default) or json.")
  private Format format = Format.text;

  @Option(
      names = "--diff",
      paramLabel = "OLD.json",
      description =
          "The policy in force: print the access the analysed policy grants that it did not, and"
              + " what it removes. Exit status 1 when there is new access.")
  private @Nullable String oldPolicyFile;

  @Option(
      names = "--key-arn",
      paramLabel = "ARN",
      description =
          "The key's ARN: a Resource other than * applies only when it matches it. Without it,"
              + " a verdict that depends on which key the policy is attached to is \"possibly\""
              + " (--prove then refuses a policy whose Resource names particular keys, and"
              + " otherwise assumes a key of --account in us-east-1).")
  private @Nullable String keyArn;

  @Option(
      names = "--caller",
      paramLabel = "ARN",
      description =
          "The principal that will send the policy: run KMS's lockout safety check for it.")
  private @Nullable String caller;

  @Option(
      names = "--prove",
      description =
          "Also answer the public, outside-access and lockout questions (and --caller, --diff)"
              + " exactly with the SMT prover, each with a witness request; its answers decide the"
              + " exit status. Needs kms-posture-prover and Z3 on the class path (prover-lib/"
              + " next to kms-posture.jar).")
  private boolean prove;

  @Option(
      names = "--fail-on",
      paramLabel = "VERDICT",
      split = ",",
      defaultValue = AnalyzeVerdict.DEFAULT,
      description =
          "Exit 1 when one of these verdicts holds: public, cross-account, lockout (repeatable or"
              + " comma-separated), or none (default: ${DEFAULT-VALUE}).")
  private List<String> failOn = new ArrayList<>();

  @Option(
      names = "--allow-unknown",
      description =
          "Do not fail on a verdict analysis cannot decide (a wildcard Allow narrowed only to a"
              + " network origin: which accounts can call is unknown; a verdict shown as"
              + " POSSIBLY); by default it counts as holding.")
  private boolean allowUnknown;

  @Spec private @Nullable CommandSpec spec;

  @ParentCommand private @Nullable KmsPosture parent;

  /** Creates the command; picocli fills in the options. */
  public AnalyzeCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec().commandLine().getOut();
    PrintWriter err = spec().commandLine().getErr();
    try {
      Set<AnalyzeVerdict.Verdict> verdicts = AnalyzeVerdict.parse(failOn);
      AccountId keyAccount = account(required(account));
      KeyPolicy policy = read(required(policyFile));
      AccessAnalysis analysis = analysis(policy, keyAccount, keyArn);
      LockoutCheck check = caller == null ? null : lockoutCheck(analysis, caller);
      KeyPolicy oldPolicy = oldPolicyFile == null ? null : read(oldPolicyFile);
      // The key's ARN decides whether a statement whose Resource names a key applies to it.
      AccessDiff diff =
          oldPolicy == null
              ? null
              : keyArn == null
                  ? AccessDiff.between(oldPolicy, policy, keyAccount)
                  : AccessDiff.between(oldPolicy, policy, keyAccount, analysis.keyArn());
      ProofReport proofs = prove ? prove(policy, oldPolicy, keyAccount) : null;
      if (format == Format.json) {
        out.println(json(analysis, check, diff, proofs));
      } else {
        text(out, analysis, check);
        if (diff != null) {
          text(out, diff, oldPolicyFile);
        }
        if (proofs != null) {
          proofs.print(out);
        }
      }
      out.flush();
      List<String> failing = AnalyzeVerdict.reasons(verdicts, allowUnknown, analysis, check, diff);
      if (proofs != null) {
        failing = proofs.reasons(failing, verdicts, analysis);
      }
      for (String reason : failing) {
        err.println("failing because of " + reason);
      }
      err.flush();
      return failing.isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    } catch (BadInputException e) {
      // Run on its own (as in tests) there is no root handler: report as the root would.
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCode.BAD_INPUT;
    }
  }

  private CommandSpec spec() {
    if (spec == null) {
      throw new IllegalStateException("analyze must be run through picocli's CommandLine");
    }
    return spec;
  }

  private static <T> T required(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("a required option is missing; picocli should have said so");
    }
    return value;
  }

  static AccountId account(String id) {
    try {
      return AccountId.of(id);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--account: " + e.getMessage(), e);
    }
  }

  private static AccessAnalysis analysis(
      KeyPolicy policy, AccountId keyAccount, @Nullable String keyArn) {
    if (keyArn == null) {
      return AccessAnalysis.of(policy, keyAccount);
    }
    try {
      return AccessAnalysis.of(policy, keyAccount, keyArn);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--key-arn: " + e.getMessage(), e);
    }
  }

  // ---- --prove ---------------------------------------------------------------------------------

  private ProofReport prove(KeyPolicy policy, @Nullable KeyPolicy oldPolicy, AccountId keyAccount) {
    if (!ProofReport.proverAvailable()) {
      throw new BadInputException(
          "--prove needs the prover module [kms-posture-prover] and Z3 on the class path; put"
              + " kms-posture-prover.jar, z3-turnkey.jar and turnkey-support.jar in prover-lib/"
              + " next to kms-posture.jar (the build does), or add them with java -cp");
    }
    if (keyArn == null) {
      // The prover's answers are exact for the key it is given: a Resource that names particular
      // keys may or may not name the real one, so a stand-in key would decide it wrongly.
      for (KeyPolicy p : oldPolicy == null ? List.of(policy) : List.of(policy, oldPolicy)) {
        for (int i = 0; i < p.statements().size(); i++) {
          dev.kmsposture.policy.Statement st = p.statements().get(i);
          if (st.isNotResource() || !st.resources().contains("*")) {
            String sid = st.sid();
            throw new BadInputException(
                String.format(
                    "--prove needs --key-arn: statement /Statement/%d%s names particular keys in"
                        + " its %s, so whether it applies depends on the key's ARN; give"
                        + " --key-arn arn:aws:kms:REGION:%s:key/KEY_ID",
                    i,
                    sid == null ? "" : " (Sid \"" + sid + "\")",
                    st.isNotResource() ? "NotResource" : "Resource",
                    keyAccount.value()));
          }
        }
      }
    }
    String arn =
        keyArn != null
            ? keyArn
            : "arn:aws:kms:us-east-1:"
                + keyAccount.value()
                + ":key/00000000-0000-0000-0000-000000000000";
    if (!arn.startsWith("arn:") || !arn.contains(":" + keyAccount.value() + ":")) {
      throw new BadInputException(
          String.format(
              "--key-arn [%s] is not a key ARN in account %s; expected"
                  + " arn:aws:kms:REGION:%s:key/KEY_ID",
              arn, keyAccount, keyAccount));
    }
    return ProveSection.prove(policy, oldPolicy, arn, caller);
  }

  private static LockoutCheck lockoutCheck(AccessAnalysis analysis, String callerArn) {
    try {
      return analysis.canPutKeyPolicy(callerArn);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--caller: " + e.getMessage(), e);
    }
  }

  private InputReader input() {
    return parent != null
        ? parent.input()
        : InputReader.of(System.in, InputReader.DEFAULT_MAX_BYTES);
  }

  /** Reads and parses a policy file; the message names the file and, when parsing, the pointer. */
  KeyPolicy read(String name) {
    String json = input().forKind(InputReader.POLICY_MAX_BYTES).read(name);
    try {
      return KeyPolicy.parse(json);
    } catch (PolicyParseException e) {
      throw new BadInputException("policy file [" + name + "]: " + e.getMessage(), e);
    }
  }

  // ---- text ------------------------------------------------------------------------------------

  private static void text(PrintWriter out, AccessAnalysis a, @Nullable LockoutCheck check) {
    out.println("Key policy analysis (key account " + a.keyAccount() + ")");
    out.println();
    out.println("Who can do what:");
    if (a.entries().isEmpty()) {
      out.println("  nobody: no Allow statement has an effect");
    }
    for (AccessEntry e : a.entries()) {
      out.println("  " + e.principal());
      out.println("    actions: " + actions(e.actions()));
      for (String c : e.conditions()) {
        out.println("    only if: " + c);
      }
      List<String> names = new ArrayList<>();
      for (StatementReason r : e.statements()) {
        names.add(r.place().name());
      }
      out.println("    from: " + String.join(", ", names));
    }
    out.println();
    out.println("Public: " + yesNo(a.publicVerdict()) + " (" + a.publicVerdict() + ")");
    reasons(out, a.publicReasons());
    a.publicWitness().ifPresent(w -> out.println("  witness: " + w.summary()));
    out.println(
        "Cross-account: "
            + (a.isCrossAccount() ? "YES" : "no")
            + (a.externalAccounts().isEmpty() ? "" : " (accounts " + a.externalAccounts() + ")"));
    reasons(out, a.crossAccountReasons());
    out.println("Separation of duties:");
    principals(out, "administrators", a.administrators());
    principals(out, "users", a.users());
    principals(out, "administrators who can also use the key", a.adminsWhoCanUse());
    out.println("  note: " + a.selfGrantWarning());
    out.println("Lockout risk: " + yesNo(a.lockoutVerdict()) + " - " + a.lockoutExplanation());
    reasons(out, a.lockoutReasons());
    if (check != null) {
      out.println(
          "Lockout safety check for the caller: "
              + callerVerdict(check.verdict())
              + " - "
              + check.explanation());
      reasons(out, check.reasons());
    }
    out.println("Use without kms:ViaService: " + a.usageWithoutViaService().size());
    reasons(out, a.usageWithoutViaService());
    out.println(
        "CreateGrant without kms:GrantIsForAWSResource: "
            + a.createGrantWithoutAwsResourceCondition().size());
    reasons(out, a.createGrantWithoutAwsResourceCondition());
    if (!a.ineffectiveStatements().isEmpty()) {
      out.println("Statements without effect: " + a.ineffectiveStatements().size());
      reasons(out, a.ineffectiveStatements());
    }
  }

  // "YES", "no", or "POSSIBLY (VERDICT)" when the analysis cannot settle it.
  private static String yesNo(PublicVerdict v) {
    return switch (v) {
      case PUBLIC -> "YES";
      case POSSIBLY_PUBLIC -> "POSSIBLY";
      default -> "no";
    };
  }

  private static String yesNo(LockoutVerdict v) {
    return switch (v) {
      case LOCKED_OUT -> "YES";
      case NOT_LOCKED_OUT -> "no";
      default -> "POSSIBLY (" + v + ")";
    };
  }

  private static String callerVerdict(LockoutCheck.Verdict v) {
    return switch (v) {
      case PASSES -> "passes";
      case PASSES_WITH_CONTEXT -> "passes only with the request context shown";
      case FAILS -> "FAILS";
      case POSSIBLY_FAILS -> "POSSIBLY FAILS";
    };
  }

  private static void text(PrintWriter out, AccessDiff diff, @Nullable String oldFile) {
    out.println();
    out.println(
        "Access diff against "
            + oldFile
            + " ("
            + diff.requestCount()
            + " representative requests"
            + (diff.isExhaustive() ? "" : ", contexts bounded")
            + "):");
    out.println(
        "  new access: "
            + (diff.grantsNewAccess()
                ? "YES"
                : diff.isExhaustive()
                    ? "none"
                    : "none found, but possibly: " + String.join("; ", diff.whyNotExhaustive())));
    for (String line : diff.addedSummary()) {
      out.println("  " + line);
    }
    out.println("  removed access: " + (diff.removesAccess() ? "yes" : "none"));
    for (String line : diff.removedSummary()) {
      out.println("  " + line);
    }
  }

  private static void reasons(PrintWriter out, List<StatementReason> reasons) {
    for (StatementReason r : reasons) {
      out.println("  - " + r);
    }
  }

  private static void principals(PrintWriter out, String title, List<PrincipalActions> list) {
    out.println("  " + title + ": " + (list.isEmpty() ? "none" : ""));
    for (PrincipalActions p : list) {
      out.println("    " + p.principal() + ": " + actions(p.actions()));
    }
  }

  private static final long AUTHORIZABLE =
      KmsAction.known().stream().filter(KmsAction::isKeyPolicyAuthorizable).count();

  private static String actions(List<KmsAction> actions) {
    if (actions.size() == AUTHORIZABLE) {
      return "every action a key policy can allow (kms:*)";
    }
    List<String> names = new ArrayList<>();
    for (KmsAction a : actions) {
      names.add(a.name());
    }
    return String.join(", ", names);
  }

  // ---- json ------------------------------------------------------------------------------------

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static String json(
      AccessAnalysis a,
      @Nullable LockoutCheck check,
      @Nullable AccessDiff accessDiff,
      @Nullable ProofReport proofs) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("account", a.keyAccount().value());
    root.put("public", a.isPublic());
    root.put("crossAccount", a.isCrossAccount());
    root.put("lockoutRisk", a.lockoutRisk());
    root.put("publicVerdict", a.publicVerdict().name());
    root.put("lockoutVerdict", a.lockoutVerdict().name());
    a.publicWitness().ifPresent(w -> root.put("publicWitness", w.summary()));
    a.lockoutWitness().ifPresent(w -> root.put("lockoutWitness", w.summary()));
    ArrayNode entries = root.putArray("entries");
    for (AccessEntry e : a.entries()) {
      ObjectNode n = entries.addObject();
      n.put("principal", e.principal());
      strings(n.putArray("actions"), e.actions().stream().map(KmsAction::name).toList());
      strings(n.putArray("conditions"), e.conditions());
      n.put("delegatedToIam", e.delegatedToIam());
      reasons(n.putArray("statements"), e.statements());
    }
    reasons(root.putArray("publicStatements"), a.publicStatements());
    reasons(root.putArray("publicReasons"), a.publicReasons());
    strings(root.putArray("crossAccountPrincipals"), a.crossAccountPrincipals());
    strings(
        root.putArray("externalAccounts"),
        a.externalAccounts().stream().map(AccountId::value).toList());
    reasons(root.putArray("crossAccountReasons"), a.crossAccountReasons());
    ObjectNode sod = root.putObject("separationOfDuties");
    principals(sod.putArray("administrators"), a.administrators());
    principals(sod.putArray("users"), a.users());
    principals(sod.putArray("adminsWhoCanUse"), a.adminsWhoCanUse());
    sod.put("warning", a.selfGrantWarning());
    root.put("lockoutExplanation", a.lockoutExplanation());
    reasons(root.putArray("lockoutReasons"), a.lockoutReasons());
    if (check != null) {
      ObjectNode c = root.putObject("callerCheck");
      c.put("passes", check.passes());
      c.put("verdict", check.verdict().name());
      check.witnessIfPresent().ifPresent(w -> c.put("witness", w.summary()));
      c.put("explanation", check.explanation());
      reasons(c.putArray("reasons"), check.reasons());
    }
    reasons(root.putArray("usageWithoutViaService"), a.usageWithoutViaService());
    reasons(
        root.putArray("createGrantWithoutAwsResourceCondition"),
        a.createGrantWithoutAwsResourceCondition());
    reasons(root.putArray("ineffectiveStatements"), a.ineffectiveStatements());
    if (accessDiff != null) {
      ObjectNode d = root.putObject("diff");
      d.put("grantsNewAccess", accessDiff.grantsNewAccess());
      d.put("removesAccess", accessDiff.removesAccess());
      d.put("requestCount", accessDiff.requestCount());
      d.put("exhaustive", accessDiff.isExhaustive());
      strings(d.putArray("added"), accessDiff.addedSummary());
      strings(d.putArray("removed"), accessDiff.removedSummary());
    }
    if (proofs != null) {
      proofs.writeTo(root.putObject("proofs"));
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the analysis as JSON", e);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    for (String v : values) {
      array.add(v);
    }
  }

  private static void reasons(ArrayNode array, List<StatementReason> reasons) {
    for (StatementReason r : reasons) {
      ObjectNode n = array.addObject();
      n.put("index", r.place().index());
      if (r.place().sid() != null) {
        n.put("sid", r.place().sid());
      }
      n.put("pointer", r.place().pointer());
      n.put("message", r.message());
    }
  }

  private static void principals(ArrayNode array, List<PrincipalActions> list) {
    for (PrincipalActions p : list) {
      ObjectNode n = array.addObject();
      n.put("principal", p.principal());
      strings(n.putArray("actions"), p.actions().stream().map(KmsAction::name).toList());
      reasons(n.putArray("reasons"), p.reasons());
    }
  }
}

package dev.kmsposture.prover.internal;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Global;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.Model;
import com.microsoft.z3.Params;
import com.microsoft.z3.Solver;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * Builds the formula of one question, asks Z3, and reads the witness request from the model. Each
 * question gets its own Z3 context, closed before the answer is returned, so the engine is
 * stateless and safe to call from several threads.
 */
public final class ProverEngine {

  /**
   * How questions are asked.
   *
   * @param timeoutMillis the solver's time limit per question
   * @param maxSetSize the most values a multi-valued key carries in a request
   * @param evaluatorSpace whether requests range over every input the evaluator accepts (role ARNs
   *     as callers, sessions whose role path is not given, {@code aws:Source*} keys for any caller)
   *     rather than over requests AWS sends
   */
  public record Options(long timeoutMillis, int maxSetSize, boolean evaluatorSpace) {}

  /** How the solver answered. */
  public enum Status {
    /** A request exists: see the witness. */
    FOUND,
    /** No request exists (the encoding is exact). */
    PROVED_NO,
    /** No request exists within the bounds, which do not cover every request. */
    NO_WITHIN_BOUNDS,
    /** The time limit ran out. */
    TIMEOUT,
    /** The policy holds a construct the encoding does not cover. */
    UNSUPPORTED,
    /** The solver gave up for another reason. */
    SOLVER_UNKNOWN
  }

  /**
   * A request read from a model.
   *
   * @param principal the caller (ARN, service principal name or {@code anonymous})
   * @param rolePath the role path of a session caller, or null when not given
   * @param permissionsBoundary whether the caller has a permissions boundary
   * @param action the action
   * @param context the request context (keys spelled as in the policy), sorted
   * @param levels the decision of each policy of the question per the formula: 0 denied, 1 allowed
   *     if the caller's IAM policies allow, 2 allowed
   */
  public record RawWitness(
      String principal,
      @Nullable String rolePath,
      boolean permissionsBoundary,
      KmsAction action,
      Map<String, List<String>> context,
      List<Integer> levels) {}

  /**
   * The answer.
   *
   * @param status how the solver answered
   * @param witness the request when found, else null
   * @param detail why the answer is not a proof (bounds, the unsupported construct, the solver's
   *     reason), or empty
   */
  public record Outcome(Status status, @Nullable RawWitness witness, String detail) {}

  private static final java.util.regex.Pattern ACCOUNT_ID =
      java.util.regex.Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
  private static final java.util.regex.Pattern ORG_ID =
      java.util.regex.Pattern.compile("o-[a-z0-9]{10,32}");

  static {
    // Java strings are UTF-16 code units: Z3 characters range over 0..0xFFFF, one per unit.
    // The parameter is global to the native library; it is set before any context is created.
    Global.setParameter("encoding", "bmp");
  }

  private ProverEngine() {}

  /** Every action a key policy can authorize (the default action set of the questions). */
  public static List<KmsAction> keyPolicyActions() {
    List<KmsAction> out = new ArrayList<>();
    for (KmsAction a : Catalog.ACTIONS) {
      if (a.isKeyPolicyAuthorizable()) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Is there a request for one of {@code actions} by a principal outside the key's account (or
   * anonymous) that the policy allows, at least if the caller's own IAM policies allow? With {@code
   * unnamedOnly}, the caller's account must also be one the policy does not name, and its
   * organization (when the request says) one the policy does not name.
   */
  public static Outcome externalAccess(
      KeyPolicy policy,
      String keyArn,
      Collection<KmsAction> actions,
      boolean unnamedOnly,
      Options options) {
    KeyArn key = KeyArn.parse(keyArn);
    BitSet domain = actionSet(actions);
    BitSet kinds =
        kinds(
            options,
            Request.ANONYMOUS,
            Request.ROOT,
            Request.USER,
            Request.SESSION,
            Request.FEDERATED,
            Request.SERVICE);
    Set<String> accounts = new TreeSet<>();
    Set<String> orgs = new TreeSet<>();
    accounts.add(key.account);
    if (unnamedOnly) {
      named(policy, accounts, orgs);
    }
    Set<String> services = namedServices(policy);
    return solve(
        List.of(policy),
        key,
        domain,
        kinds,
        null,
        options,
        r -> {
          Smt smt = r.smt;
          List<BoolExpr> c = new ArrayList<>();
          for (String a : accounts) {
            c.add(smt.implies(r.isAws(), smt.not(r.accountText.is(a, smt))));
          }
          if (unnamedOnly) {
            c.add(notInOrganizations(r, orgs));
          }
          if (r.kind == Request.SERVICE) {
            c.add(serviceOutside(r, services, accounts, unnamedOnly ? orgs : Set.of()));
          }
          return smt.and(c);
        },
        (r, levels) -> levels.get(0).atLeastIam());
  }

  /**
   * Can some principal of the key's account (its root user, a user, a role session, a federated
   * user) call {@code kms:PutKeyPolicy}, at least if its IAM policies allow? No means lockout.
   */
  public static Outcome accountCanPutKeyPolicy(KeyPolicy policy, String keyArn, Options options) {
    KeyArn key = KeyArn.parse(keyArn);
    BitSet domain = actionSet(List.of(KmsAction.PUT_KEY_POLICY));
    BitSet kinds = kinds(options, Request.ROOT, Request.USER, Request.SESSION, Request.FEDERATED);
    return solve(
        List.of(policy),
        key,
        domain,
        kinds,
        null,
        options,
        r -> r.accountText.is(key.account, r.smt),
        (r, levels) -> levels.get(0).atLeastIam());
  }

  /**
   * Can the caller {@code callerArn} (a user, role, role session, federated user or account root;
   * with {@code rolePath} for a session whose role path is known) call {@code kms:PutKeyPolicy}, at
   * least if its IAM policies allow, with some request context?
   */
  public static Outcome callerCanPutKeyPolicy(
      KeyPolicy policy,
      String keyArn,
      String callerArn,
      @Nullable String rolePath,
      Options options) {
    KeyArn key = KeyArn.parse(keyArn);
    FixedCaller caller = FixedCaller.parse(callerArn, rolePath);
    BitSet domain = actionSet(List.of(KmsAction.PUT_KEY_POLICY));
    BitSet kinds = new BitSet();
    kinds.set(caller.kind);
    return solve(
        List.of(policy),
        key,
        domain,
        kinds,
        caller,
        options,
        r -> r.smt.bool(true),
        (r, levels) -> levels.get(0).atLeastIam());
  }

  /**
   * Is there a request (any caller, any action a key policy can authorize, any context) that {@code
   * newPolicy} decides at a higher level than {@code oldPolicy} (denied, allowed if IAM allows,
   * allowed)?
   */
  public static Outcome newAccess(
      KeyPolicy oldPolicy, KeyPolicy newPolicy, String keyArn, Options options) {
    KeyArn key = KeyArn.parse(keyArn);
    BitSet domain = actionSet(keyPolicyActions());
    BitSet kinds =
        kinds(
            options,
            Request.ANONYMOUS,
            Request.ROOT,
            Request.USER,
            Request.SESSION,
            Request.FEDERATED,
            Request.SERVICE);
    return solve(
        List.of(oldPolicy, newPolicy),
        key,
        domain,
        kinds,
        null,
        options,
        r -> r.smt.bool(true),
        (r, levels) -> {
          PolicyFormula.Level before = levels.get(0);
          PolicyFormula.Level after = levels.get(1);
          Smt smt = r.smt;
          return smt.or(
              smt.and(after.atLeastIam(), smt.not(before.atLeastIam())),
              smt.and(after.allowed(), smt.not(before.allowed())));
        });
  }

  // ---- solving
  // -----------------------------------------------------------------------------------

  private static Outcome solve(
      List<KeyPolicy> policies,
      KeyArn key,
      BitSet domain,
      BitSet kinds,
      @Nullable FixedCaller caller,
      Options options,
      Function<Request, BoolExpr> scope,
      BiFunction<Request, List<PolicyFormula.Level>, BoolExpr> goal) {
    long deadline = System.nanoTime() + options.timeoutMillis() * 1_000_000L;
    KeyUse use = new KeyUse();
    List<Named> named = new ArrayList<>();
    for (KeyPolicy p : policies) {
      PolicyFormula.collectKeys(p, key.arn, domain, use);
      named.addAll(named(p));
    }
    // One solver call per caller kind (and, for sessions in the evaluator's space, per "role path
    // given or not"): the kind is then a constant, and each formula is much smaller.
    List<int[]> variants = new ArrayList<>();
    for (int k : ORDER) {
      if (kinds.get(k)) {
        if (k == Request.SESSION && caller != null) {
          variants.add(new int[] {k, caller.rolePath() == null ? 0 : 1});
        } else {
          variants.add(new int[] {k, 1});
          if (k == Request.SESSION && options.evaluatorSpace()) {
            variants.add(new int[] {k, 0});
          }
        }
      }
    }
    Set<String> approximations = new TreeSet<>();
    String unknown = null;
    boolean timedOut = false;
    try (Context ctx = new Context()) {
      Smt smt = new Smt(ctx);
      for (int[] variant : variants) {
        Request r;
        List<PolicyFormula.Level> levels = new ArrayList<>();
        try {
          r =
              new Request(
                  smt,
                  caller == null ? key.partition : caller.partition(),
                  key.arn,
                  key.account,
                  domain,
                  variant[0],
                  variant[1] == 1,
                  options.evaluatorSpace(),
                  use,
                  options.maxSetSize(),
                  caller,
                  named);
          for (KeyPolicy p : policies) {
            levels.add(PolicyFormula.of(p, r));
          }
        } catch (UnsupportedConstruct e) {
          return new Outcome(
              Status.UNSUPPORTED, null, Objects.requireNonNullElse(e.getMessage(), ""));
        }
        approximations.addAll(r.approximations);
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left < 1) {
          timedOut = true;
          break;
        }
        Solver solver = ctx.mkSolver();
        Params params = ctx.mkParams();
        params.add("timeout", (int) Math.min(Integer.MAX_VALUE, left));
        solver.setParameters(params);
        List<BoolExpr> all = new ArrayList<>(r.constraints);
        all.add(scope.apply(r));
        all.add(goal.apply(r, levels));
        try {
          all.addAll(smt.drainMemberships());
        } catch (Cells.TooComplex e) {
          return new Outcome(
              Status.SOLVER_UNKNOWN, null, Objects.requireNonNullElse(e.getMessage(), ""));
        }
        solver.add(all.toArray(new BoolExpr[0]));
        com.microsoft.z3.Status status = solver.check();
        if (status == com.microsoft.z3.Status.SATISFIABLE) {
          RawWitness witness = read(solver.getModel(), r, levels);
          // A second, easier-to-read witness when one exists (no permissions boundary); the first
          // stays when the preference leaves none or takes too long.
          solver.push();
          solver.add(r.preferences.toArray(new BoolExpr[0]));
          if (solver.check() == com.microsoft.z3.Status.SATISFIABLE) {
            witness = read(solver.getModel(), r, levels);
          }
          return new Outcome(Status.FOUND, witness, "");
        }
        if (status == com.microsoft.z3.Status.UNKNOWN) {
          String reason = solver.getReasonUnknown();
          if (reason.contains("timeout") || reason.contains("canceled")) {
            timedOut = true;
          } else {
            unknown = reason;
          }
        }
      }
    }
    if (timedOut) {
      return new Outcome(Status.TIMEOUT, null, "the solver ran out of time");
    }
    if (unknown != null) {
      return new Outcome(Status.SOLVER_UNKNOWN, null, unknown);
    }
    if (approximations.isEmpty()) {
      return new Outcome(Status.PROVED_NO, null, "");
    }
    return new Outcome(Status.NO_WITHIN_BOUNDS, null, String.join("; ", approximations));
  }

  // The order callers are tried in: the likeliest witnesses (and the smallest formulas) first.
  private static final int[] ORDER = {
    Request.ROOT,
    Request.SESSION,
    Request.USER,
    Request.FEDERATED,
    Request.SERVICE,
    Request.ROLE,
    Request.ANONYMOUS
  };

  private static RawWitness read(Model model, Request r, List<PolicyFormula.Level> levels) {
    Smt smt = r.smt;
    String principal = readText(model, r.callerArn, smt);
    String rolePath = null;
    if (r.kind == Request.SESSION && r.pathKnown) {
      rolePath = smt.readString(model, r.path);
    }
    boolean boundary = smt.readBool(model, r.boundary);
    KmsAction action = Catalog.ACTIONS.get((int) smt.readLong(model, r.action));
    Map<String, List<String>> context = new TreeMap<>();
    for (Slot slot : r.slots.values()) {
      if (slot.derived || !smt.readBool(model, slot.present)) {
        continue;
      }
      IntExpr size = slot.size();
      int n = size == null ? 1 : (int) smt.readLong(model, size);
      List<String> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add(render(model, slot, i, smt));
      }
      context.put(slot.spelling, List.copyOf(values));
    }
    List<Integer> decided = new ArrayList<>();
    for (PolicyFormula.Level level : levels) {
      int l =
          smt.readBool(model, level.allowed())
              ? 2
              : smt.readBool(model, level.atLeastIam()) ? 1 : 0;
      decided.add(l);
    }
    return new RawWitness(principal, rolePath, boundary, action, context, List.copyOf(decided));
  }

  private static String readText(Model model, Text text, Smt smt) {
    StringBuilder sb = new StringBuilder();
    for (Text.Part p : text.parts()) {
      if (p instanceof Text.Variable v) {
        sb.append(smt.readString(model, v.term()));
      } else {
        sb.append(((Text.Literal) p).text());
      }
    }
    return sb.toString();
  }

  private static String render(Model model, Slot slot, int i, Smt smt) {
    return switch (slot.family) {
      case STRING -> smt.readString(model, slot.stringVariables.get(i));
      case NUMBER ->
          Values.renderNumber(
              Double.longBitsToDouble(smt.readBits(model, slot.numberBits.get(i)).longValue()));
      case DATE ->
          smt.readBool(model, slot.dateValid.get(i))
              ? Values.renderDate(smt.readLong(model, slot.millis.get(i)))
              : "never";
      case IP -> {
        long k = smt.readLong(model, slot.ipKind.get(i));
        if (k == 4) {
          yield Values.renderIpv4(bytes(smt.readBits(model, slot.ipv4.get(i)), 4));
        }
        if (k == 6) {
          yield Values.renderIpv6(bytes(smt.readBits(model, slot.ipv6.get(i)), 16));
        }
        yield "not-an-address";
      }
    };
  }

  private static byte[] bytes(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(length, raw.length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  private static BitSet actionSet(Collection<KmsAction> actions) {
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("actions [] is empty; name at least one KMS action");
    }
    BitSet out = new BitSet();
    for (KmsAction a : actions) {
      out.set(Catalog.indexOf(a));
    }
    return out;
  }

  private static BitSet kinds(Options options, int... kinds) {
    BitSet out = new BitSet();
    for (int k : kinds) {
      out.set(k);
    }
    if (options.evaluatorSpace() && out.get(Request.SESSION)) {
      // The evaluator also accepts a role ARN as the caller.
      out.set(Request.ROLE);
    }
    return out;
  }

  private static void named(KeyPolicy policy, Set<String> accounts, Set<String> orgs) {
    String json = policy.toJson();
    Matcher m = ACCOUNT_ID.matcher(json);
    while (m.find()) {
      accounts.add(m.group());
    }
    Matcher o = ORG_ID.matcher(json);
    while (o.find()) {
      orgs.add(o.group());
    }
  }

  // The service principals a policy names by their exact name.
  private static Set<String> namedServices(KeyPolicy policy) {
    Set<String> out = new TreeSet<>();
    for (dev.kmsposture.policy.Statement s : policy.statements()) {
      for (Principal p : s.principals()) {
        if (p instanceof Principal.Service && !p.isEveryone() && p.value().indexOf('*') < 0) {
          out.add(p.value());
        }
      }
    }
    return out;
  }

  /**
   * An AWS service principal outside the key's account (IAM Access Analyzer counts "an AWS service"
   * among external principals: Access Analyzer API reference, "Welcome"): one the policy does not
   * name, acting for a resource of none of {@code accounts} and (when given) of none of {@code
   * orgs}, as far as its aws:Source… keys say (a service that sends none is outside).
   */
  private static BoolExpr serviceOutside(
      Request r, Set<String> services, Set<String> accounts, Set<String> orgs) {
    Smt smt = r.smt;
    List<BoolExpr> out = new ArrayList<>();
    for (String name : services) {
      out.add(smt.not(r.callerArn.is(name, smt)));
    }
    Slot account = r.slots.get("aws:sourceaccount");
    Slot arn = r.slots.get("aws:sourcearn");
    for (String a : accounts) {
      if (account != null) {
        for (int i = 0; i < account.capacity; i++) {
          out.add(
              smt.implies(
                  smt.and(account.present, account.hasValue(i)),
                  smt.not(account.strings.get(i).is(a, smt))));
        }
      }
      if (arn != null) {
        for (int i = 0; i < arn.capacity; i++) {
          out.add(
              smt.implies(
                  smt.and(arn.present, arn.hasValue(i)),
                  smt.not(
                      arn.strings
                          .get(i)
                          .matches(Pattern.glob("arn:*:*:*:" + a + ":*", false), smt))));
        }
      }
    }
    Slot id = r.slots.get("aws:sourceorgid");
    Slot paths = r.slots.get("aws:sourceorgpaths");
    for (String org : orgs) {
      if (id != null) {
        for (int i = 0; i < id.capacity; i++) {
          out.add(
              smt.implies(
                  smt.and(id.present, id.hasValue(i)), smt.not(id.strings.get(i).is(org, smt))));
        }
      }
      if (paths != null) {
        for (int i = 0; i < paths.capacity; i++) {
          out.add(
              smt.implies(
                  smt.and(paths.present, paths.hasValue(i)),
                  smt.not(paths.strings.get(i).matches(Pattern.prefix(org + "/"), smt))));
        }
      }
    }
    return smt.and(out);
  }

  private static BoolExpr notInOrganizations(Request r, Set<String> orgs) {
    Smt smt = r.smt;
    List<BoolExpr> out = new ArrayList<>();
    Slot id = r.slots.get("aws:principalorgid");
    if (id != null && !orgs.isEmpty()) {
      for (int i = 0; i < id.capacity; i++) {
        for (String org : orgs) {
          out.add(
              smt.implies(
                  smt.and(id.present, id.hasValue(i)), smt.not(id.strings.get(i).is(org, smt))));
        }
      }
    }
    Slot paths = r.slots.get("aws:principalorgpaths");
    if (paths != null && !orgs.isEmpty()) {
      for (int i = 0; i < paths.capacity; i++) {
        for (String org : orgs) {
          out.add(
              smt.implies(
                  smt.and(paths.present, paths.hasValue(i)),
                  smt.not(paths.strings.get(i).matches(Pattern.prefix(org + "/"), smt))));
        }
      }
    }
    return smt.and(out);
  }

  /**
   * A user or role a policy names by ARN: KMS accepts a policy only when its principals exist, and
   * IAM user and role names are unique in an account, letter case ignored, so this ARN is the only
   * one of that name (see {@link Request}).
   */
  record Named(int kind, String account, String path, String name) {}

  private static List<Named> named(KeyPolicy policy) {
    List<Named> out = new ArrayList<>();
    for (dev.kmsposture.policy.Statement s : policy.statements()) {
      for (Principal p : s.principals()) {
        if (!(p instanceof Principal.Aws aws)) {
          continue;
        }
        boolean role = aws.kind() == Principal.AwsKind.ROLE;
        if (!role && aws.kind() != Principal.AwsKind.USER) {
          continue;
        }
        String res = aws.arn().map(Arn::resource).orElse("");
        String account = aws.accountId().map(AccountId::value).orElse("");
        int slash = res.lastIndexOf('/');
        out.add(
            new Named(
                role ? Request.ROLE : Request.USER,
                account,
                res.substring(res.indexOf('/'), slash + 1),
                res.substring(slash + 1)));
      }
    }
    return out;
  }

  /** The key's ARN, with its partition and account. */
  private record KeyArn(String arn, String partition, String account) {
    static KeyArn parse(String keyArn) {
      Objects.requireNonNull(keyArn, "keyArn");
      Arn arn =
          Arn.tryParse(keyArn)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          String.format(
                              "key ARN [%s] is not an ARN; expected"
                                  + " arn:aws:kms:REGION:ACCOUNT:key/KEY_ID",
                              keyArn)));
      if (!AccountId.isAccountId(arn.account())) {
        throw new IllegalArgumentException(
            String.format(
                "key ARN [%s] has no 12-digit account; expected"
                    + " arn:aws:kms:REGION:ACCOUNT:key/KEY_ID",
                keyArn));
      }
      return new KeyArn(keyArn, arn.partition(), arn.account());
    }
  }

  /** A caller given by its ARN, split into the parts the request model holds. */
  record FixedCaller(
      int kind,
      String arn,
      String partition,
      String account,
      String path,
      String name,
      String session,
      @Nullable String rolePath) {

    static FixedCaller parse(String callerArn, @Nullable String rolePath) {
      Objects.requireNonNull(callerArn, "callerArn");
      Principal.Aws p = Principal.aws(callerArn);
      String account = p.accountId().map(AccountId::value).orElse("");
      String partition = p.partition().orElse("aws");
      String res = p.arn().map(Arn::resource).orElse("");
      switch (p.kind()) {
        case ACCOUNT -> {
          return new FixedCaller(
              Request.ROOT,
              "arn:" + partition + ":iam::" + account + ":root",
              partition,
              account,
              "/",
              "x",
              "xx",
              null);
        }
        case USER, ROLE -> {
          int slash = res.lastIndexOf('/');
          String path = res.substring(res.indexOf('/'), slash + 1);
          return new FixedCaller(
              p.kind() == Principal.AwsKind.USER ? Request.USER : Request.ROLE,
              callerArn,
              partition,
              account,
              path,
              res.substring(slash + 1),
              "xx",
              null);
        }
        case ASSUMED_ROLE_SESSION -> {
          int slash = res.indexOf('/', "assumed-role/".length());
          String role = res.substring("assumed-role/".length(), slash);
          if (rolePath != null && (!rolePath.startsWith("/") || !rolePath.endsWith("/"))) {
            throw new IllegalArgumentException(
                String.format(
                    "role path [%s] must start and end with /; expected / or /division/team/",
                    rolePath));
          }
          return new FixedCaller(
              Request.SESSION,
              callerArn,
              partition,
              account,
              rolePath == null ? "/" : rolePath,
              role,
              res.substring(slash + 1),
              rolePath);
        }
        case FEDERATED_USER_SESSION -> {
          return new FixedCaller(
              Request.FEDERATED,
              callerArn,
              partition,
              account,
              "/",
              res.substring("federated-user/".length()),
              "xx",
              null);
        }
        default ->
            throw new IllegalArgumentException(
                String.format(
                    "caller [%s] is not a user, role, role session, federated user or account root"
                        + " ARN; expected e.g. arn:aws:iam::111122223333:role/Admin",
                    callerArn));
      }
    }
  }
}

package dev.kmsposture.prover.internal;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.CharSort;
import com.microsoft.z3.Expr;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.SeqSort;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The symbolic request: who calls (kind, account, path, names), with a permissions boundary or not,
 * which catalog action, and the request context (one {@link Slot} per condition key the question's
 * policies read). The key is fixed: the evaluator's key ARN.
 *
 * <p>The principal forms follow core's {@code AccessRequest}; names and paths are limited to the
 * characters IAM accepts (IAM "IAM identifiers": names {@code [\w+=,.@-]}, paths {@code /} or
 * {@code /…/} of {@code !}…{@code DEL}), and the caller is in the key's partition. Context text is
 * any UTF-16 text except the two private-use characters the evaluator uses internally to mark
 * literal wildcards.
 */
final class Request {

  /** Caller kinds, as core's {@code AccessRequest} classifies principals. */
  static final int ANONYMOUS = 0;

  static final int ROOT = 1;
  static final int USER = 2;
  static final int ROLE = 3;
  static final int SESSION = 4;
  static final int FEDERATED = 5;
  static final int SERVICE = 6;

  /** Keys the request derives from the principal; a request never sets them itself. */
  static final Set<String> DERIVED =
      Set.of(
          "aws:principalarn",
          "aws:principalaccount",
          "kms:calleraccount",
          "aws:principaltype",
          "aws:username",
          "aws:principalisawsservice");

  /** Keys AWS includes only when an AWS service principal calls (IAM global condition keys). */
  static final Set<String> SERVICE_ONLY =
      Set.of("aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths");

  private static final List<KmsAction> EC_OPERATIONS =
      List.of(
          KmsAction.CREATE_GRANT,
          KmsAction.DECRYPT,
          KmsAction.ENCRYPT,
          KmsAction.GENERATE_DATA_KEY,
          KmsAction.GENERATE_DATA_KEY_PAIR,
          KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT,
          KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
          KmsAction.RE_ENCRYPT_FROM,
          KmsAction.RE_ENCRYPT_TO);

  /**
   * KMS request parameters as condition keys, and the only operations whose requests carry them
   * (KMS Developer Guide, "AWS KMS condition keys", each key's "API operations"); the evaluator
   * ignores such a key in a request of another operation (core's {@code ContextKeys}), so here it
   * is absent there.
   */
  static final Map<String, List<KmsAction>> ONLY_WITH =
      Map.ofEntries(
          Map.entry(
              "kms:bypasspolicylockoutsafetycheck",
              List.of(KmsAction.CREATE_KEY, KmsAction.PUT_KEY_POLICY)),
          Map.entry(
              "kms:schedulekeydeletionpendingwindowindays",
              List.of(KmsAction.SCHEDULE_KEY_DELETION)),
          Map.entry("kms:rotationperiodindays", List.of(KmsAction.ENABLE_KEY_ROTATION)),
          Map.entry("kms:grantoperations", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:grantconstrainttype", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:granteeprincipal", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:retiringprincipal", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:granteeserviceprincipal", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:grantconstraintsourcearn", List.of(KmsAction.CREATE_GRANT)),
          Map.entry(
              "kms:grantisforawsresource",
              List.of(KmsAction.CREATE_GRANT, KmsAction.LIST_GRANTS, KmsAction.REVOKE_GRANT)),
          Map.entry("kms:encryptioncontextkeys", EC_OPERATIONS),
          Map.entry("kms:signingalgorithm", List.of(KmsAction.SIGN, KmsAction.VERIFY)),
          Map.entry("kms:messagetype", List.of(KmsAction.SIGN, KmsAction.VERIFY)),
          Map.entry("kms:macalgorithm", List.of(KmsAction.GENERATE_MAC, KmsAction.VERIFY_MAC)),
          Map.entry("kms:replicaregion", List.of(KmsAction.REPLICATE_KEY)),
          Map.entry("kms:primaryregion", List.of(KmsAction.UPDATE_PRIMARY_REGION)),
          Map.entry("kms:keyagreementalgorithm", List.of(KmsAction.DERIVE_SHARED_SECRET)),
          Map.entry(
              "kms:datakeypairspec",
              List.of(
                  KmsAction.GENERATE_DATA_KEY_PAIR,
                  KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT)),
          Map.entry(
              "kms:reencryptonsamekey",
              List.of(KmsAction.RE_ENCRYPT_FROM, KmsAction.RE_ENCRYPT_TO)));

  /** The operations whose requests can carry the key, or null when every operation's can. */
  private static @Nullable List<KmsAction> onlyWith(String lower) {
    return lower.startsWith("kms:encryptioncontext:") ? EC_OPERATIONS : ONLY_WITH.get(lower);
  }

  /** Keys that are multi-valued in AWS even when a policy tests them without a set qualifier. */
  static final Set<String> MULTI_VALUED =
      Set.of(
          "aws:tagkeys",
          "aws:calledvia",
          "aws:principalorgpaths",
          "aws:principalservicenameslist",
          "aws:sourceorgpaths",
          "kms:encryptioncontextkeys");

  final Smt smt;
  final String partition;
  final String keyArn;
  final String keyAccount;

  /** The caller kind: each question is asked once per kind, so that it is a constant here. */
  final int kind;

  /** Whether a session caller's role path is given (always, outside the evaluator space). */
  final boolean pathKnown;

  final Expr<SeqSort<CharSort>> account;
  final Expr<SeqSort<CharSort>> path;
  final Expr<SeqSort<CharSort>> name;
  final Expr<SeqSort<CharSort>> session;
  final Expr<SeqSort<CharSort>> service;

  /** The caller's ARN (a service's name; {@code anonymous}), as the evaluator names it. */
  final Text callerArn;

  /** The role ARN of a role or session caller. */
  final Text roleArn;

  final Text roleArnWithoutPath;

  /**
   * {@code arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/*}: every session of a role caller, the
   * star a literal character that a principal pattern's wildcard must cover (core's {@code
   * PrincipalPattern.matchesEverySessionOf}).
   */
  final Text everySessionOfRole;

  final Text accountText;
  final Text nameText;
  final BoolExpr boundary;
  final IntExpr action;
  final BitSet actions;
  final Map<String, Slot> slots = new LinkedHashMap<>();
  final List<BoolExpr> constraints = new ArrayList<>();

  /** Constraints that make a witness easier to read; dropped when they leave no witness. */
  final List<BoolExpr> preferences = new ArrayList<>();

  /** Why a "no" under this request model would not be a proof (empty when it would). */
  final List<String> approximations = new ArrayList<>();

  Request(
      Smt smt,
      String partition,
      String keyArn,
      String keyAccount,
      BitSet actions,
      int kind,
      boolean pathKnown,
      boolean serviceContextForAnyCaller,
      KeyUse use,
      int maxSetSize,
      ProverEngine.@Nullable FixedCaller caller,
      List<ProverEngine.Named> named) {
    this.smt = smt;
    this.partition = partition;
    this.keyArn = keyArn;
    this.keyAccount = keyAccount;
    this.actions = actions;
    this.kind = kind;
    this.pathKnown = pathKnown;
    // A given caller's parts are fixed by equations: their alphabets do not restrict them.
    boolean free = caller == null;
    account = smt.strVar("account", free ? Text.Alphabet.DIGITS : Text.Alphabet.ANY, false);
    path = smt.strVar("path", free ? Text.Alphabet.PATH : Text.Alphabet.ANY, false);
    name = smt.strVar("name", free ? Text.Alphabet.NAME : Text.Alphabet.ANY, false);
    session = smt.strVar("session", free ? Text.Alphabet.SESSION : Text.Alphabet.ANY, false);
    service = smt.strVar("service", free ? Text.Alphabet.SERVICE : Text.Alphabet.ANY, false);
    boundary = smt.boolVar("boundary");
    action = smt.intVar("action");

    List<BoolExpr> actionChoices = new ArrayList<>();
    for (int a = actions.nextSetBit(0); a >= 0; a = actions.nextSetBit(a + 1)) {
      actionChoices.add(smt.eq(action, a));
    }
    constraints.add(smt.or(actionChoices));

    Text.Variable a = new Text.Variable(account, free ? Text.Alphabet.DIGITS : Text.Alphabet.ANY);
    Text.Variable p = new Text.Variable(path, free ? Text.Alphabet.PATH : Text.Alphabet.ANY);
    Text.Variable n = new Text.Variable(name, free ? Text.Alphabet.NAME : Text.Alphabet.ANY);
    Text.Variable sn = new Text.Variable(session, free ? Text.Alphabet.SESSION : Text.Alphabet.ANY);
    Text.Variable sv = new Text.Variable(service, free ? Text.Alphabet.SERVICE : Text.Alphabet.ANY);
    Text.Literal iam = new Text.Literal("arn:" + partition + ":iam::");
    Text.Literal sts = new Text.Literal("arn:" + partition + ":sts::");
    accountText = Text.of(a);
    nameText = Text.of(n);
    roleArn = Text.of(iam, a, new Text.Literal(":role"), p, n);
    roleArnWithoutPath = Text.of(iam, a, new Text.Literal(":role/"), n);
    everySessionOfRole =
        Text.of(sts, a, new Text.Literal(":assumed-role/"), n, new Text.Literal("/*"));
    callerArn =
        switch (kind) {
          case ROOT -> Text.of(iam, a, new Text.Literal(":root"));
          case USER -> Text.of(iam, a, new Text.Literal(":user"), p, n);
          case ROLE -> roleArn;
          case SESSION ->
              Text.of(sts, a, new Text.Literal(":assumed-role/"), n, new Text.Literal("/"), sn);
          case FEDERATED -> Text.of(sts, a, new Text.Literal(":federated-user/"), n);
          case SERVICE -> Text.of(sv);
          default -> Text.literal("anonymous");
        };

    if (caller != null) {
      // A given caller: its parts are read from its ARN as the evaluator reads them.
      constraints.add(smt.eq(account, caller.account()));
      constraints.add(smt.eq(path, caller.path()));
      constraints.add(smt.eq(name, caller.name()));
      constraints.add(smt.eq(session, caller.session()));
    }
    // A permissions boundary is a fact about IAM principals only; a given caller has none.
    if (kind == SERVICE || kind == ANONYMOUS || caller != null) {
      constraints.add(smt.not(boundary));
    }
    preferences.add(smt.not(boundary));

    // KMS accepts a key policy only when the principals it names exist, and IAM user and role
    // names are unique in an account, letter case ignored (IAM "IAM identifiers"): a user or role
    // of a name the policy names has that ARN's exact name and path.
    if (caller == null) {
      for (ProverEngine.Named identity : named) {
        boolean roleLike = kind == ROLE || kind == SESSION;
        if (identity.kind() == ROLE ? !roleLike : kind != USER) {
          continue;
        }
        BoolExpr same =
            smt.and(
                accountText.is(identity.account(), smt),
                nameText.matches(Pattern.ignoringCase(identity.name()), smt));
        BoolExpr exact = nameText.is(identity.name(), smt);
        if (kind != SESSION || pathKnown) {
          exact = smt.and(exact, Text.of(p).is(identity.path(), smt));
        }
        constraints.add(smt.implies(same, exact));
      }
    }

    // The keys the request derives (core's AccessRequest: a given key would win, but a real
    // request never sets them, so they are not free).
    BoolExpr aws = isAws();
    slots.put(
        "aws:principalarn",
        Slot.derived(
            smt,
            "aws:principalarn",
            smt.or(
                is(ROOT),
                is(USER),
                is(ROLE),
                is(FEDERATED),
                smt.and(is(SESSION), smt.bool(pathKnown))),
            smt.and(is(SESSION), smt.bool(!pathKnown)),
            kind == SESSION ? roleArn : callerArn));
    slots.put(
        "aws:principalaccount",
        Slot.derived(smt, "aws:principalaccount", aws, smt.bool(false), accountText));
    slots.put(
        "kms:calleraccount",
        Slot.derived(smt, "kms:calleraccount", aws, smt.bool(false), accountText));
    String type =
        switch (kind) {
          case ROOT -> "Account";
          case USER -> "User";
          case FEDERATED -> "FederatedUser";
          default -> "AssumedRole";
        };
    slots.put(
        "aws:principaltype",
        Slot.derived(smt, "aws:principaltype", aws, smt.bool(false), Text.literal(type)));
    slots.put(
        "aws:username", Slot.derived(smt, "aws:username", is(USER), smt.bool(false), nameText));
    // IAM "AWS global condition context keys", aws:PrincipalIsAWSService: in every request signed
    // with AWS credentials, true only when an AWS service principal calls (core's AccessRequest).
    slots.put(
        "aws:principalisawsservice",
        Slot.derived(
            smt,
            "aws:principalisawsservice",
            smt.bool(kind != ANONYMOUS),
            smt.bool(false),
            Text.literal(kind == SERVICE ? "true" : "false")));

    for (Map.Entry<String, KeyUse.Use> e : use.uses().entrySet()) {
      String lower = e.getKey();
      KeyUse.Use u = e.getValue();
      KeyUse.Family family = u.family();
      if (DERIVED.contains(lower)) {
        if (family != KeyUse.Family.STRING) {
          throw new UnsupportedConstruct(
              String.format(
                  "condition key [%s] follows from the principal and is text; comparing it as %s"
                      + " is not encoded",
                  u.spelling, family));
        }
        continue;
      }
      boolean multi = u.qualified || MULTI_VALUED.contains(lower);
      int capacity = 1;
      if (multi) {
        // Each condition on the key needs at most one value of the set as its witness (ForAnyValue
        // and the unqualified positive forms) or is easier to meet with fewer values (ForAllValues
        // and the negated forms), so as many values as conditions decide every question.
        capacity = Math.max(1, Math.min(maxSetSize, u.conditions));
        if (u.conditions > maxSetSize) {
          approximations.add(
              String.format(
                  "condition key [%s] is tested by %d conditions, but requests carry at most %d"
                      + " of its values (PolicyProver.Builder.maxSetSize)",
                  u.spelling, u.conditions, maxSetSize));
        }
        if (u.variableValues) {
          approximations.add(
              String.format(
                  "multi-valued condition key [%s] is compared with policy variables, where the"
                      + " order of the request's values can matter",
                  u.spelling));
        }
      }
      Slot slot =
          Slot.context(
              smt, u.spelling, lower, family, multi, capacity, use.hasVariables(), constraints);
      if (SERVICE_ONLY.contains(lower) && !serviceContextForAnyCaller) {
        constraints.add(smt.implies(slot.present, is(SERVICE)));
      }
      if (lower.equals("aws:securetransport")
          && !serviceContextForAnyCaller
          && !multi
          && family == KeyUse.Family.STRING) {
        // KMS accepts only TLS, so every request AWS sends carries aws:SecureTransport true (core's
        // ContextKeys.fixedValue reads it the same way); the evaluator's space leaves it free.
        constraints.add(slot.present);
        constraints.add(smt.not(slot.unknown));
        constraints.add(slot.strings.get(0).is("true", smt));
      }
      List<KmsAction> only = onlyWith(lower);
      if (only != null) {
        List<BoolExpr> carrying = new ArrayList<>();
        for (KmsAction op : only) {
          carrying.add(smt.eq(action, Catalog.indexOf(op)));
        }
        constraints.add(smt.implies(slot.present, smt.or(carrying)));
      }
      slots.put(lower, slot);
    }
  }

  BoolExpr is(int k) {
    return smt.bool(kind == k);
  }

  /** Whether the caller is an IAM principal (it has an account). */
  BoolExpr isAws() {
    return smt.or(is(ROOT), is(USER), is(ROLE), is(SESSION), is(FEDERATED));
  }

  /** Whether the request names catalog action {@code index}. */
  BoolExpr actionIs(int index) {
    return smt.eq(action, index);
  }

  /** Whether the request's action is one of {@code set}. */
  BoolExpr actionIn(BitSet set) {
    List<BoolExpr> out = new ArrayList<>();
    for (int a = set.nextSetBit(0); a >= 0; a = set.nextSetBit(a + 1)) {
      if (actions.get(a)) {
        out.add(actionIs(a));
      }
    }
    return smt.or(out);
  }

  /** The slot of a lower-case key (every key a question's policies read has one). */
  Slot slot(String lower) {
    Slot s = slots.get(lower);
    if (s == null) {
      throw new IllegalStateException("bug in kms-posture: no request slot for key " + lower);
    }
    return s;
  }

  /** The role ARN a session is globbed against: with its path when known, else without. */
  Text roleArnForMatching() {
    return pathKnown ? roleArn : roleArnWithoutPath;
  }
}

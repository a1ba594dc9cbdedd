package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionValue;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The access a new key policy grants that the old one did not, and the access it removes: what a
 * test asserts before a policy change ships.
 *
 * <pre>{@code
 * AccessDiff diff = AccessDiff.between(current, proposed, AccountId.of("111122223333"));
 * assertThat(diff.grantsNewAccess()).as(String.join("\n", diff.summary())).isFalse();
 * }</pre>
 *
 * <p><strong>How.</strong> Both policies are evaluated with {@link KeyAccessEvaluator} on the same
 * finite set of representative requests, and the decisions compared. Each decision is read as one
 * of three levels: <em>denied</em> (explicitly or implicitly), <em>allowed if IAM allows</em> (the
 * key policy delegates to the caller's IAM policies, or allows a caller in another account, whose
 * IAM policies must allow too), and <em>allowed</em>. A request whose level rises is {@linkplain
 * #added() added} access; one whose level falls is {@linkplain #removed() removed}.
 *
 * <p><strong>The representative requests</strong> are every combination of:
 *
 * <ul>
 *   <li>principals: the callers of the access analysis's representative requests over every
 *       statement of both policies ({@code RequestSpace}): every principal either policy names
 *       (ARNs, account roots, service principals, {@code aws:PrincipalArn} values; a role also as
 *       one of its sessions), and in the key's account, in every account either policy names and in
 *       a fresh account that neither names ("another account"), the root user, a user, a role, a
 *       role session and a <em>federated user</em> whose names no principal pattern matches; when
 *       principal patterns overlap, one principal for every combination of patterns a name can
 *       match ({@code PrincipalRegions}); a service principal neither names; {@code anonymous};
 *       each session also with its role path not given; with a {@code NotPrincipal} Deny, each AWS
 *       principal also with a permissions boundary;
 *   <li>actions: every catalog action a key policy can authorize;
 *   <li>request contexts built from the condition keys either policy names (except those that
 *       follow from the principal: {@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code
 *       kms:CallerAccount}, {@code aws:PrincipalType}, {@code aws:username}, {@code
 *       aws:PrincipalIsAWSService}): each key absent, at each value either policy names (wildcards
 *       instantiated, numbers also one above and below, CIDR ranges at their first address,
 *       Booleans both ways), at a value that matches nothing, and at every representative value the
 *       access analysis uses for the key ({@code ContextDomain}: midpoints, case spellings, every
 *       set of a multi-valued key…), at most {@value #MAX_VARIANTS_PER_KEY} variants per key;
 *       multi-valued keys (used with {@code ForAnyValue:}/{@code ForAllValues:}) also as the empty
 *       set and as the set of all named values.
 * </ul>
 *
 * <p><strong>Bound.</strong> The representative requests are at most principals × actions ×
 * contexts, and each factor grows at most linearly with the two policies: principals with the
 * principals and accounts they name (at most four probes per name), actions are the fixed catalog,
 * and each condition key contributes at most {@value #MAX_VALUES_PER_KEY} named values (plus
 * absent, unmatched, empty and all-values variants). So the set grows at most quadratically with
 * the policies, and it never exceeds {@value #MAX_REQUESTS} requests. {@link #coverage()} says how
 * the contexts were chosen, in this order of preference, taking the first that fits:
 *
 * <ol>
 *   <li>{@link Coverage#EXHAUSTIVE}: every combination of every key's variants, when there are at
 *       most {@value #MAX_CONTEXTS} combinations;
 *   <li>{@link Coverage#ONE_KEY_AT_A_TIME}: every key absent; each key at each of its variants with
 *       the others absent; and all keys together at their i-th variant;
 *   <li>{@link Coverage#ALIGNED}: the fresh and key-account principals, the service probe and
 *       {@code anonymous} with the contexts of the previous mode, and every other principal with
 *       only the "all keys at their i-th variant" contexts (no request context among them);
 *   <li>{@link Coverage#TRUNCATED}: as the previous mode, with only as many named principals (in
 *       name order) as fit.
 * </ol>
 *
 * <p>Within a probe and a context, actions that every statement of both policies treats alike (each
 * statement's Action or NotAction matches all of them or none) and that agree on {@link
 * KmsAction#isCrossAccount()} are decided once, on the first of them: the evaluator reads a
 * request's action only through those two facts, so they decide alike. When that decision changes,
 * every action of the group is evaluated on its own, so each change reports its own decisions. At
 * most {@value #MAX_LISTED_CHANGES} changes of each direction are kept ({@link #added()}, {@link
 * #removed()}); {@link #addedCount()} and {@link #removedCount()} count them all.
 *
 * <p><strong>Soundness.</strong> Within the representatives, the diff is exact. {@link
 * #isExhaustive()} is true only when they stand for every request: every context combination was
 * tried ({@link Coverage#EXHAUSTIVE}), the principal patterns are covered (or their regions found),
 * and every condition key's values are covered (no overlapping value patterns, policy variables,
 * unknown operators, or keys cut short); {@link #whyNotExhaustive()} says what is missing
 * otherwise. A diff that finds no new access and is not exhaustive is "possibly no new access",
 * never a proof. Requests that depend on grants, SCPs or the caller's IAM policies are outside the
 * diff: both policies are evaluated alone.
 */
public final class AccessDiff {

  /** The most named values taken per condition key. */
  public static final int MAX_VALUES_PER_KEY = 8;

  /**
   * The most variants tried per condition key: absent, the named values and their companions, and
   * the representatives the access analysis uses ({@code ContextDomain}).
   */
  static final int MAX_VARIANTS_PER_KEY = 16;

  /** The most request contexts per principal and action in exhaustive mode. */
  public static final int MAX_CONTEXTS = 512;

  /** The most representative requests (each decided under both policies), in every mode. */
  public static final int MAX_REQUESTS = 2_000_000;

  /** The most changes of each direction that {@link #added()} and {@link #removed()} keep. */
  public static final int MAX_LISTED_CHANGES = 10_000;

  /** How the representative requests were chosen; see the class documentation. */
  public enum Coverage {
    /** Every combination of every condition key's variants, for every principal and action. */
    EXHAUSTIVE,
    /** Each condition key varied on its own (and all together), for every principal. */
    ONE_KEY_AT_A_TIME,
    /** Generic principals with every context; named principals with aligned contexts only. */
    ALIGNED,
    /** As {@link #ALIGNED}, with only the named principals that fit the request bound. */
    TRUNCATED
  }

  static final String UNMATCHED = "kms-posture-unmatched";

  // Keys that follow from the principal: the request derives them, so varying them would describe
  // impossible requests.
  private static final Set<String> DERIVED =
      Set.of(
          "aws:principalarn",
          "aws:principalaccount",
          "kms:calleraccount",
          "aws:principaltype",
          "aws:username",
          "aws:principalisawsservice",
          "aws:userid");

  private final AccountId keyAccount;
  private final String keyArn;
  private final List<AccessChange> added;
  private final List<AccessChange> removed;
  private final long addedCount;
  private final long removedCount;
  private final Coverage coverage;
  private final long requestCount;
  private final long evaluationCount;
  private final List<String> incomplete;

  private AccessDiff(
      AccountId keyAccount,
      String keyArn,
      Enumeration e,
      Coverage coverage,
      long requestCount,
      List<String> incomplete) {
    this.keyAccount = keyAccount;
    this.incomplete = List.copyOf(incomplete);
    this.keyArn = keyArn;
    this.added = List.copyOf(e.added);
    this.removed = List.copyOf(e.removed);
    this.addedCount = e.addedCount;
    this.removedCount = e.removedCount;
    this.coverage = coverage;
    this.requestCount = requestCount;
    this.evaluationCount = e.evaluations;
  }

  /**
   * Compares two key policies of a key in {@code keyAccount} whose ARN is not given: requests are
   * made on the key ARN {@code
   * arn:aws:kms:us-east-1:ACCOUNT:key/00000000-0000-0000-0000-000000000000}. A statement whose
   * {@code Resource} (or {@code NotResource}) names particular keys may or may not apply to the
   * real key, so when either policy has one the diff is not exhaustive ({@link #whyNotExhaustive()}
   * says so): "no new access" is then only "none found".
   *
   * @param oldPolicy the policy in force
   * @param newPolicy the proposed policy
   * @param keyAccount the account that owns the key
   * @return the difference in access
   */
  public static AccessDiff between(KeyPolicy oldPolicy, KeyPolicy newPolicy, AccountId keyAccount) {
    Objects.requireNonNull(keyAccount, "keyAccount");
    AccessDiff diff =
        between(
            oldPolicy,
            newPolicy,
            keyAccount,
            "arn:aws:kms:us-east-1:"
                + keyAccount.value()
                + ":key/00000000-0000-0000-0000-000000000000");
    for (KeyPolicy p : List.of(oldPolicy, newPolicy)) {
      for (dev.kmsposture.policy.Statement st : p.statements()) {
        boolean everyKey = !st.isNotResource() && st.resources().contains("*");
        if (!everyKey) {
          List<String> incomplete = new ArrayList<>(diff.incomplete);
          incomplete.add(
              "the key's ARN is not given, and a statement's Resource names particular keys"
                  + " (which may include this one): give the key ARN");
          return new AccessDiff(diff, incomplete);
        }
      }
    }
    return diff;
  }

  // A copy of diff with other reasons why it is not exhaustive.
  private AccessDiff(AccessDiff diff, List<String> incomplete) {
    this.keyAccount = diff.keyAccount;
    this.incomplete = List.copyOf(incomplete);
    this.keyArn = diff.keyArn;
    this.added = diff.added;
    this.removed = diff.removed;
    this.addedCount = diff.addedCount;
    this.removedCount = diff.removedCount;
    this.coverage = diff.coverage;
    this.requestCount = diff.requestCount;
    this.evaluationCount = diff.evaluationCount;
  }

  /**
   * Compares two key policies of the key {@code keyArn} in {@code keyAccount}.
   *
   * @param oldPolicy the policy in force
   * @param newPolicy the proposed policy
   * @param keyAccount the account that owns the key
   * @param keyArn the key's ARN (it matters when a statement names the key's ARN as its resource)
   * @return the difference in access
   * @throws IllegalArgumentException if {@code keyArn} is not an ARN
   */
  public static AccessDiff between(
      KeyPolicy oldPolicy, KeyPolicy newPolicy, AccountId keyAccount, String keyArn) {
    return between(oldPolicy, newPolicy, keyAccount, keyArn, true);
  }

  // groupActions false evaluates every action on its own: what grouping must agree with.
  static AccessDiff between(
      KeyPolicy oldPolicy,
      KeyPolicy newPolicy,
      AccountId keyAccount,
      String keyArn,
      boolean groupActions) {
    Objects.requireNonNull(oldPolicy, "oldPolicy");
    Objects.requireNonNull(newPolicy, "newPolicy");
    Objects.requireNonNull(keyAccount, "keyAccount");
    Objects.requireNonNull(keyArn, "keyArn");
    KeyAccessEvaluator oldEvaluator =
        KeyAccessEvaluator.builder().keyPolicy(oldPolicy).keyArn(keyArn).build();
    KeyAccessEvaluator newEvaluator =
        KeyAccessEvaluator.builder().keyPolicy(newPolicy).keyArn(keyArn).build();
    List<KeyPolicy> both = List.of(oldPolicy, newPolicy);
    Plan plan = plan(both, keyAccount);
    List<List<KmsAction>> groups = groupActions ? actionGroups(both) : singleActions();
    Enumeration e = new Enumeration(oldEvaluator, newEvaluator, keyArn, groups);
    for (Probe probe : plan.probes) {
      e.probe(probe, probe.generic ? plan.genericContexts : plan.namedContexts);
    }
    return new AccessDiff(
        keyAccount, keyArn, e, plan.coverage, plan.requestCount(), plan.incomplete);
  }

  // ---- the bound -------------------------------------------------------------------------------

  /** The representative requests: which principals meet which contexts, and how that was chosen. */
  static final class Plan {
    final Coverage coverage;
    final List<Probe> probes;
    final List<Map<String, List<String>>> genericContexts;
    final List<Map<String, List<String>>> namedContexts;
    final int actions;
    // Why the representatives do not cover every request, whatever the coverage mode.
    final List<String> incomplete = new ArrayList<>();

    Plan(
        Coverage coverage,
        List<Probe> probes,
        List<Map<String, List<String>>> genericContexts,
        List<Map<String, List<String>>> namedContexts,
        int actions) {
      this.coverage = coverage;
      this.probes = probes;
      this.genericContexts = genericContexts;
      this.namedContexts = namedContexts;
      this.actions = actions;
    }

    /** Returns the number of representative requests: each probe × its contexts × actions. */
    long requestCount() {
      long n = 0;
      for (Probe p : probes) {
        n += (long) (p.generic ? genericContexts.size() : namedContexts.size()) * actions;
      }
      return n;
    }
  }

  /** Returns the representative requests of a diff of {@code policies}, without evaluating them. */
  static Plan plan(List<KeyPolicy> policies, AccountId keyAccount) {
    RequestSpace space = RequestSpace.ofAll(policies, keyAccount);
    List<String> incomplete = new ArrayList<>();
    String why = space.whyIncomplete();
    if (why != null) {
      incomplete.add(why);
    }
    List<KeyVariants> keys = contextKeys(policies, space, incomplete);
    Plan plan = plan(probes(space), keys, AccessAnalysis.AUTHORIZABLE.size());
    plan.incomplete.addAll(incomplete);
    return plan;
  }

  /**
   * Chooses the representative requests (see the class documentation): the most complete coverage
   * whose request count stays within {@link #MAX_REQUESTS}. Only counts are compared before the
   * contexts are built, so an enormous product is never materialized.
   */
  static Plan plan(List<Probe> probes, List<KeyVariants> keys, int actions) {
    long product = 1;
    for (KeyVariants k : keys) {
      product = Math.min(product * k.variants.size(), Integer.MAX_VALUE);
    }
    long p = probes.size();
    if (product <= MAX_CONTEXTS && p * actions * product <= MAX_REQUESTS) {
      List<Map<String, List<String>>> all = fullProduct(keys);
      return new Plan(Coverage.EXHAUSTIVE, probes, all, all, actions);
    }
    List<Map<String, List<String>>> one = oneAtATime(keys);
    if (p * actions * one.size() <= MAX_REQUESTS) {
      return new Plan(Coverage.ONE_KEY_AT_A_TIME, probes, one, one, actions);
    }
    List<Map<String, List<String>>> aligned = aligned(keys);
    List<Probe> generic = new ArrayList<>();
    List<Probe> named = new ArrayList<>();
    for (Probe probe : probes) {
      (probe.generic ? generic : named).add(probe);
    }
    long genericRequests = (long) generic.size() * one.size() * actions;
    long perNamed = (long) aligned.size() * actions;
    long room = Math.max(0, (MAX_REQUESTS - genericRequests) / perNamed);
    Coverage coverage = Coverage.ALIGNED;
    List<Map<String, List<String>>> genericContexts = one;
    if (genericRequests > MAX_REQUESTS) {
      // Only with a huge number of condition values: the generic probes get aligned contexts too.
      genericContexts = aligned;
      genericRequests = (long) generic.size() * aligned.size() * actions;
      room = Math.max(0, (MAX_REQUESTS - genericRequests) / perNamed);
      coverage = Coverage.TRUNCATED;
    }
    if (named.size() > room) {
      named = named.subList(0, (int) room);
      coverage = Coverage.TRUNCATED;
    }
    Set<Probe> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    kept.addAll(named);
    List<Probe> chosen = new ArrayList<>(generic.size() + named.size());
    for (Probe probe : probes) {
      if (probe.generic || kept.contains(probe)) {
        chosen.add(probe);
      }
    }
    return new Plan(coverage, chosen, genericContexts, aligned, actions);
  }

  // ---- actions ---------------------------------------------------------------------------------

  /**
   * Groups the authorizable actions that every statement of {@code policies} treats alike, in
   * catalog order (groups ordered by their first action).
   */
  static List<List<KmsAction>> actionGroups(List<KeyPolicy> policies) {
    List<Statement.ActionElement> elements = new ArrayList<>();
    for (KeyPolicy policy : policies) {
      for (Statement s : policy.statements()) {
        Statement.ActionElement a = s.action();
        if (a != null) {
          elements.add(a);
        }
      }
    }
    Map<String, List<KmsAction>> groups = new LinkedHashMap<>();
    for (KmsAction action : AccessAnalysis.AUTHORIZABLE) {
      StringBuilder key = new StringBuilder(elements.size() + 1);
      key.append(action.isCrossAccount() ? 'x' : '-');
      // The request context counts too: a key of other operations' requests is ignored.
      key.append(ContextKeys.possibleKeysSignature(action));
      for (Statement.ActionElement a : elements) {
        boolean listed = false;
        for (KmsAction pattern : a.actions()) {
          if (pattern.matches(action)) {
            listed = true;
            break;
          }
        }
        key.append(listed != a.negated() ? '1' : '0');
      }
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(action);
    }
    return List.copyOf(groups.values());
  }

  private static List<List<KmsAction>> singleActions() {
    List<List<KmsAction>> out = new ArrayList<>();
    for (KmsAction a : AccessAnalysis.AUTHORIZABLE) {
      out.add(List.of(a));
    }
    return out;
  }

  /** Evaluates the representative requests and collects the changes, in enumeration order. */
  private static final class Enumeration {
    final KeyAccessEvaluator oldEvaluator;
    final KeyAccessEvaluator newEvaluator;
    final String keyArn;
    final List<List<KmsAction>> groups;
    final Map<KmsAction, Integer> actionOrder = new java.util.HashMap<>();
    final List<AccessChange> added = new ArrayList<>();
    final List<AccessChange> removed = new ArrayList<>();
    long addedCount;
    long removedCount;
    long evaluations;

    Enumeration(
        KeyAccessEvaluator oldEvaluator,
        KeyAccessEvaluator newEvaluator,
        String keyArn,
        List<List<KmsAction>> groups) {
      this.oldEvaluator = oldEvaluator;
      this.newEvaluator = newEvaluator;
      this.keyArn = keyArn;
      this.groups = groups;
      int n = 0;
      for (KmsAction a : AccessAnalysis.AUTHORIZABLE) {
        actionOrder.put(a, n++);
      }
    }

    /** Decides every request of {@code probe} in {@code contexts}. */
    void probe(Probe probe, List<Map<String, List<String>>> contexts) {
      // Changes of one probe, ordered as the requests are (action, then context).
      List<long[]> order = new ArrayList<>();
      List<AccessChange> changes = new ArrayList<>();
      for (int c = 0; c < contexts.size(); c++) {
        Map<String, List<String>> context = contexts.get(c);
        for (List<KmsAction> group : groups) {
          Decision before = oldEvaluator.evaluate(request(probe, group.get(0), context));
          Decision after = newEvaluator.evaluate(request(probe, group.get(0), context));
          evaluations++;
          if (level(before) == level(after)) {
            continue;
          }
          for (int i = 0; i < group.size(); i++) {
            KmsAction action = group.get(i);
            Decision b = before;
            Decision a = after;
            if (i > 0) {
              AccessRequest r = request(probe, action, context);
              b = oldEvaluator.evaluate(r);
              a = newEvaluator.evaluate(r);
              evaluations++;
            }
            if (level(a) != level(b)) {
              order.add(
                  new long[] {
                    (long) Objects.requireNonNull(actionOrder.get(action)) * contexts.size() + c,
                    changes.size()
                  });
              changes.add(new AccessChange(probe.label, action, describe(context), b, a));
            }
          }
        }
      }
      order.sort((x, y) -> Long.compare(x[0], y[0]));
      for (long[] o : order) {
        AccessChange change = changes.get((int) o[1]);
        if (change.isGain()) {
          if (added.size() < MAX_LISTED_CHANGES) {
            added.add(change);
          }
          addedCount++;
        } else {
          if (removed.size() < MAX_LISTED_CHANGES) {
            removed.add(change);
          }
          removedCount++;
        }
      }
    }

    private AccessRequest request(
        Probe probe, KmsAction action, Map<String, List<String>> context) {
      AccessRequest.Builder b =
          AccessRequest.builder().principal(probe.principal).action(action).resource(keyArn);
      if (probe.rolePath != null) {
        b.rolePath(probe.rolePath);
      }
      if (probe.boundary) {
        b.permissionsBoundary(true);
      }
      for (Map.Entry<String, List<String>> e : context.entrySet()) {
        b.putContext(e.getKey(), e.getValue());
      }
      return b.build();
    }
  }

  /** Returns the account that owns the key. */
  public AccountId keyAccount() {
    return keyAccount;
  }

  /** Returns the key ARN the requests named. */
  public String keyArn() {
    return keyArn;
  }

  /** Returns whether the new policy grants some representative request more than the old. */
  public boolean grantsNewAccess() {
    return addedCount > 0;
  }

  /** Returns whether the new policy grants some representative request less than the old. */
  public boolean removesAccess() {
    return removedCount > 0;
  }

  /** Returns whether the two policies decide every representative request alike. */
  public boolean isEmpty() {
    return addedCount == 0 && removedCount == 0;
  }

  /**
   * Returns the requests the new policy grants more, in enumeration order: the first {@value
   * #MAX_LISTED_CHANGES} of them ({@link #addedCount()} counts them all).
   */
  public List<AccessChange> added() {
    return added;
  }

  /**
   * Returns the requests the new policy grants less, in enumeration order: the first {@value
   * #MAX_LISTED_CHANGES} of them ({@link #removedCount()} counts them all).
   */
  public List<AccessChange> removed() {
    return removed;
  }

  /** Returns how many representative requests the new policy grants more than the old. */
  public long addedCount() {
    return addedCount;
  }

  /** Returns how many representative requests the new policy grants less than the old. */
  public long removedCount() {
    return removedCount;
  }

  /**
   * Returns whether every combination of the context variants was evaluated for every principal and
   * action: {@link #coverage()} is {@link Coverage#EXHAUSTIVE}.
   */
  public boolean isExhaustive() {
    return coverage == Coverage.EXHAUSTIVE && incomplete.isEmpty();
  }

  /**
   * Returns why the representative requests may miss a request that the two policies decide
   * differently, empty when {@link #isExhaustive()} is true: a bounded {@link #coverage()},
   * principal patterns whose every combination is not tried, a condition key whose values cannot
   * all be represented (overlapping patterns, policy variables, unknown operators, too many
   * values). A diff that is not exhaustive and finds no new access is "possibly no new access",
   * never a proof.
   */
  public List<String> whyNotExhaustive() {
    List<String> out = new ArrayList<>();
    if (coverage != Coverage.EXHAUSTIVE) {
      out.add("contexts are bounded (coverage " + coverage + ")");
    }
    out.addAll(incomplete);
    return List.copyOf(out);
  }

  /** Returns how the representative requests were chosen (see the class documentation). */
  public Coverage coverage() {
    return coverage;
  }

  /**
   * Returns how many representative requests were decided under each policy: at most {@value
   * #MAX_REQUESTS}.
   */
  public long requestCount() {
    return requestCount;
  }

  /**
   * Returns how many requests were actually evaluated under each policy: one per group of actions
   * that the policies treat alike, plus each action of a group whose decision changed. At most
   * {@link #requestCount()}.
   */
  public long evaluationCount() {
    return evaluationCount;
  }

  /**
   * Returns the changes compacted for printing, added first: one line per principal, request
   * context and change of level, listing the actions, such as {@code +
   * arn:aws:iam::999999999999:role/kms-posture-probe: kms:Decrypt, kms:Encrypt [no request context]
   * (denied -> allowed if IAM allows)}.
   */
  public List<String> summary() {
    List<String> out = new ArrayList<>();
    out.addAll(addedSummary());
    out.addAll(removedSummary());
    return List.copyOf(out);
  }

  /**
   * Returns the added changes compacted for printing (see {@link #summary()}); when more than
   * {@value #MAX_LISTED_CHANGES} were found, a last line says how many are not listed.
   */
  public List<String> addedSummary() {
    return compact("+ ", added, addedCount);
  }

  /**
   * Returns the removed changes compacted for printing (see {@link #summary()}); when more than
   * {@value #MAX_LISTED_CHANGES} were found, a last line says how many are not listed.
   */
  public List<String> removedSummary() {
    return compact("- ", removed, removedCount);
  }

  @Override
  public String toString() {
    return String.format(
        "AccessDiff[added=%d, removed=%d, requests=%d, evaluations=%d, coverage=%s]",
        addedCount, removedCount, requestCount, evaluationCount, coverage);
  }

  // ---- levels ----------------------------------------------------------------------------------

  /** 2 allowed, 1 allowed if the caller's IAM policies allow, 0 denied. */
  static int level(Decision d) {
    if (d.isAllowed()) {
      return 2;
    }
    return d.outcome() == Decision.Outcome.IMPLICITLY_DENIED && d.delegatedToIam() ? 1 : 0;
  }

  static String levelName(Decision d) {
    return switch (level(d)) {
      case 2 -> "allowed";
      case 1 -> "allowed if IAM allows";
      default -> "denied";
    };
  }

  private static List<String> compact(String sign, List<AccessChange> changes, long count) {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    for (AccessChange c : changes) {
      String key = c.principal() + " [" + c.context() + "] (" + c.transition() + ")";
      groups.computeIfAbsent(key, k -> new TreeSet<>()).add(c.action().name());
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : groups.entrySet()) {
      String key = e.getKey();
      int bracket = key.indexOf(" [");
      out.add(
          sign
              + key.substring(0, bracket)
              + ": "
              + String.join(", ", e.getValue())
              + key.substring(bracket));
    }
    if (count > changes.size()) {
      out.add(
          sign
              + "… and "
              + (count - changes.size())
              + " more requests not listed (only the first "
              + changes.size()
              + " are kept)");
    }
    return out;
  }

  // ---- principals ------------------------------------------------------------------------------

  /** One calling principal to try. */
  private static final class Probe {
    final String principal;
    final @Nullable String rolePath;
    final boolean boundary;
    final String label;
    // A principal of the key's account or of the fresh account that neither policy names, the
    // probe service or anonymous: what stands for every principal the policies do not name.
    final boolean generic;

    Probe(String principal, @Nullable String rolePath, boolean boundary, boolean generic) {
      this.principal = principal;
      this.rolePath = rolePath;
      this.boundary = boundary;
      this.generic = generic;
      this.label =
          principal
              + (rolePath == null ? "" : " (role path " + rolePath + ")")
              + (boundary ? " (with a permissions boundary)" : "");
    }
  }

  // The callers of RequestSpace over every statement of both policies (the principals they name,
  // and for the key's account, every account they name and a fresh one: the root user, a user, a
  // role, a role session and a federated user whose names no principal pattern matches, or the
  // patterns' instantiations), the services they name, a service they do not, and anonymous; each
  // session also with its role path not given (aws:PrincipalArn unknown).
  private static List<Probe> probes(RequestSpace space) {
    String key = space.keyAccount.value();
    String fresh = space.freshAccount;
    List<Probe> out = new ArrayList<>();
    for (Caller c : space.callers) {
      String account = c.account();
      boolean generic =
          !c.named() && (account == null || account.equals(key) || account.equals(fresh));
      out.add(new Probe(c.principal(), c.rolePath(), c.boundary(), generic));
      if (c.kind() == AccessRequest.CallerKind.SESSION && c.rolePath() != null) {
        out.add(new Probe(c.principal(), null, c.boundary(), generic));
      }
    }
    // Keep only principals the request model accepts (an odd value in a policy is not a caller).
    List<Probe> valid = new ArrayList<>();
    for (Probe p : out) {
      try {
        AccessRequest.builder().principal(p.principal).action(KmsAction.DECRYPT).build();
        valid.add(p);
      } catch (IllegalArgumentException e) {
        // not a caller form: nothing can call as it
      }
    }
    return valid;
  }

  // ---- contexts --------------------------------------------------------------------------------

  /** The variants of one condition key: null stands for "absent". */
  private static final class KeyVariants {
    final String key;
    final List<@Nullable List<String>> variants;

    KeyVariants(String key, List<@Nullable List<String>> variants) {
      this.key = key;
      this.variants = variants;
    }
  }

  // The variants of every condition key either policy reads (but those that follow from the
  // principal): absent; the samples of addSamples (at most MAX_VALUES_PER_KEY named values, the
  // unmatched value, and for multi-valued keys the empty set and the set of all named values);
  // then every representative of the key's ContextDomain not among them, up to
  // MAX_VARIANTS_PER_KEY in all. Cutting a key's values short, or a domain that is not complete,
  // is recorded in incomplete.
  private static List<KeyVariants> contextKeys(
      List<KeyPolicy> policies, RequestSpace space, List<String> incomplete) {
    Map<String, String> spelling = new TreeMap<>();
    Map<String, Set<String>> values = new TreeMap<>();
    Set<String> multi = new TreeSet<>();
    for (KeyPolicy policy : policies) {
      for (Statement s : policy.statements()) {
        for (Condition c : s.conditions()) {
          String key = c.key().normalized();
          if (DERIVED.contains(key)) {
            continue;
          }
          spelling.putIfAbsent(key, c.key().name());
          Set<String> vs = values.computeIfAbsent(key, k -> new LinkedHashSet<>());
          if (c.operator().qualifier() != ConditionOperator.Qualifier.NONE) {
            multi.add(key);
          }
          for (ConditionValue v : c.values()) {
            addSamples(c.operator(), v.text(), vs);
          }
        }
      }
    }
    List<KeyVariants> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : values.entrySet()) {
      String name = Objects.requireNonNull(spelling.get(e.getKey()));
      List<String> named = new ArrayList<>(e.getValue());
      if (named.size() > MAX_VALUES_PER_KEY) {
        named = named.subList(0, MAX_VALUES_PER_KEY);
      }
      Set<@Nullable List<String>> variants = new LinkedHashSet<>();
      variants.add(null);
      for (String v : named) {
        variants.add(List.of(v));
      }
      variants.add(List.of(UNMATCHED));
      if (multi.contains(e.getKey())) {
        variants.add(List.of());
        if (named.size() > 1) {
          variants.add(List.copyOf(named));
        }
      }
      boolean cut = e.getValue().size() > MAX_VALUES_PER_KEY;
      ContextDomain domain = space.domain(ContextKeys.lower(name));
      if (domain != null) {
        for (List<String> v : domain.variants()) {
          if (variants.size() >= MAX_VARIANTS_PER_KEY) {
            cut |= !variants.contains(v);
          } else {
            variants.add(List.copyOf(v));
          }
        }
        String why = domain.whyIncomplete();
        if (why != null) {
          incomplete.add(why);
        }
      }
      if (cut) {
        incomplete.add(
            "condition key "
                + name
                + " has more representative values than the "
                + MAX_VARIANTS_PER_KEY
                + " tried");
      }
      out.add(new KeyVariants(name, new ArrayList<>(variants)));
    }
    return out;
  }

  private static void addSamples(ConditionOperator op, String text, Set<String> out) {
    if (text.contains("${")) {
      return;
    }
    String base = op.base();
    if (base.startsWith("Numeric")) {
      out.add(text);
      try {
        BigDecimal n = new BigDecimal(text);
        out.add(n.add(BigDecimal.ONE).toPlainString());
        out.add(n.subtract(BigDecimal.ONE).toPlainString());
      } catch (NumberFormatException e) {
        // not a number: the operator cannot match it; the text itself is sample enough
      }
    } else if (base.equals("Bool")) {
      out.add("true");
      out.add("false");
    } else if (base.endsWith("IpAddress")) {
      int slash = text.indexOf('/');
      out.add(slash < 0 ? text : text.substring(0, slash));
      // CIDR ranges are nested or disjoint, so the first and last addresses of each range tell
      // a wider range from a narrower one.
      String last = lastIpv4(text);
      if (last != null) {
        out.add(last);
      }
    } else if (base.contains("Like") || base.startsWith("Arn")) {
      out.add(text.replace('*', 'x').replace('?', 'x'));
    } else {
      out.add(text);
    }
  }

  // The last address of an IPv4 CIDR range such as 10.0.0.0/8, or null for anything else.
  static @Nullable String lastIpv4(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String[] octets = cidr.substring(0, slash).split("\\.", -1);
    if (octets.length != 4) {
      return null;
    }
    long address = 0;
    int prefix;
    try {
      for (String o : octets) {
        int v = Integer.parseInt(o);
        if (v < 0 || v > 255) {
          return null;
        }
        address = (address << 8) | v;
      }
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (prefix < 0 || prefix > 32) {
      return null;
    }
    long last = address | ((1L << (32 - prefix)) - 1);
    return String.format(
        "%d.%d.%d.%d", (last >> 24) & 255, (last >> 16) & 255, (last >> 8) & 255, last & 255);
  }

  private static List<Map<String, List<String>>> fullProduct(List<KeyVariants> keys) {
    List<Map<String, List<String>>> out = new ArrayList<>();
    out.add(new TreeMap<>());
    for (KeyVariants k : keys) {
      List<Map<String, List<String>>> next = new ArrayList<>();
      for (Map<String, List<String>> partial : out) {
        for (List<String> v : k.variants) {
          Map<String, List<String>> m = new TreeMap<>(partial);
          if (v != null) {
            m.put(k.key, v);
          }
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }

  // Every key absent, and all keys together at their i-th variant (the last one repeated).
  private static List<Map<String, List<String>>> aligned(List<KeyVariants> keys) {
    Set<Map<String, List<String>>> out = new LinkedHashSet<>();
    out.add(new TreeMap<>());
    int widest = 0;
    for (KeyVariants k : keys) {
      widest = Math.max(widest, k.variants.size());
    }
    for (int i = 1; i < widest; i++) {
      Map<String, List<String>> m = new TreeMap<>();
      for (KeyVariants k : keys) {
        List<String> v = k.variants.get(Math.min(i, k.variants.size() - 1));
        if (v != null) {
          m.put(k.key, v);
        }
      }
      out.add(m);
    }
    return List.copyOf(out);
  }

  private static List<Map<String, List<String>>> oneAtATime(List<KeyVariants> keys) {
    Set<Map<String, List<String>>> out = new LinkedHashSet<>();
    out.add(new TreeMap<>());
    int widest = 0;
    for (KeyVariants k : keys) {
      widest = Math.max(widest, k.variants.size());
      for (List<String> v : k.variants) {
        Map<String, List<String>> m = new TreeMap<>();
        if (v != null) {
          m.put(k.key, v);
        }
        out.add(m);
      }
    }
    for (int i = 1; i < widest; i++) {
      Map<String, List<String>> m = new TreeMap<>();
      for (KeyVariants k : keys) {
        List<String> v = k.variants.get(Math.min(i, k.variants.size() - 1));
        if (v != null) {
          m.put(k.key, v);
        }
      }
      out.add(m);
    }
    return List.copyOf(out);
  }

  private static String describe(Map<String, List<String>> context) {
    if (context.isEmpty()) {
      return "no request context";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      List<String> v = e.getValue();
      parts.add(e.getKey() + "=" + (v.size() == 1 ? v.get(0) : v.toString()));
    }
    return String.join(", ", parts);
  }
}

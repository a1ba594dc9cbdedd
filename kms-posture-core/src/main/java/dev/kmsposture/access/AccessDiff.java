package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionValue;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
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
 *   <li>principals: every principal named in either policy (ARNs, account roots, service
 *       principals, and partial wildcards and {@code aws:PrincipalArn} values instantiated), a
 *       session of each named role, the root user and a user, a role and a role session in every
 *       account either policy names (in principals or in account, ARN and source conditions) and in
 *       the key's account, the same in a fresh account that neither policy names ("another
 *       account"), a service principal neither names, and {@code anonymous}; when either policy has
 *       a {@code NotPrincipal}, each AWS principal also with a permissions boundary;
 *   <li>actions: every catalog action a key policy can authorize;
 *   <li>request contexts built from the condition keys either policy names (except those that
 *       follow from the principal: {@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code
 *       kms:CallerAccount}, {@code aws:PrincipalType}, {@code aws:username}): each key absent, at
 *       each value either policy names (wildcards instantiated, numbers also one above and below,
 *       CIDR ranges at their first address, Booleans both ways), and at a value that matches
 *       nothing; multi-valued keys (used with {@code ForAnyValue:}/{@code ForAllValues:}) also as
 *       the empty set and as the set of all named values.
 * </ul>
 *
 * <p><strong>Bound.</strong> Each key contributes at most {@value #MAX_VALUES_PER_KEY} named
 * values. When the product of the keys' variants exceeds {@value #MAX_CONTEXTS}, or principals ×
 * actions × contexts would exceed {@value #MAX_REQUESTS}, the contexts are instead: every key
 * absent; each key at each of its variants with the others absent; and all keys together at their
 * i-th named value. {@link #isExhaustive()} says which. The enumeration is deterministic: the same
 * policies give the same changes in the same order.
 *
 * <p><strong>Soundness.</strong> Within the representatives, the diff is exact. Any principal,
 * account or context value that neither policy names behaves like the fresh ones enumerated, so a
 * diff that finds no new access holds for every request — when {@link #isExhaustive()} is true and
 * no policy variables or wildcard conditions couple values in ways one instantiation misses.
 * Requests that depend on grants, SCPs or the caller's IAM policies are outside the diff: both
 * policies are evaluated alone.
 */
public final class AccessDiff {

  /** The most named values taken per condition key. */
  public static final int MAX_VALUES_PER_KEY = 8;

  /** The most request contexts per principal and action in exhaustive mode. */
  public static final int MAX_CONTEXTS = 512;

  /** The most requests evaluated (per policy) in exhaustive mode. */
  public static final int MAX_REQUESTS = 2_000_000;

  static final String UNMATCHED = "kms-posture-unmatched";
  private static final String PROBE = "kms-posture-probe";
  private static final String PROBE_SERVICE = "kms-posture-probe.amazonaws.com";

  // Keys that follow from the principal: the request derives them, so varying them would describe
  // impossible requests.
  private static final Set<String> DERIVED =
      Set.of(
          "aws:principalarn",
          "aws:principalaccount",
          "kms:calleraccount",
          "aws:principaltype",
          "aws:username",
          "aws:userid");

  private final AccountId keyAccount;
  private final String keyArn;
  private final List<AccessChange> added;
  private final List<AccessChange> removed;
  private final boolean exhaustive;
  private final long requestCount;

  private AccessDiff(
      AccountId keyAccount,
      String keyArn,
      List<AccessChange> added,
      List<AccessChange> removed,
      boolean exhaustive,
      long requestCount) {
    this.keyAccount = keyAccount;
    this.keyArn = keyArn;
    this.added = List.copyOf(added);
    this.removed = List.copyOf(removed);
    this.exhaustive = exhaustive;
    this.requestCount = requestCount;
  }

  /**
   * Compares two key policies of a key in {@code keyAccount}, with the key ARN {@code
   * arn:aws:kms:us-east-1:ACCOUNT:key/00000000-0000-0000-0000-000000000000}.
   *
   * @param oldPolicy the policy in force
   * @param newPolicy the proposed policy
   * @param keyAccount the account that owns the key
   * @return the difference in access
   */
  public static AccessDiff between(KeyPolicy oldPolicy, KeyPolicy newPolicy, AccountId keyAccount) {
    Objects.requireNonNull(keyAccount, "keyAccount");
    return between(
        oldPolicy,
        newPolicy,
        keyAccount,
        "arn:aws:kms:us-east-1:"
            + keyAccount.value()
            + ":key/00000000-0000-0000-0000-000000000000");
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
    Objects.requireNonNull(oldPolicy, "oldPolicy");
    Objects.requireNonNull(newPolicy, "newPolicy");
    Objects.requireNonNull(keyAccount, "keyAccount");
    Objects.requireNonNull(keyArn, "keyArn");
    KeyAccessEvaluator oldEvaluator =
        KeyAccessEvaluator.builder().keyPolicy(oldPolicy).keyArn(keyArn).build();
    KeyAccessEvaluator newEvaluator =
        KeyAccessEvaluator.builder().keyPolicy(newPolicy).keyArn(keyArn).build();
    List<KeyPolicy> both = List.of(oldPolicy, newPolicy);
    List<Probe> probes = probes(both, keyAccount);
    List<KmsAction> actions = List.copyOf(AccessAnalysis.AUTHORIZABLE);
    List<KeyVariants> keys = contextKeys(both);
    long product = 1;
    for (KeyVariants k : keys) {
      product = Math.min(product * k.variants.size(), Integer.MAX_VALUE);
    }
    boolean exhaustive =
        product <= MAX_CONTEXTS && (long) probes.size() * actions.size() * product <= MAX_REQUESTS;
    List<Map<String, List<String>>> contexts = exhaustive ? fullProduct(keys) : oneAtATime(keys);
    List<AccessChange> added = new ArrayList<>();
    List<AccessChange> removed = new ArrayList<>();
    long count = 0;
    for (Probe probe : probes) {
      for (KmsAction action : actions) {
        for (Map<String, List<String>> context : contexts) {
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
          AccessRequest request = b.build();
          Decision before = oldEvaluator.evaluate(request);
          Decision after = newEvaluator.evaluate(request);
          count++;
          int delta = level(after) - level(before);
          if (delta != 0) {
            AccessChange change =
                new AccessChange(probe.label, action, describe(context), before, after);
            (delta > 0 ? added : removed).add(change);
          }
        }
      }
    }
    return new AccessDiff(keyAccount, keyArn, added, removed, exhaustive, count);
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
    return !added.isEmpty();
  }

  /** Returns whether the new policy grants some representative request less than the old. */
  public boolean removesAccess() {
    return !removed.isEmpty();
  }

  /** Returns whether the two policies decide every representative request alike. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }

  /** Returns the requests the new policy grants more, in enumeration order. */
  public List<AccessChange> added() {
    return added;
  }

  /** Returns the requests the new policy grants less, in enumeration order. */
  public List<AccessChange> removed() {
    return removed;
  }

  /**
   * Returns whether every combination of the context variants was evaluated (see the class
   * documentation for the bound).
   */
  public boolean isExhaustive() {
    return exhaustive;
  }

  /** Returns how many representative requests were evaluated against each policy. */
  public long requestCount() {
    return requestCount;
  }

  /**
   * Returns the changes compacted for printing, added first: one line per principal, request
   * context and change of level, listing the actions, such as {@code +
   * arn:aws:iam::999999999999:role/kms-posture-probe: kms:Decrypt, kms:Encrypt [no request context]
   * (denied -> allowed if IAM allows)}.
   */
  public List<String> summary() {
    List<String> out = new ArrayList<>();
    out.addAll(compact("+ ", added));
    out.addAll(compact("- ", removed));
    return List.copyOf(out);
  }

  /** Returns the added changes compacted for printing (see {@link #summary()}). */
  public List<String> addedSummary() {
    return compact("+ ", added);
  }

  /** Returns the removed changes compacted for printing (see {@link #summary()}). */
  public List<String> removedSummary() {
    return compact("- ", removed);
  }

  @Override
  public String toString() {
    return String.format(
        "AccessDiff[added=%d, removed=%d, requests=%d, exhaustive=%s]",
        added.size(), removed.size(), requestCount, exhaustive);
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
    switch (level(d)) {
      case 2:
        return "allowed";
      case 1:
        return "allowed if IAM allows";
      default:
        return "denied";
    }
  }

  private static List<String> compact(String sign, List<AccessChange> changes) {
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
    return out;
  }

  // ---- principals ------------------------------------------------------------------------------

  /** One calling principal to try. */
  private static final class Probe {
    final String principal;
    final @Nullable String rolePath;
    final boolean boundary;
    final String label;

    Probe(String principal, @Nullable String rolePath, boolean boundary) {
      this.principal = principal;
      this.rolePath = rolePath;
      this.boundary = boundary;
      this.label =
          principal
              + (rolePath == null ? "" : " (role path " + rolePath + ")")
              + (boundary ? " (with a permissions boundary)" : "");
    }
  }

  private static List<Probe> probes(List<KeyPolicy> policies, AccountId keyAccount) {
    Set<String> arns = new TreeSet<>();
    Map<String, String> sessions = new TreeMap<>(); // session ARN -> role path
    Set<String> services = new TreeSet<>();
    Set<AccountId> accounts = new TreeSet<>();
    accounts.add(keyAccount);
    boolean notPrincipal = false;
    for (KeyPolicy policy : policies) {
      for (Statement s : policy.statements()) {
        notPrincipal |= s.isNotPrincipal();
        for (Principal p : s.principals()) {
          if (p instanceof Principal.Service && !p.isEveryone()) {
            services.add(p.value());
          } else if (p instanceof Principal.Aws) {
            addAws((Principal.Aws) p, arns, sessions, accounts);
          }
        }
        for (Condition c : s.conditions()) {
          String key = c.key().normalized();
          for (ConditionValue v : c.values()) {
            String text = v.text();
            if (text.contains("${")) {
              continue;
            }
            if (key.equals("kms:calleraccount")
                || key.equals("aws:principalaccount")
                || key.equals("aws:sourceaccount")) {
              if (AccountId.isAccountId(text)) {
                accounts.add(AccountId.of(text));
              }
            } else if (key.equals("aws:principalarn")) {
              String arn = instantiateArn(text, null);
              if (arn != null) {
                addAws(Principal.aws(arn), arns, sessions, accounts);
              }
            } else if (key.equals("aws:sourcearn")) {
              ConditionScope.accountOfArn(text).ifPresent(accounts::add);
            }
          }
        }
      }
    }
    AccountId fresh = fresh(accounts);
    Set<AccountId> all = new TreeSet<>(accounts);
    all.add(fresh);
    for (AccountId a : all) {
      arns.add(a.rootArn());
      arns.add("arn:aws:iam::" + a.value() + ":user/" + PROBE);
      arns.add("arn:aws:iam::" + a.value() + ":role/" + PROBE);
      sessions.put("arn:aws:sts::" + a.value() + ":assumed-role/" + PROBE + "/" + PROBE, "/");
    }
    services.add(PROBE_SERVICE);
    List<Probe> out = new ArrayList<>();
    for (String arn : arns) {
      out.add(new Probe(arn, null, false));
      if (notPrincipal) {
        out.add(new Probe(arn, null, true));
      }
    }
    for (Map.Entry<String, String> e : sessions.entrySet()) {
      out.add(new Probe(e.getKey(), e.getValue(), false));
      // A session whose role path is not known: aws:PrincipalArn is unknown.
      out.add(new Probe(e.getKey(), null, false));
      if (notPrincipal) {
        out.add(new Probe(e.getKey(), e.getValue(), true));
      }
    }
    for (String service : services) {
      if (isServiceName(service)) {
        out.add(new Probe(service, null, false));
      }
    }
    out.add(new Probe(AccessRequest.ANONYMOUS, null, false));
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

  private static boolean isServiceName(String s) {
    return s.indexOf('.') > 0 && s.indexOf(':') < 0 && s.indexOf('/') < 0 && s.indexOf(' ') < 0;
  }

  private static void addAws(
      Principal.Aws p, Set<String> arns, Map<String, String> sessions, Set<AccountId> accounts) {
    p.accountId().ifPresent(accounts::add);
    switch (p.kind()) {
      case ACCOUNT:
        arns.add(p.accountId().orElseThrow().rootArn(p.partition().orElse("aws")));
        break;
      case ROLE:
        arns.add(p.value());
        String res = p.arn().orElseThrow().resource();
        int last = res.lastIndexOf('/');
        String path = res.substring("role".length(), last + 1);
        sessions.put(
            "arn:"
                + p.partition().orElse("aws")
                + ":sts::"
                + p.accountId().orElseThrow().value()
                + ":assumed-role/"
                + res.substring(last + 1)
                + "/"
                + PROBE,
            path);
        break;
      case USER:
      case ASSUMED_ROLE_SESSION:
      case FEDERATED_USER_SESSION:
        arns.add(p.value());
        break;
      case PARTIAL_WILDCARD:
        String arn = instantiateArn(p.value(), null);
        if (arn != null) {
          Principal.Aws concrete = Principal.aws(arn);
          if (concrete.kind() != Principal.AwsKind.PARTIAL_WILDCARD) {
            addAws(concrete, arns, sessions, accounts);
          }
        }
        break;
      default:
        break;
    }
  }

  // Replaces the wildcards of an ARN pattern: in the account with a 12-digit id (the fresh-looking
  // 999999999999), elsewhere with "x".
  private static @Nullable String instantiateArn(String pattern, @Nullable String account) {
    String[] parts = pattern.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn")) {
      return null;
    }
    if (Glob.hasWildcard(parts[4])) {
      parts[4] = account != null ? account : "999999999999";
    }
    for (int i = 1; i < 6; i++) {
      parts[i] = parts[i].replace('*', 'x').replace('?', 'x');
    }
    return String.join(":", parts);
  }

  private static AccountId fresh(Set<AccountId> named) {
    long candidate = 999_999_999_999L;
    while (named.contains(AccountId.of(Long.toString(candidate)))) {
      candidate--;
    }
    return AccountId.of(Long.toString(candidate));
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

  private static List<KeyVariants> contextKeys(List<KeyPolicy> policies) {
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
      List<String> named = new ArrayList<>(e.getValue());
      if (named.size() > MAX_VALUES_PER_KEY) {
        named = named.subList(0, MAX_VALUES_PER_KEY);
      }
      List<@Nullable List<String>> variants = new ArrayList<>();
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
      out.add(new KeyVariants(spelling.get(e.getKey()), variants));
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

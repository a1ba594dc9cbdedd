package dev.kmsposture.rules;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.internal.text.Words;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyIssue;
import dev.kmsposture.policy.PolicyParseException;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What a rule may consult besides the key: the account snapshot, the configuration, "now" (when the
 * snapshot was captured), and computations shared by rules and done once per key — the parsed key
 * policy. Thread-safe.
 */
public final class RuleContext {
  private final AccountSnapshot snapshot;
  private final PostureConfig config;
  // What is computed once per key (by ARN) and once per distinct policy text. Accounts with many
  // keys share a few policy texts (every key made with the default policy carries the same text),
  // so a policy is parsed, validated and analysed once per text and key account, not once per key.
  // KeyPolicy and AccessAnalysis are immutable, so sharing them between keys is safe.
  //
  // Both memories are bounded, so a check of a large account does not hold every key's parsed
  // policy and analysis until it ends (the garbage collector copied them over and over): the key
  // memory is emptied when it reaches MAX_KEYS (the engine asks about one key at a time; a fact
  // asked for again is recomputed, with the same result), and texts beyond MAX_TEXTS distinct
  // ones are remembered only by the keys that carry them.
  static final int MAX_KEYS = 4096;
  static final int MAX_TEXTS = 1024;
  // A streaming check judges each key once, before the next arrives: a few keys' facts suffice
  // (a multi-Region key asks about its partners), and fewer shared texts keep its memory small
  // whatever the account (about 25 KB per parsed and analysed text).
  static final int STREAMING_MAX_KEYS = 64;
  static final int STREAMING_MAX_TEXTS = 256;
  private final int maxKeys;
  private final int maxTexts;
  private final Map<String, KeyFacts> keys;
  // The key asked about last: rules ask about one key many times in a row.
  private volatile @Nullable KeyFacts last;
  private final Map<PolicyText, PolicyFacts> texts = new ConcurrentHashMap<>();

  private RuleContext(
      AccountSnapshot snapshot,
      PostureConfig config,
      java.util.function.@Nullable Function<String, @Nullable KeySnapshot> lookup) {
    this.snapshot = snapshot;
    this.config = config;
    this.maxKeys = lookup == null ? MAX_KEYS : STREAMING_MAX_KEYS;
    this.maxTexts = lookup == null ? MAX_TEXTS : STREAMING_MAX_TEXTS;
    this.keys = new ConcurrentHashMap<>(Math.min(snapshot.keys().size(), maxKeys) * 2 + 16);
    this.lookup = lookup;
  }

  /** Returns a context for judging {@code snapshot} against {@code config}. */
  public static RuleContext of(AccountSnapshot snapshot, PostureConfig config) {
    return new RuleContext(
        Objects.requireNonNull(snapshot, "snapshot"),
        Objects.requireNonNull(config, "config"),
        null);
  }

  /**
   * Returns a context for judging keys of {@code header}'s account one at a time, when the
   * snapshot's keys are not all in memory: {@link #key}, {@link #primaryOf} and {@link #replicasOf}
   * look keys up with {@code lookup} (in the multi-Region keys the engine holds, the only ones
   * those look-ups concern; null when none has the ARN), which the caller may keep filling.
   */
  static RuleContext streaming(
      AccountSnapshot header,
      PostureConfig config,
      java.util.function.Function<String, @Nullable KeySnapshot> lookup) {
    return new RuleContext(
        Objects.requireNonNull(header, "header"),
        Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(lookup, "lookup"));
  }

  /**
   * Returns the account snapshot being judged. When the engine judges keys as they are read ({@link
   * PostureEngine#start}), this is the snapshot's header and account parts, without its keys: look
   * other keys up with {@link #key}, {@link #primaryOf} and {@link #replicasOf}.
   */
  public AccountSnapshot snapshot() {
    return snapshot;
  }

  /** Returns the configuration. */
  public PostureConfig config() {
    return config;
  }

  /** Returns "now" for the rules: when the snapshot was captured (so results are reproducible). */
  public Instant now() {
    return snapshot.capturedAt();
  }

  /**
   * Returns the key's parsed policy, when the snapshot has a policy text and it parses. Parsed once
   * per key.
   */
  public Optional<KeyPolicy> policy(KeySnapshot key) {
    return facts(key).policy;
  }

  /**
   * Returns why the key's policy is not available: not collected, unreadable (with the reason), or
   * not parseable (with the parse error). Empty when the policy parsed.
   */
  public Optional<String> policyProblem(KeySnapshot key) {
    return facts(key).policyProblem;
  }

  /**
   * Returns the access analysis of the key's policy ({@link AccessAnalysis#of}), computed once per
   * key. Empty when the policy is not available ({@link #policyProblem(KeySnapshot)} says why) or
   * the key's ARN carries no valid account id.
   */
  public Optional<AccessAnalysis> analysis(KeySnapshot key) {
    return analysisFacts(key).map(a -> a.analysis);
  }

  /**
   * Returns what {@code derivation} works out from the key's policy and its access analysis,
   * computed once per distinct policy text and key account (and per key when a {@code Resource}
   * names particular keys): keys that share a policy share the result. Empty when the policy or its
   * analysis is not available ({@link #analysis} is empty).
   *
   * @throws NullPointerException if the derivation returns null (a bug in the rule)
   */
  public <T> Optional<T> derive(KeySnapshot key, PolicyDerivation<T> derivation) {
    Objects.requireNonNull(derivation, "derivation");
    Optional<AnalysisFacts> facts = analysisFacts(key);
    if (facts.isEmpty()) {
      return Optional.empty();
    }
    AnalysisFacts a = facts.get();
    Object value = a.derived.get(derivation);
    if (value == null) {
      KeyPolicy policy = facts(key).policy.orElseThrow();
      value =
          Objects.requireNonNull(
              derivation.derive(policy, a.analysis, config),
              "bug in a rule: a policy derivation returned null");
      Object raced = a.derived.putIfAbsent(derivation, value);
      if (raced != null) {
        value = raced;
      }
    }
    @SuppressWarnings("unchecked") // stored under this derivation, which produced a T
    T result = (T) value;
    return Optional.of(result);
  }

  private Optional<AnalysisFacts> analysisFacts(KeySnapshot key) {
    KeyFacts k = facts(key);
    Optional<AnalysisFacts> a = k.analysis;
    if (a == null) {
      String account = key.account();
      if (k.policy.isEmpty() || !AccountId.isAccountId(account)) {
        a = Optional.empty();
      } else {
        KeyPolicy policy = k.policy.get();
        // The analysis matches Resource elements against the key's ARN; when every one is "*"
        // the answer is the same for every key of the account, and keys share it.
        String arn = key.arn();
        String cacheKey = k.text.analysisIndependentOfKey ? account : account + '\u0000' + arn;
        a =
            Optional.of(
                k.text.analyses.computeIfAbsent(
                    cacheKey, x -> new AnalysisFacts(analyse(policy, AccountId.of(account), arn))));
      }
      k.analysis = a;
    }
    return a;
  }

  private static AccessAnalysis analyse(KeyPolicy policy, AccountId account, String keyArn) {
    if (Arn.tryParse(keyArn).isEmpty()) {
      return AccessAnalysis.of(policy, account);
    }
    return AccessAnalysis.of(policy, account, keyArn);
  }

  // Whether the access analysis is the same for every key: every Resource and NotResource is "*".
  private static boolean analysisIndependentOfKey(KeyPolicy policy) {
    for (Statement s : policy.statements()) {
      for (String res : s.resources()) {
        if (!res.equals("*")) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Returns what {@link KeyPolicy#validate(String)} finds in the key's policy, judged against the
   * key's ARN; empty when the policy is not available. Computed once per policy text when every
   * {@code Resource} is {@code *} (the answer then does not depend on the key), otherwise once per
   * key.
   */
  public List<PolicyIssue> policyIssues(KeySnapshot key) {
    KeyFacts k = facts(key);
    List<PolicyIssue> issues = k.issues;
    if (issues == null) {
      if (k.policy.isEmpty()) {
        issues = List.of();
      } else {
        KeyPolicy policy = k.policy.get();
        PolicyFacts p = k.text;
        if (p.resourcesIndependentOfKey) {
          issues = p.keyIndependentIssues;
          if (issues == null) {
            issues = List.copyOf(policy.validate(key.arn()));
            p.keyIndependentIssues = issues;
          }
        } else {
          issues = List.copyOf(policy.validate(key.arn()));
        }
      }
      k.issues = issues;
    }
    return issues;
  }

  // Whether validating the policy gives the same issues for every key: true when no statement has
  // a Resource other than "*" (the only part of validation that reads the key's ARN).
  private static boolean resourcesIndependentOfKey(KeyPolicy policy) {
    for (Statement s : policy.statements()) {
      Statement.ResourceElement r = s.resource();
      if (r != null && !r.negated()) {
        for (String res : r.resources()) {
          if (!res.equals("*")) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * Returns why the key's alias or tags mark it as production or sensitive, per the configuration's
   * {@link PostureConfig#productionNameTokens()} and {@link PostureConfig#productionTags()}: the
   * same reasons the engine gives when it raises a finding's priority. Empty when nothing marks it.
   */
  public List<String> productionSignals(KeySnapshot key) {
    KeyFacts k = facts(key);
    List<String> signals = k.productionSignals;
    if (signals == null) {
      signals = productionSignals(key, config);
      k.productionSignals = signals;
    }
    return signals;
  }

  /** Returns why {@code key}'s alias or tags mark it as production under {@code config}. */
  static List<String> productionSignals(KeySnapshot key, PostureConfig config) {
    List<String> reasons = new ArrayList<>();
    if (key.aliases() != null) {
      for (String alias : key.aliases()) {
        String name = alias.startsWith("alias/") ? alias.substring(6) : alias;
        for (String token : Words.lowerCase(name)) {
          if (config.productionNameTokens().contains(token)) {
            reasons.add("its alias " + name + " says " + token);
          }
        }
      }
    }
    if (key.tags() != null) {
      for (Map.Entry<String, List<String>> e : config.productionTags().entrySet()) {
        String v = key.tags().get(e.getKey());
        if (v != null && matchesAny(e.getValue(), v.trim())) {
          reasons.add("it is tagged " + e.getKey() + "=" + v);
        }
      }
    }
    return List.copyOf(reasons);
  }

  private static boolean matchesAny(List<String> values, String value) {
    for (String x : values) {
      if (x.equalsIgnoreCase(value)) {
        return true;
      }
    }
    return false;
  }

  // the cache holds facts of this exact snapshot instance.
  @SuppressWarnings("ReferenceEquality")
  private KeyFacts facts(KeySnapshot key) {
    KeyFacts l = last;
    if (l != null && l.key == key) {
      return l;
    }
    KeyFacts k = keys.get(key.arn());
    if (k != null && k.key == key) {
      last = k;
      return k;
    }
    KeyFacts fresh = new KeyFacts(key, parse(key));
    if (k == null) {
      if (keys.size() >= maxKeys) {
        keys.clear();
      }
      KeyFacts raced = keys.putIfAbsent(key.arn(), fresh);
      if (raced != null && raced.key == key) {
        last = raced;
        return raced;
      }
    }
    // A second key with the same ARN (a snapshot listing it twice) is judged on its own facts.
    last = fresh;
    return fresh;
  }

  private PolicyFacts parse(KeySnapshot key) {
    String text = key.policy();
    if (text == null) {
      String why =
          key.unreadableReason(dev.kmsposture.snapshot.KeyPart.POLICY)
              .map(r -> "the key policy could not be read: " + r)
              .orElse("the key policy was not collected in the snapshot");
      return new PolicyFacts(null, why);
    }
    PolicyText t = new PolicyText(text);
    PolicyFacts known = texts.get(t);
    if (known != null) {
      return known;
    }
    if (texts.size() >= maxTexts) {
      return PolicyFacts.parse(text);
    }
    return texts.computeIfAbsent(t, x -> PolicyFacts.parse(x.text));
  }

  /**
   * A policy text as the key of the memory of parsed texts: equal when the whole texts are equal,
   * with a hash of every character ({@link #hash}). Every key reads its policy as a text of its own
   * (a few kilobytes), so the hash is computed once per key: {@link String#hashCode}, one long
   * chain of multiplications, was the twelfth of a large check's judging; a hash of the length and
   * a sample of characters let texts made from one template (differing in one role name) collide,
   * and a crowded bucket of the map made every look-up compare whole texts. Equal hashes are told
   * apart by comparing the whole texts ({@link String#equals}), and texts whose hashes collide
   * still compare in order ({@link Comparable}: a crowded bucket of the map becomes a tree).
   */
  static final class PolicyText implements Comparable<PolicyText> {
    final String text;
    private final int hash;

    PolicyText(String text) {
      this.text = text;
      this.hash = hash(text);
    }

    /**
     * Returns a hash of the length and every character of {@code text}: four polynomial hashes, of
     * the characters at positions 0, 4, 8, … , 1, 5, 9, … and so on, computed side by side (four
     * independent chains rather than one), then combined.
     */
    static int hash(String text) {
      int n = text.length();
      int h0 = n;
      int h1 = 0;
      int h2 = 0;
      int h3 = 0;
      int i = 0;
      for (; i + 3 < n; i += 4) {
        h0 = 31 * h0 + text.charAt(i);
        h1 = 31 * h1 + text.charAt(i + 1);
        h2 = 31 * h2 + text.charAt(i + 2);
        h3 = 31 * h3 + text.charAt(i + 3);
      }
      for (; i < n; i++) {
        h0 = 31 * h0 + text.charAt(i);
      }
      return ((h0 * 31 + h1) * 31 + h2) * 31 + h3;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof PolicyText other && hash == other.hash && text.equals(other.text);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public int compareTo(PolicyText o) {
      return text.compareTo(o.text);
    }
  }

  /**
   * Returns how a message names the key: "the CMK named prod-customer-pii", "the AWS managed key
   * aws/ebs", or "the CMK arn:… (it has no alias)".
   */
  public String describe(KeySnapshot key) {
    KeyFacts k = facts(key);
    String d = k.describe;
    if (d == null) {
      d = describeUncached(key);
      k.describe = d;
    }
    return d;
  }

  /**
   * Returns {@link #describe(KeySnapshot)} with its first letter capitalized, for the start of a
   * sentence: "The CMK named prod-customer-pii".
   */
  public String describeCapitalized(KeySnapshot key) {
    KeyFacts k = facts(key);
    String d = k.describeCapitalized;
    if (d == null) {
      String lower = describe(key);
      d = Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
      k.describeCapitalized = d;
    }
    return d;
  }

  private static String describeUncached(KeySnapshot key) {
    Optional<String> alias = key.primaryAliasName();
    boolean customer = key.metadata().isCustomerManaged();
    if (alias.isPresent()) {
      return (customer ? "the CMK named " : "the AWS managed key ") + alias.get();
    }
    return (customer ? "the CMK " : "the AWS managed key ") + key.arn() + " (it has no alias)";
  }

  /** Returns the location of statement {@code index} of the key's policy. */
  @SuppressWarnings("ReferenceEquality") // a shortcut only: the very policy the key's facts hold
  public PolicyLocation location(KeyPolicy policy, int index) {
    // Rules ask about the key judged last, whose policy is shared by the keys with its text: its
    // locations are made once per text rather than once per finding.
    KeyFacts k = last;
    if (k != null && k.policy.isPresent() && k.policy.get() == policy) {
      @Nullable PolicyLocation[] known = k.text.locations;
      if (index >= 0 && index < known.length) {
        PolicyLocation l = known[index];
        if (l == null) {
          l = locationUncached(policy, index);
          known[index] = l;
        }
        return l;
      }
    }
    return locationUncached(policy, index);
  }

  private static PolicyLocation locationUncached(KeyPolicy policy, int index) {
    Statement s = policy.statements().get(index);
    String fp =
        s.sid() != null
            ? "sid:" + s.sid()
            : "hash:" + Finding.sha256(s.toString()).substring(0, 16);
    return new PolicyLocation(StatementPlace.of(policy, index), fp);
  }

  // An index by ARN, built once: a linear search per lookup would make a scan quadratic in the
  // number of keys.
  private Map<String, KeySnapshot> keysByArn() {
    Map<String, KeySnapshot> index = byArn;
    if (index == null) {
      Map<String, KeySnapshot> m = new java.util.HashMap<>(snapshot.keys().size() * 2);
      for (KeySnapshot k : snapshot.keys()) {
        m.putIfAbsent(k.arn(), k);
      }
      index = java.util.Collections.unmodifiableMap(m);
      byArn = index;
    }
    return index;
  }

  private volatile @Nullable Map<String, KeySnapshot> byArn;
  // For a streaming check: the look-up of the keys the engine holds.
  private final java.util.function.@Nullable Function<String, @Nullable KeySnapshot> lookup;

  private @Nullable KeySnapshot find(String arn) {
    var l = lookup;
    return l != null ? l.apply(arn) : keysByArn().get(arn);
  }

  /** Returns the key of the snapshot whose ARN is {@code arn}; a constant-time look-up. */
  public Optional<KeySnapshot> key(String arn) {
    return Optional.ofNullable(find(arn));
  }

  /** Returns the primary key of a multi-Region replica, when the snapshot holds it. */
  public Optional<KeySnapshot> primaryOf(KeySnapshot replica) {
    var mr = replica.metadata().multiRegion();
    if (mr == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(find(mr.primaryKey().arn()));
  }

  /**
   * Returns the replicas of a multi-Region primary that the snapshot holds, in the order the
   * primary lists them; an unmodifiable list, empty for a key that is not multi-Region.
   */
  public List<KeySnapshot> replicasOf(KeySnapshot primary) {
    var mr = primary.metadata().multiRegion();
    if (mr == null) {
      return List.of();
    }
    List<KeySnapshot> out = new ArrayList<>();
    for (var r : mr.replicaKeys()) {
      KeySnapshot k = find(r.arn());
      if (k != null) {
        out.add(k);
      }
    }
    return List.copyOf(out);
  }

  /** What is parsed once per policy text. Thread-safe: the lazy fields are idempotent. */
  private static final class PolicyFacts {
    final Optional<KeyPolicy> policy;
    final Optional<String> problem;
    final Map<String, AnalysisFacts> analyses = new ConcurrentHashMap<>(2);
    volatile @Nullable List<PolicyIssue> keyIndependentIssues;
    // The location of each statement, made when first asked for. Threads may race to fill an
    // element: both make equal, immutable locations, and either may win.
    final @Nullable PolicyLocation[] locations;

    final boolean resourcesIndependentOfKey;
    final boolean analysisIndependentOfKey;

    PolicyFacts(@Nullable KeyPolicy policy, @Nullable String problem) {
      this.policy = Optional.ofNullable(policy);
      this.problem = Optional.ofNullable(problem);
      this.locations = new PolicyLocation[policy == null ? 0 : policy.statements().size()];
      this.resourcesIndependentOfKey =
          policy != null && RuleContext.resourcesIndependentOfKey(policy);
      this.analysisIndependentOfKey =
          policy != null && RuleContext.analysisIndependentOfKey(policy);
    }

    static PolicyFacts parse(String text) {
      try {
        return new PolicyFacts(KeyPolicy.parse(text), null);
      } catch (PolicyParseException e) {
        return new PolicyFacts(null, "the key policy does not parse: " + e.getMessage());
      }
    }
  }

  /** A policy's analysis for one key account, and what rules derived from it. */
  private static final class AnalysisFacts {
    final AccessAnalysis analysis;
    final Map<PolicyDerivation<?>, Object> derived = new ConcurrentHashMap<>();

    AnalysisFacts(AccessAnalysis analysis) {
      this.analysis = analysis;
    }
  }

  /**
   * What is computed once per key. Thread-safe: each lazy field is computed from immutable inputs,
   * so two threads racing compute equal values and either may win.
   */
  private static final class KeyFacts {
    final KeySnapshot key;
    final PolicyFacts text;
    final Optional<KeyPolicy> policy;
    final Optional<String> policyProblem;

    // Null until first asked for: the analysis is computed lazily, and empty is a computed answer.
    @SuppressWarnings("NullableOptional")
    volatile @Nullable Optional<AnalysisFacts> analysis;

    volatile @Nullable List<PolicyIssue> issues;
    volatile @Nullable List<String> productionSignals;
    volatile @Nullable String describe;
    volatile @Nullable String describeCapitalized;

    KeyFacts(KeySnapshot key, PolicyFacts parsed) {
      this.key = key;
      this.text = parsed;
      this.policy = parsed.policy;
      this.policyProblem = parsed.problem;
    }
  }
}

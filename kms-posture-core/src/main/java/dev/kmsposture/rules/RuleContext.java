package dev.kmsposture.rules;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyParseException;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  private final Map<String, ParsedPolicy> policies = new ConcurrentHashMap<>();
  private final Map<String, Optional<AccessAnalysis>> analyses = new ConcurrentHashMap<>();

  private RuleContext(AccountSnapshot snapshot, PostureConfig config) {
    this.snapshot = snapshot;
    this.config = config;
  }

  /** Returns a context for judging {@code snapshot} against {@code config}. */
  public static RuleContext of(AccountSnapshot snapshot, PostureConfig config) {
    return new RuleContext(
        Objects.requireNonNull(snapshot, "snapshot"), Objects.requireNonNull(config, "config"));
  }

  /** Returns the account snapshot being judged. */
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
    return Optional.ofNullable(parsed(key).policy());
  }

  /**
   * Returns why the key's policy is not available: not collected, unreadable (with the reason), or
   * not parseable (with the parse error). Empty when the policy parsed.
   */
  public Optional<String> policyProblem(KeySnapshot key) {
    return Optional.ofNullable(parsed(key).problem());
  }

  /**
   * Returns the access analysis of the key's policy ({@link AccessAnalysis#of}), computed once per
   * key. Empty when the policy is not available ({@link #policyProblem(KeySnapshot)} says why) or
   * the key's ARN carries no valid account id.
   */
  public Optional<AccessAnalysis> analysis(KeySnapshot key) {
    return analyses.computeIfAbsent(
        key.arn(),
        a -> {
          Optional<KeyPolicy> policy = policy(key);
          if (policy.isEmpty() || !AccountId.isAccountId(key.account())) {
            return Optional.empty();
          }
          return Optional.of(AccessAnalysis.of(policy.get(), AccountId.of(key.account())));
        });
  }

  /**
   * Returns why the key's alias or tags mark it as production or sensitive, per the configuration's
   * {@link PostureConfig#productionNameTokens()} and {@link PostureConfig#productionTags()}: the
   * same reasons the engine gives when it raises a finding's priority. Empty when nothing marks it.
   */
  public List<String> productionSignals(KeySnapshot key) {
    return productionSignals(key, config);
  }

  /** Returns why {@code key}'s alias or tags mark it as production under {@code config}. */
  static List<String> productionSignals(KeySnapshot key, PostureConfig config) {
    List<String> reasons = new ArrayList<>();
    if (key.aliases() != null) {
      for (String alias : key.aliases()) {
        String name = alias.startsWith("alias/") ? alias.substring(6) : alias;
        for (String token : name.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
          if (config.productionNameTokens().contains(token)) {
            reasons.add("its alias " + name + " says " + token);
          }
        }
      }
    }
    if (key.tags() != null) {
      for (Map.Entry<String, List<String>> e : config.productionTags().entrySet()) {
        String v = key.tags().get(e.getKey());
        if (v != null && e.getValue().stream().anyMatch(x -> x.equalsIgnoreCase(v.trim()))) {
          reasons.add("it is tagged " + e.getKey() + "=" + v);
        }
      }
    }
    return List.copyOf(reasons);
  }

  private ParsedPolicy parsed(KeySnapshot key) {
    return policies.computeIfAbsent(key.arn(), a -> ParsedPolicy.of(key));
  }

  /**
   * Returns how a message names the key: "the CMK named prod-customer-pii", "the AWS managed key
   * aws/ebs", or "the CMK arn:… (it has no alias)".
   */
  public String describe(KeySnapshot key) {
    Optional<String> alias = key.primaryAliasName();
    boolean customer = key.metadata().isCustomerManaged();
    if (alias.isPresent()) {
      return (customer ? "the CMK named " : "the AWS managed key ") + alias.get();
    }
    return (customer ? "the CMK " : "the AWS managed key ") + key.arn() + " (it has no alias)";
  }

  /** Returns the location of statement {@code index} of the key's policy. */
  public PolicyLocation location(KeyPolicy policy, int index) {
    Statement s = policy.statements().get(index);
    String fp =
        s.sid() != null
            ? "sid:" + s.sid()
            : "hash:" + Finding.sha256(s.toString()).substring(0, 16);
    return new PolicyLocation(index, s.sid(), policy.pointerOf(index), fp);
  }

  /** Returns the primary key of a multi-Region replica, when the snapshot holds it. */
  public Optional<KeySnapshot> primaryOf(KeySnapshot replica) {
    var mr = replica.metadata().multiRegion();
    if (mr == null) {
      return Optional.empty();
    }
    return snapshot.key(mr.primaryKey().arn());
  }

  /** Returns the replicas of a multi-Region primary that the snapshot holds. */
  public List<KeySnapshot> replicasOf(KeySnapshot primary) {
    var mr = primary.metadata().multiRegion();
    List<KeySnapshot> out = new ArrayList<>();
    if (mr == null) {
      return out;
    }
    for (var r : mr.replicaKeys()) {
      snapshot.key(r.arn()).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  private record ParsedPolicy(@Nullable KeyPolicy policy, @Nullable String problem) {
    static ParsedPolicy of(KeySnapshot key) {
      if (key.policy() == null) {
        String why =
            key.unreadableReason(dev.kmsposture.snapshot.KeyPart.POLICY)
                .map(r -> "the key policy could not be read: " + r)
                .orElse("the key policy was not collected in the snapshot");
        return new ParsedPolicy(null, why);
      }
      try {
        return new ParsedPolicy(KeyPolicy.parse(key.policy()), null);
      } catch (PolicyParseException e) {
        return new ParsedPolicy(null, "the key policy does not parse: " + e.getMessage());
      }
    }
  }
}

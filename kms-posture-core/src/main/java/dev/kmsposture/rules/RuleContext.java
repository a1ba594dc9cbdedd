package dev.kmsposture.rules;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyParseException;
import dev.kmsposture.policy.Statement;
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
  private final Map<String, ParsedPolicy> policies = new ConcurrentHashMap<>();

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

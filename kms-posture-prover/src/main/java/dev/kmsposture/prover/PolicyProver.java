package dev.kmsposture.prover;

import com.microsoft.z3.Version;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.prover.internal.ProverEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Answers quantified questions about a key policy exactly, with a witness request when the answer
 * is yes: can anyone outside the key's account use the key, can any principal of the account still
 * change the policy (or can a given caller), does a new policy allow a request the old one did not.
 *
 * <p>The policy is encoded as an SMT formula over a symbolic request — caller, action, request
 * context — with the semantics of core's {@link KeyAccessEvaluator} (explicit Deny wins, the
 * account-root delegation of key policies, principals and their wildcards, {@code NotPrincipal},
 * {@code NotAction}, {@code NotResource}, every condition operator with {@code IfExists}, {@code
 * ForAnyValue:}/{@code ForAllValues:} over bounded sets, and policy variables), in the manner of
 * AWS IAM Access Analyzer's Zelkova (Backes et al., FMCAD 2018), and the Z3 solver searches for a
 * request. The requests range over {@link #requestSpace()}. Every witness is replayed through the
 * evaluator before it is returned. See {@code docs/prover.md} for what is encoded and its limits.
 *
 * <pre>{@code
 * PolicyProver prover = PolicyProver.builder().timeout(Duration.ofSeconds(10)).build();
 * String key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
 * ProofResult outside = prover.externalAccess(policy, key, List.of(KmsAction.DECRYPT));
 * ProofResult lockout = prover.accountCanPutKeyPolicy(policy, key); // PROVED_NO: locked out
 * ProofResult wider = prover.newAccess(current, proposed, key);
 * }</pre>
 *
 * <p>Each question opens its own solver context and closes it before returning, so a prover is
 * immutable and thread-safe. The {@link Builder} is not thread-safe. Z3's native library is loaded
 * (and, on first use, unpacked to a temporary directory) when the first question is asked.
 */
public final class PolicyProver {

  /** The time limit per question when none is set: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The most values a multi-valued context key carries in a request when none is set: 3. */
  public static final int DEFAULT_MAX_SET_SIZE = 3;

  /** The largest {@link Builder#maxSetSize(int)} accepted. */
  public static final int MAX_SET_SIZE_LIMIT = 8;

  private final Duration timeout;
  private final int maxSetSize;
  private final RequestSpace requestSpace;

  private PolicyProver(Builder b) {
    this.timeout = b.timeout;
    this.maxSetSize = b.maxSetSize;
    this.requestSpace = b.requestSpace;
  }

  /** Returns a prover with the defaults: a 30-second limit, sets of 3, {@link RequestSpace#AWS}. */
  public static PolicyProver create() {
    return builder().build();
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the time limit per question ({@link Builder#timeout(Duration)}). */
  public Duration timeout() {
    return timeout;
  }

  /** Returns the bound on multi-valued keys ({@link Builder#maxSetSize(int)}). */
  public int maxSetSize() {
    return maxSetSize;
  }

  /** Returns the requests questions range over ({@link Builder#requestSpace(RequestSpace)}). */
  public RequestSpace requestSpace() {
    return requestSpace;
  }

  /**
   * Returns the version of the Z3 solver, such as {@code Z3 4.14.1.0}; loads the native library.
   */
  public static String solverVersion() {
    return Version.getFullVersion();
  }

  /**
   * Can a principal outside the key's account, or an anonymous caller, perform any action a key
   * policy can allow? See {@link #externalAccess(KeyPolicy, String, Collection)}.
   *
   * @throws IllegalArgumentException if {@code keyArn} is not a key ARN with an account
   */
  public ProofResult externalAccess(KeyPolicy policy, String keyArn) {
    return externalAccess(policy, keyArn, ProverEngine.keyPolicyActions());
  }

  /**
   * Can a principal outside the key's account (the root user, a user, a role session or a federated
   * user of any other account), or an anonymous caller, perform one of {@code actions}? Yes when
   * the policy allows such a request at least if the caller's own IAM policies allow it (the other
   * account controls those). An AWS service principal the policy does not name counts as outside
   * the account too, unless its {@code aws:SourceAccount} or {@code aws:SourceArn} says it acts for
   * a resource of the key's account (IAM Access Analyzer lists "an AWS service" among external
   * principals).
   *
   * @param policy the key policy
   * @param keyArn the key's ARN (its account is the key's account)
   * @param actions the actions asked about (wildcards are expanded over the catalog)
   * @return proved no, a witness request, or unknown
   * @throws IllegalArgumentException if {@code keyArn} is not a key ARN with an account, or {@code
   *     actions} names no catalog action
   */
  public ProofResult externalAccess(
      KeyPolicy policy, String keyArn, Collection<KmsAction> actions) {
    Objects.requireNonNull(policy, "policy");
    List<KmsAction> expanded = expand(actions);
    String question =
        "can a principal outside the account of "
            + keyArn
            + ", or an anonymous caller, perform "
            + describe(expanded)
            + "?";
    return answer(
        question,
        List.of(policy),
        keyArn,
        ProverEngine.externalAccess(policy, keyArn, expanded, false, options()));
  }

  /**
   * Is the key public: can a principal of an account the policy does not name (and, when the
   * request says, of an organization it does not name), or an anonymous caller, perform any action
   * a key policy can allow? See {@link #publicAccess(KeyPolicy, String, Collection)}.
   *
   * @throws IllegalArgumentException if {@code keyArn} is not a key ARN with an account
   */
  public ProofResult publicAccess(KeyPolicy policy, String keyArn) {
    return publicAccess(policy, keyArn, ProverEngine.keyPolicyActions());
  }

  /**
   * Is the key public for {@code actions}: can a principal of an account that the policy does not
   * name anywhere (no twelve-digit id in it equals the account), whose organization, when the
   * request carries {@code aws:PrincipalOrgID} or {@code aws:PrincipalOrgPaths}, is not one the
   * policy names either, an AWS service principal the policy does not name acting for a resource of
   * no account or organization the policy names (as its {@code aws:Source…} keys say, when it sends
   * them), or an anonymous caller, perform one of them, at least if its own IAM policies allow?
   * This is the sense of "public" IAM Access Analyzer uses: access from principals nobody
   * enumerated (it counts "an AWS service" among external principals). A policy that lets a named
   * partner account in is cross-account ({@link #externalAccess}) but not public.
   *
   * @param policy the key policy
   * @param keyArn the key's ARN
   * @param actions the actions asked about (wildcards are expanded over the catalog)
   * @return proved no, a witness request, or unknown
   * @throws IllegalArgumentException if {@code keyArn} is not a key ARN with an account, or {@code
   *     actions} names no catalog action
   */
  public ProofResult publicAccess(KeyPolicy policy, String keyArn, Collection<KmsAction> actions) {
    Objects.requireNonNull(policy, "policy");
    List<KmsAction> expanded = expand(actions);
    String question =
        "can a principal of an account or organization the policy does not name, or an anonymous"
            + " caller, perform "
            + describe(expanded)
            + " on "
            + keyArn
            + "?";
    return answer(
        question,
        List.of(policy),
        keyArn,
        ProverEngine.externalAccess(policy, keyArn, expanded, true, options()));
  }

  /**
   * Can some principal of the key's account — its root user, a user, a role session, a federated
   * user — call {@code kms:PutKeyPolicy}, at least if its IAM policies allow? {@link
   * ProofResult.Kind#PROVED_NO} means lockout: nobody can ever change the policy again.
   *
   * @param policy the key policy
   * @param keyArn the key's ARN (its account is the key's account)
   * @return proved no (lockout), a principal that can, or unknown
   * @throws IllegalArgumentException if {@code keyArn} is not a key ARN with an account
   */
  public ProofResult accountCanPutKeyPolicy(KeyPolicy policy, String keyArn) {
    Objects.requireNonNull(policy, "policy");
    String question =
        "can a principal of the account of " + keyArn + " still call kms:PutKeyPolicy?";
    return answer(
        question,
        List.of(policy),
        keyArn,
        ProverEngine.accountCanPutKeyPolicy(policy, keyArn, options()));
  }

  /**
   * Can the caller {@code callerArn} call {@code kms:PutKeyPolicy} on the key, at least if its IAM
   * policies allow, with some request context? This is KMS's lockout safety check for the principal
   * that sends the policy. A role session's role path is not in its ARN: its {@code
   * aws:PrincipalArn} is then unknown, as in the evaluator (use the overload with a role path).
   *
   * @param policy the key policy
   * @param keyArn the key's ARN
   * @param callerArn the ARN of a user, role, role session, federated user or account root, or an
   *     account id
   * @return proved no (KMS would refuse the policy), a request that passes, or unknown
   * @throws IllegalArgumentException if {@code keyArn} or {@code callerArn} is malformed
   */
  public ProofResult callerCanPutKeyPolicy(KeyPolicy policy, String keyArn, String callerArn) {
    return callerCheck(policy, keyArn, callerArn, null);
  }

  /**
   * Like {@link #callerCanPutKeyPolicy(KeyPolicy, String, String)}, for a role session whose role
   * has the path {@code rolePath} ({@code /} or {@code /division/team/}).
   *
   * @throws IllegalArgumentException if an argument is malformed or {@code callerArn} is not a
   *     session
   */
  public ProofResult callerCanPutKeyPolicy(
      KeyPolicy policy, String keyArn, String callerArn, String rolePath) {
    Objects.requireNonNull(rolePath, "rolePath");
    return callerCheck(policy, keyArn, callerArn, rolePath);
  }

  private ProofResult callerCheck(
      KeyPolicy policy, String keyArn, String callerArn, @Nullable String rolePath) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(callerArn, "callerArn");
    String question =
        "can "
            + callerArn
            + (rolePath == null ? "" : " (role path " + rolePath + ")")
            + " call kms:PutKeyPolicy on "
            + keyArn
            + "?";
    return answer(
        question,
        List.of(policy),
        keyArn,
        ProverEngine.callerCanPutKeyPolicy(policy, keyArn, callerArn, rolePath, options()));
  }

  /**
   * Does {@code newPolicy} allow a request that {@code oldPolicy} does not — any caller, any action
   * a key policy can allow, any context — or allow it further (denied, allowed if IAM allows,
   * allowed)? The witness carries both decisions.
   *
   * @param oldPolicy the policy in force
   * @param newPolicy the proposed policy
   * @param keyArn the key's ARN
   * @return proved no (no new access), a request with new access, or unknown
   * @throws IllegalArgumentException if {@code keyArn} is not a key ARN with an account
   */
  public ProofResult newAccess(KeyPolicy oldPolicy, KeyPolicy newPolicy, String keyArn) {
    Objects.requireNonNull(oldPolicy, "oldPolicy");
    Objects.requireNonNull(newPolicy, "newPolicy");
    String question = "does the new policy allow a request on " + keyArn + " the old one did not?";
    return answer(
        question,
        List.of(oldPolicy, newPolicy),
        keyArn,
        ProverEngine.newAccess(oldPolicy, newPolicy, keyArn, options()));
  }

  @Override
  public String toString() {
    return String.format(
        "PolicyProver[timeout=%s, maxSetSize=%d, requestSpace=%s]",
        timeout, maxSetSize, requestSpace);
  }

  // ---------------------------------------------------------------------------------------------

  private ProverEngine.Options options() {
    return new ProverEngine.Options(
        timeout.toMillis(), maxSetSize, requestSpace == RequestSpace.EVALUATOR);
  }

  private static List<KmsAction> expand(Collection<KmsAction> actions) {
    Objects.requireNonNull(actions, "actions");
    Set<KmsAction> out = new LinkedHashSet<>();
    for (KmsAction a : actions) {
      Objects.requireNonNull(a, "actions element");
      out.addAll(a.expand());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "actions %s name no catalog KMS action; expected e.g. kms:Decrypt or kms:*",
              actions));
    }
    return List.copyOf(out);
  }

  private static String describe(List<KmsAction> actions) {
    if (actions.size() == 1) {
      return actions.get(0).name();
    }
    if (actions.size() <= 3) {
      List<String> names = new ArrayList<>();
      for (KmsAction a : actions) {
        names.add(a.name());
      }
      return "any of " + String.join(", ", names);
    }
    return "any of " + actions.size() + " actions (" + actions.get(0).name() + ", …)";
  }

  private static ProofResult answer(
      String question, List<KeyPolicy> policies, String keyArn, ProverEngine.Outcome outcome) {
    return switch (outcome.status()) {
      case PROVED_NO -> new ProofResult.ProvedNo(question);
      case NO_WITHIN_BOUNDS ->
          new ProofResult.Unknown(question, UnknownReason.BOUNDED, outcome.detail());
      case TIMEOUT -> new ProofResult.Unknown(question, UnknownReason.TIMEOUT, outcome.detail());
      case UNSUPPORTED ->
          new ProofResult.Unknown(question, UnknownReason.UNSUPPORTED_CONSTRUCT, outcome.detail());
      case SOLVER_UNKNOWN ->
          new ProofResult.Unknown(question, UnknownReason.SOLVER_GAVE_UP, outcome.detail());
      case FOUND -> new ProofResult.Found(question, replay(policies, keyArn, outcome));
    };
  }

  /**
   * Replays the witness through the evaluator and returns it with the evaluator's decisions. A
   * decision that differs from the formula's is a defect in the encoding, never a policy property.
   */
  private static Witness replay(
      List<KeyPolicy> policies, String keyArn, ProverEngine.Outcome outcome) {
    ProverEngine.RawWitness raw = Objects.requireNonNull(outcome.witness(), "witness");
    Witness draft =
        new Witness(
            raw.principal(),
            raw.rolePath(),
            raw.permissionsBoundary(),
            raw.action(),
            keyArn,
            raw.context(),
            Allowance.DENIED,
            null,
            "");
    List<Allowance> evaluated = new ArrayList<>();
    String explanation = "";
    for (int i = 0; i < policies.size(); i++) {
      Decision d =
          KeyAccessEvaluator.builder()
              .keyPolicy(policies.get(i))
              .keyArn(keyArn)
              .build()
              .evaluate(draft.toAccessRequest());
      Allowance a = Allowance.of(d);
      // The formula's levels, as RawWitness documents them.
      Allowance encoded =
          switch (raw.levels().get(i)) {
            case 0 -> Allowance.DENIED;
            case 1 -> Allowance.ALLOWED_IF_IAM_ALLOWS;
            case 2 -> Allowance.ALLOWED;
            default ->
                throw new IllegalStateException(
                    "decision level [" + raw.levels().get(i) + "] is not 0, 1 or 2");
          };
      if (a != encoded) {
        throw new IllegalStateException(
            String.format(
                "bug in kms-posture: the prover's witness %s is %s by the encoding of policy %d but"
                    + " %s by the evaluator (%s)",
                draft, encoded, i, a, d.explanation()));
      }
      evaluated.add(a);
      explanation = d.explanation();
    }
    return new Witness(
        raw.principal(),
        raw.rolePath(),
        raw.permissionsBoundary(),
        raw.action(),
        keyArn,
        raw.context(),
        evaluated.get(evaluated.size() - 1),
        evaluated.size() > 1 ? evaluated.get(0) : null,
        explanation);
  }

  /** Builds a {@link PolicyProver}. Not thread-safe. */
  public static final class Builder {
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxSetSize = DEFAULT_MAX_SET_SIZE;
    private RequestSpace requestSpace = RequestSpace.AWS;

    private Builder() {}

    /**
     * Sets the solver's time limit per question (default {@link #DEFAULT_TIMEOUT}); a question that
     * runs out of time is answered {@link UnknownReason#TIMEOUT}, never "no".
     *
     * @throws IllegalArgumentException if {@code timeout} is not between 1 ms and 1 hour
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            String.format(
                "timeout [%s] is out of range; expected between 1 ms and 1 hour, e.g. PT10S",
                timeout));
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the most values a multi-valued context key (one a policy tests with {@code
     * ForAnyValue:}/{@code ForAllValues:}, or one AWS sends several values for, such as {@code
     * aws:PrincipalOrgPaths}) carries in a request (default {@value #DEFAULT_MAX_SET_SIZE}). As
     * many values as there are conditions on the key decide every question; when a key has more
     * conditions than this, a "no" is reported as {@link UnknownReason#BOUNDED}.
     *
     * @throws IllegalArgumentException if {@code maxSetSize} is not between 1 and {@value
     *     #MAX_SET_SIZE_LIMIT}
     */
    public Builder maxSetSize(int maxSetSize) {
      if (maxSetSize < 1 || maxSetSize > MAX_SET_SIZE_LIMIT) {
        throw new IllegalArgumentException(
            String.format(
                "maxSetSize [%d] is out of range; expected 1 to %d",
                maxSetSize, MAX_SET_SIZE_LIMIT));
      }
      this.maxSetSize = maxSetSize;
      return this;
    }

    /** Sets the requests questions range over (default {@link RequestSpace#AWS}). */
    public Builder requestSpace(RequestSpace requestSpace) {
      this.requestSpace = Objects.requireNonNull(requestSpace, "requestSpace");
      return this;
    }

    /** Builds the prover. */
    public PolicyProver build() {
      return new PolicyProver(this);
    }
  }
}

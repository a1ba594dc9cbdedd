package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.Grant;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Optional enforcement of key policies, grants and IAM policies, decided by core's {@link
 * KeyAccessEvaluator} so that the embedded KMS and the posture model agree.
 *
 * <p>When enforcement is off (the default) every signed request is allowed, as in most emulators.
 * When it is on, each request is evaluated as KMS does: the key policy (and grants) for operations
 * on a key, the caller's IAM policies for operations that IAM alone authorizes ({@code CreateKey},
 * {@code ListKeys}, {@code ListAliases}, the alias half of alias operations). Where the key policy
 * delegates to the account and the test supplied no IAM policy for the caller, {@link
 * EngineConfig#assumeIamAllows()} decides. Denials are {@code AccessDeniedException} with AWS's
 * message form ({@code User: <arn> is not authorized to perform: kms:<Action> on resource: <arn>
 * because no resource-based policy allows the kms:<Action> action}).
 */
final class AccessControl {
  /** Core's evaluator lists this among the policies not supplied when IAM would decide. */
  private static final String IAM_NOT_SUPPLIED = "the caller's IAM policies";

  private final EngineConfig config;
  private final Map<String, KeyPolicy> iamOnlyPolicies = new ConcurrentHashMap<>();

  AccessControl(EngineConfig config) {
    this.config = config;
  }

  boolean enforcing() {
    return config.enforcePolicies();
  }

  /**
   * Authorizes {@code action} on {@code key} for the caller, with the request's condition context.
   * Must be called under the engine's lock (the key's policy and grants are read).
   */
  void authorize(KmsCall call, KmsAction action, KmsKey key, Map<String, List<String>> context) {
    if (!config.enforcePolicies()) {
      return;
    }
    Decision d = evaluator(key).evaluate(request(call, action, key.arn, context, key));
    check(call, action, key.arn, d);
  }

  /**
   * Authorizes an action that only IAM policies grant (the resource is {@code *} for CreateKey and
   * the List operations, the alias ARN for the alias half of alias operations).
   */
  void authorizeIam(
      KmsCall call, KmsAction action, String resource, Map<String, List<String>> context) {
    if (!config.enforcePolicies()) {
      return;
    }
    // A policy that delegates everything to the caller's account makes the decision rest on the
    // caller's IAM policies alone (the account root is allowed directly, as in IAM).
    KeyPolicy delegating =
        iamOnlyPolicies.computeIfAbsent(
            call.account() + "|" + KmsState.partition(call.region()),
            k ->
                KeyPolicy.parse(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":{\"AWS\":\""
                        + KmsState.rootArn(call.account(), call.region())
                        + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"));
    KeyAccessEvaluator.Builder b = KeyAccessEvaluator.builder().keyPolicy(delegating);
    addIdentityPolicies(b);
    Decision d = b.build().evaluate(request(call, action, resource, context, null));
    check(call, action, resource, d);
  }

  private void check(KmsCall call, KmsAction action, String resource, Decision d) {
    if (d.isAllowed()) {
      return;
    }
    if (d.outcome() == Decision.Outcome.IMPLICITLY_DENIED
        && d.delegatedToIam()
        && d.notSupplied().contains(IAM_NOT_SUPPLIED)
        && config.assumeIamAllows()) {
      return;
    }
    throw KmsErrors.accessDenied(message(call.principalArn(), action, resource, d));
  }

  static String message(String principal, KmsAction action, String resource, Decision d) {
    String head =
        "User: "
            + principal
            + " is not authorized to perform: "
            + action.name()
            + " on resource: "
            + resource;
    boolean identity = false;
    for (StatementRef ref : d.statements()) {
      if (ref.source().startsWith("identity policy")) {
        identity = true;
      }
    }
    if (d.outcome() == Decision.Outcome.EXPLICITLY_DENIED) {
      return head
          + (identity
              ? " with an explicit deny in an identity-based policy"
              : " with an explicit deny in a resource-based policy");
    }
    if (d.delegatedToIam()) {
      return head + " because no identity-based policy allows the " + action.name() + " action";
    }
    return head + " because no resource-based policy allows the " + action.name() + " action";
  }

  private AccessRequest request(
      KmsCall call,
      KmsAction action,
      String resource,
      Map<String, List<String>> context,
      @org.jspecify.annotations.Nullable KmsKey key) {
    AccessRequest.Builder b =
        AccessRequest.builder().principal(call.principalArn()).action(action).resource(resource);
    context.forEach(b::putContext);
    if (key != null) {
      // Key-derived condition keys (Developer Guide, "AWS KMS condition keys").
      if (!context.containsKey("kms:KeySpec")) {
        b.putContext("kms:KeySpec", key.spec());
      }
      if (!context.containsKey("kms:KeyUsage")) {
        b.putContext("kms:KeyUsage", key.usage());
      }
      if (!context.containsKey("kms:KeyOrigin")) {
        b.putContext("kms:KeyOrigin", key.origin());
      }
      b.putContext("kms:MultiRegion", Boolean.toString(key.shared.multiRegion));
      if (key.shared.multiRegion) {
        b.putContext("kms:MultiRegionKeyType", key.isPrimary() ? "PRIMARY" : "REPLICA");
      }
      key.tags.forEach((k, v) -> b.putContext("aws:ResourceTag/" + k, v));
    }
    return b.build();
  }

  private KeyAccessEvaluator evaluator(KmsKey key) {
    KeyAccessEvaluator cached = key.evaluator;
    if (cached != null) {
      return cached;
    }
    KeyAccessEvaluator.Builder b =
        KeyAccessEvaluator.builder()
            .keyPolicy(key.policy)
            .keyArn(key.arn)
            .symmetricEncryptionKey(KeySpecs.isSymmetric(key.spec()));
    addIdentityPolicies(b);
    for (GrantRecord g : key.grants.values()) {
      String grantee =
          g.granteePrincipal() != null
              ? g.granteePrincipal()
              : java.util.Objects.requireNonNull(g.granteeServicePrincipal());
      b.addGrant(
          Grant.builder()
              .grantId(g.grantId())
              .name(g.name())
              .granteePrincipal(grantee)
              .retiringPrincipal(g.retiringPrincipal())
              .operations(g.operations())
              .encryptionContextEquals(g.encryptionContextEquals())
              .encryptionContextSubset(g.encryptionContextSubset())
              .issuingAccount(g.issuingAccount())
              .build());
    }
    KeyAccessEvaluator built = b.build();
    key.evaluator = built;
    return built;
  }

  private void addIdentityPolicies(KeyAccessEvaluator.Builder b) {
    config
        .identityPolicies()
        .forEach((principal, policies) -> policies.forEach(p -> b.addIdentityPolicy(principal, p)));
  }

  /** The identity policies supplied for {@code principalArn}, for tests of the configuration. */
  List<IdentityPolicy> identityPolicies(String principalArn) {
    return config.identityPolicies().getOrDefault(principalArn, List.of());
  }
}

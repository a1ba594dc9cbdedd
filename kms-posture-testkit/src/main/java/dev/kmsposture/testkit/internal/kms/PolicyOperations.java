package dev.kmsposture.testkit.internal.kms;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Key policies: GetKeyPolicy, PutKeyPolicy and ListKeyPolicies.
 *
 * <p>{@code PolicyName} is optional and {@code default} is its only value (API reference). A policy
 * is refused as KMS refuses it: over 32,768 bytes is {@code LimitExceededException}; what core's
 * strict {@link KeyPolicy#parse(String)} rejects is {@code MalformedPolicyDocumentException};
 * statements without Action or Resource are stored, as AWS does; and the lockout safety check runs
 * for the caller unless bypassed.
 */
final class PolicyOperations {
  private static final Pattern POLICY_NAME = Pattern.compile("[\\w]+");

  private final KmsState state;
  private final AccessControl access;

  PolicyOperations(KmsState state, AccessControl access) {
    this.state = state;
    this.access = access;
  }

  void register(Map<String, Operation> ops) {
    ops.put("GetKeyPolicy", this::getKeyPolicy);
    ops.put("PutKeyPolicy", this::putKeyPolicy);
    ops.put("ListKeyPolicies", this::listKeyPolicies);
  }

  private String policyName(Request in) {
    String name = in.optionalString("PolicyName", 1, 128, POLICY_NAME);
    return name == null ? "default" : name;
  }

  private static void requireDefault(String name) {
    if (!name.equals("default")) {
      throw AwsServiceError.client(
          "NotFoundException", "Policy " + name + " not found; the only key policy is default.");
    }
  }

  private JsonNode getKeyPolicy(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    String name = policyName(c.in);
    c.in.throwIfInvalid();
    requireDefault(name);
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.GET_KEY_POLICY, key, Map.of());
          ObjectNode out = Json.object();
          out.put("Policy", key.policyText);
          out.put("PolicyName", "default");
          return out;
        });
  }

  private JsonNode putKeyPolicy(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    String name = policyName(c.in);
    String text = Support.policyParam(c.in);
    if (!c.in.has("Policy")) {
      c.in.problem("Value null at 'policy' failed to satisfy constraint: Member must not be null");
    }
    boolean bypass = c.in.bool("BypassPolicyLockoutSafetyCheck");
    c.in.throwIfInvalid();
    requireDefault(name);
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(
              c,
              KmsAction.PUT_KEY_POLICY,
              key,
              Map.of("kms:BypassPolicyLockoutSafetyCheck", List.of(Boolean.toString(bypass))));
          Support.requireCustomerManaged(c, key, KmsAction.PUT_KEY_POLICY);
          // Allowed in every key state (key-state table).
          String policyText = Objects.requireNonNull(text, "Policy");
          KeyPolicy policy =
              Support.checkPolicy(
                  policyText, key.account.value(), key.arn, c.principalArn(), bypass);
          key.policyText = policyText;
          key.policy = policy;
          key.evaluator = null;
          return Json.object();
        });
  }

  private JsonNode listKeyPolicies(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    Pages.PageRequest page = Pages.read(c.in, 1000);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.LIST_KEY_POLICIES, key, Map.of());
          ObjectNode paging = Json.object();
          List<String> names =
              Pages.page(
                  "ListKeyPolicies",
                  page,
                  List.of("default"),
                  n -> n,
                  100,
                  state.config.maxPageSize(),
                  paging);
          ArrayNode list = Json.strings(names);
          ObjectNode out = Json.object();
          out.set("PolicyNames", list);
          out.setAll(paging);
          return out;
        });
  }
}

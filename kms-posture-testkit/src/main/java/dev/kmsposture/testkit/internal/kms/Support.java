package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What several operations check the same way: key ids, grant tokens, policies (length, characters,
 * size, syntax and the lockout safety check), tags and AWS managed keys.
 */
final class Support {
  /** The KMS {@code Policy} parameter pattern. */
  static final Pattern POLICY = Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");

  static final int MAX_TAGS = 50;

  private Support() {}

  static @Nullable String keyIdParam(Request in) {
    return in.requiredString("KeyId", 1, 2048);
  }

  /** Checks a GrantTokens list: at most 10 tokens of 1 to 8192 characters, each one issued here. */
  static void checkGrantTokens(KmsState state, Request in) {
    List<String> tokens = in.stringList("GrantTokens");
    if (tokens.size() > 10) {
      in.problem(
          "Value '"
              + tokens
              + "' at 'grantTokens' failed to satisfy constraint: Member must have length less"
              + " than or equal to 10");
    }
    for (int i = 0; i < tokens.size(); i++) {
      // GrantTokenType is not a sensitive shape in the model: the value is shown
      in.checkLength("grantTokens." + (i + 1) + ".member", tokens.get(i), 1, 8192, true);
    }
  }

  /** After validation: every token must be one this KMS issued. */
  static void requireKnownTokens(KmsState state, Request in) {
    for (String token : in.stringList("GrantTokens")) {
      if (state.token(token) == null) {
        throw KmsErrors.invalidGrantToken();
      }
    }
  }

  // ---- policies ----

  /** Reads an optional Policy member: length 1 to 131072 and the KMS character set. */
  static @Nullable String policyParam(Request in) {
    return in.optionalString("Policy", 1, 131072, POLICY);
  }

  /**
   * Parses a policy and runs KMS's lockout safety check for the caller, unless bypassed: the policy
   * must let the caller call PutKeyPolicy later, directly or through the account's IAM delegation,
   * as core's {@link AccessAnalysis#canPutKeyPolicy(String)} judges it — and no unconditional Deny
   * may apply to the caller, as core's {@link KeyAccessEvaluator} decides it.
   *
   * <p>The second half closes a gap of the analysis, which reads only Deny statements that name the
   * caller in {@code Principal}: a Deny whose {@code NotPrincipal} leaves the caller out denies it
   * too (found by LockoutCheckProperties). Conditional Denies are left out, as the analysis reads
   * conditions as possibly not met.
   */
  static KeyPolicy checkPolicy(
      String text, String keyAccount, String keyArn, String callerArn, boolean bypass) {
    KeyPolicy policy = KmsState.parsePolicy(text);
    if (bypass) {
      return policy;
    }
    if (!AccessAnalysis.of(policy, AccountId.of(keyAccount)).canPutKeyPolicy(callerArn).passes()
        || deniedUnconditionally(policy, keyArn, callerArn)) {
      throw KmsErrors.lockout();
    }
    return policy;
  }

  private static boolean deniedUnconditionally(KeyPolicy policy, String keyArn, String callerArn) {
    Decision d =
        KeyAccessEvaluator.builder()
            .keyPolicy(policy)
            .keyArn(keyArn)
            .build()
            .evaluate(
                AccessRequest.builder()
                    .principal(callerArn)
                    .action(KmsAction.PUT_KEY_POLICY)
                    .resource(keyArn)
                    .build());
    if (d.outcome() != Decision.Outcome.EXPLICITLY_DENIED) {
      return false;
    }
    for (StatementRef ref : d.statements()) {
      OptionalInt at = ref.keyPolicyIndex();
      if (at.isPresent() && policy.statements().get(at.getAsInt()).conditions().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  // ---- tags ----

  /** Reads a Tags list with the model's length limits ({@code tags.N.member.tagKey}). */
  static List<Map.Entry<String, String>> tagsParam(Request in) {
    List<Map.Entry<String, String>> tags = new ArrayList<>();
    int i = 0;
    for (var node : in.objectList("Tags")) {
      i++;
      String key = stringMember(node, "TagKey");
      String value = stringMember(node, "TagValue");
      String prefix = "tags." + i + ".member.";
      if (key == null) {
        in.problem(
            "Value null at '"
                + prefix
                + "tagKey' failed to satisfy constraint: Member must not be"
                + " null");
      } else {
        in.checkLength(prefix + "tagKey", key, 1, 128, true);
      }
      if (value == null) {
        in.problem(
            "Value null at '"
                + prefix
                + "tagValue' failed to satisfy constraint: Member must not"
                + " be null");
      } else {
        in.checkLength(prefix + "tagValue", value, 0, 256, true);
      }
      tags.add(Map.entry(key == null ? "" : key, value == null ? "" : value));
    }
    return tags;
  }

  private static @Nullable String stringMember(
      com.fasterxml.jackson.databind.JsonNode node, String m) {
    var v = node.get(m);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw KmsErrors.serialization("Unexpected value for " + m + ": expected a string");
    }
    return v.textValue();
  }

  /**
   * Checks tags as KMS does after the model constraints (recorded messages): at most 50 in one
   * request ({@code Too many tags}), no key twice ({@code Duplicate tag keys}), no {@code aws:}
   * prefix in any letter case ({@code Tags beginning with aws: are reserved}).
   */
  static Map<String, String> checkTags(List<Map.Entry<String, String>> tags) {
    if (tags.size() > MAX_TAGS) {
      throw KmsErrors.tag("Too many tags");
    }
    Set<String> seen = new HashSet<>();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> t : tags) {
      if (!seen.add(t.getKey())) {
        throw KmsErrors.tag("Duplicate tag keys");
      }
      checkNotReserved(t.getKey());
      out.put(t.getKey(), t.getValue());
    }
    return out;
  }

  static void checkNotReserved(String tagKey) {
    if (tagKey.toLowerCase(Locale.ROOT).startsWith("aws:")) {
      throw KmsErrors.tag("Tags beginning with aws: are reserved");
    }
  }

  /** Condition context for tags in a request ({@code aws:RequestTag/k}, {@code aws:TagKeys}). */
  static void putRequestTags(Map<String, List<String>> context, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    tags.forEach((k, v) -> context.put("aws:RequestTag/" + k, List.of(v)));
    context.put("aws:TagKeys", List.copyOf(tags.keySet()));
  }

  // ---- AWS managed keys ----

  /**
   * AWS managed keys cannot be managed by customers: their key policy gives customers no management
   * permission, so KMS answers AccessDeniedException.
   */
  static void requireCustomerManaged(KmsCall call, KmsKey key, KmsAction action) {
    if (key.shared.isAwsManaged()) {
      throw KmsErrors.accessDenied(
          "User: "
              + call.principalArn()
              + " is not authorized to perform: "
              + action.name()
              + " on resource: "
              + key.arn
              + " because no resource-based policy allows the "
              + action.name()
              + " action");
    }
  }

  static Map<String, List<String>> context() {
    return new LinkedHashMap<>();
  }
}

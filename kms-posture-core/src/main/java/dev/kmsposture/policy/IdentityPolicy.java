package dev.kmsposture.policy;

import dev.kmsposture.internal.json.JsonPointers;
import dev.kmsposture.internal.json.JsonSyntaxException;
import dev.kmsposture.internal.json.JsonValue;
import dev.kmsposture.internal.json.JsonValue.JsonArray;
import dev.kmsposture.internal.json.JsonValue.JsonObject;
import dev.kmsposture.internal.json.StrictJsonReader;
import dev.kmsposture.policy.PolicyElements.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An IAM identity-based policy (attached to a user, group or role): statements without a {@code
 * Principal} element. The evaluator reads it for the caller when the key policy delegates to IAM
 * (an Allow naming the account) and for cross-account requests, which need both policies.
 *
 * @param name a name for the policy, used in explanations ({@code identity policy NAME})
 * @param version the policy language version, or null when absent (policy variables are then
 *     literal text)
 * @param statements the statements in document order
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html">Identity-based
 *     policies and resource-based policies</a>
 */
public record IdentityPolicy(
    String name, @Nullable PolicyVersion version, List<IdentityStatement> statements) {

  private static final Set<String> STATEMENT_FIELDS =
      Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");

  /** Copies the statements and checks the name. */
  public IdentityPolicy {
    Objects.requireNonNull(name, "name");
    statements = List.copyOf(statements);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("identity policy name [] is empty");
    }
  }

  /**
   * One statement of an identity policy.
   *
   * @param sid the statement id, or null
   * @param effect Allow or Deny
   * @param action the {@code Action} or {@code NotAction} element, or null when absent (the
   *     statement then has no effect)
   * @param resource the {@code Resource} or {@code NotResource} element, or null when absent (the
   *     statement then has no effect)
   * @param condition the {@code Condition} element, or null
   */
  public record IdentityStatement(
      @Nullable String sid,
      Effect effect,
      Statement.@Nullable ActionElement action,
      Statement.@Nullable ResourceElement resource,
      Statement.@Nullable ConditionElement condition) {
    /** Checks the effect. */
    public IdentityStatement {
      Objects.requireNonNull(effect, "effect");
    }

    /** Returns the conditions; empty when there are none. */
    public List<Condition> conditions() {
      return condition == null ? List.of() : condition.conditions();
    }
  }

  /** Returns the JSON Pointer of statement {@code index}. */
  public String pointerOf(int index) {
    Objects.checkIndex(index, statements.size());
    return "/Statement/" + index;
  }

  /**
   * Parses an identity-based policy document strictly.
   *
   * @param name the name to give the policy
   * @param json the policy document
   * @throws PolicyParseException if the document is not a valid identity policy (for example it has
   *     a {@code Principal} element, an unknown element, or an Effect other than Allow or Deny);
   *     the exception says where with a JSON Pointer
   */
  public static IdentityPolicy parse(String name, String json) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(json, "json");
    JsonValue root;
    try {
      root = StrictJsonReader.read(json);
    } catch (JsonSyntaxException e) {
      throw new PolicyParseException(e.pointer(), e.getMessage(), e);
    }
    if (!(root instanceof JsonObject jsonObject)) {
      throw new PolicyParseException(
          "", "the document is " + root.describe() + "; expected an object");
    }
    PolicyVersion version = null;
    JsonValue st = null;
    for (Map.Entry<String, JsonValue> e : jsonObject.members().entrySet()) {
      String ptr = JsonPointers.child("", e.getKey());
      switch (e.getKey()) {
        case "Version" -> {
          String v = PolicyElements.string(e.getValue(), Pointer.of(ptr), "Version");
          version =
              PolicyVersion.fromText(v)
                  .orElseThrow(
                      () ->
                          new PolicyParseException(
                              ptr,
                              String.format(
                                  "Version [%s] is not accepted; expected \"2012-10-17\" or"
                                      + " \"2008-10-17\"",
                                  v)));
        }
        case "Id" -> PolicyElements.string(e.getValue(), Pointer.of(ptr), "Id");
        case "Statement" -> st = e.getValue();
        default ->
            throw new PolicyParseException(
                ptr,
                String.format(
                    "unknown element [%s] in the policy; expected Version, Id and Statement",
                    e.getKey()));
      }
    }
    if (st == null) {
      throw new PolicyParseException("", "the policy has no Statement element");
    }
    List<IdentityStatement> statements = new ArrayList<>();
    if (st instanceof JsonObject) {
      statements.add(statement((JsonObject) st, "/Statement"));
    } else if (st instanceof JsonArray) {
      List<JsonValue> items = ((JsonArray) st).items();
      for (int i = 0; i < items.size(); i++) {
        String ptr = JsonPointers.child("/Statement", i);
        if (!(items.get(i) instanceof JsonObject)) {
          throw new PolicyParseException(
              ptr, "a statement is " + items.get(i).describe() + "; expected an object");
        }
        statements.add(statement((JsonObject) items.get(i), ptr));
      }
    } else {
      throw new PolicyParseException(
          "/Statement", "Statement is " + st.describe() + "; expected an object or an array");
    }
    return new IdentityPolicy(name, version, statements);
  }

  private static IdentityStatement statement(JsonObject obj, String ptr) {
    Map<String, JsonValue> m = obj.members();
    for (String field : m.keySet()) {
      if (field.equals("Principal") || field.equals("NotPrincipal")) {
        throw new PolicyParseException(
            JsonPointers.child(ptr, field),
            String.format(
                "an identity-based policy has no %s element; the principal is the identity the"
                    + " policy is attached to",
                field));
      }
      if (!STATEMENT_FIELDS.contains(field)) {
        throw new PolicyParseException(
            JsonPointers.child(ptr, field),
            String.format(
                "unknown element [%s] in a statement; expected Sid, Effect, Action or NotAction,"
                    + " Resource or NotResource, Condition",
                field));
      }
    }
    String sid =
        m.containsKey("Sid")
            ? PolicyElements.string(m.get("Sid"), Pointer.of(ptr).child("Sid"), "Sid")
            : null;
    if (!m.containsKey("Effect")) {
      throw new PolicyParseException(ptr, "the statement has no Effect; expected Allow or Deny");
    }
    String effectText =
        PolicyElements.string(m.get("Effect"), Pointer.of(ptr).child("Effect"), "Effect");
    Effect effect;
    if (effectText.equals("Allow")) {
      effect = Effect.ALLOW;
    } else if (effectText.equals("Deny")) {
      effect = Effect.DENY;
    } else {
      throw new PolicyParseException(
          ptr + "/Effect",
          String.format("Effect [%s] is not valid; expected \"Allow\" or \"Deny\"", effectText));
    }
    PolicyElements.exclusive(m, Pointer.of(ptr), "Action", "NotAction");
    PolicyElements.exclusive(m, Pointer.of(ptr), "Resource", "NotResource");
    Statement.ActionElement action = null;
    for (String f : List.of("Action", "NotAction")) {
      if (m.containsKey(f)) {
        action = PolicyElements.actions(m.get(f), Pointer.of(ptr).child(f), f.equals("NotAction"));
      }
    }
    Statement.ResourceElement resource = null;
    for (String f : List.of("Resource", "NotResource")) {
      if (m.containsKey(f)) {
        resource =
            PolicyElements.resources(m.get(f), Pointer.of(ptr).child(f), f.equals("NotResource"));
      }
    }
    Statement.ConditionElement condition =
        m.containsKey("Condition")
            ? PolicyElements.condition(m.get("Condition"), Pointer.of(ptr).child("Condition"))
            : null;
    return new IdentityStatement(sid, effect, action, resource, condition);
  }
}

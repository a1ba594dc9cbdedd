package dev.kmsposture.policy;

import dev.kmsposture.internal.json.JsonPointers;
import dev.kmsposture.internal.json.JsonSyntaxException;
import dev.kmsposture.internal.json.JsonValue;
import dev.kmsposture.internal.json.JsonValue.JsonArray;
import dev.kmsposture.internal.json.JsonValue.JsonBoolean;
import dev.kmsposture.internal.json.JsonValue.JsonNumber;
import dev.kmsposture.internal.json.JsonValue.JsonObject;
import dev.kmsposture.internal.json.JsonValue.JsonString;
import dev.kmsposture.internal.json.StrictJsonReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads key-policy JSON strictly into the model: it rejects what KMS rejects (and what cannot be
 * read without losing meaning), keeps everything else losslessly, and says where with a JSON
 * Pointer.
 */
final class PolicyReader {
  /** The KMS key policy size limit: 32 KB, measured as UTF-8 bytes of the document text. */
  static final int MAX_POLICY_BYTES = 32_768;

  private static final Set<String> STATEMENT_FIELDS =
      Set.of(
          "Sid",
          "Effect",
          "Principal",
          "NotPrincipal",
          "Action",
          "NotAction",
          "Resource",
          "NotResource",
          "Condition");

  private static final Set<String> PRINCIPAL_TYPES =
      Set.of("AWS", "Service", "Federated", "CanonicalUser");

  private PolicyReader() {}

  static KeyPolicy read(String text) {
    checkSizeAndCharacters(text);
    JsonValue root;
    try {
      root = StrictJsonReader.read(text);
    } catch (JsonSyntaxException e) {
      throw new PolicyParseException(e.pointer(), e.getMessage(), e);
    }
    if (!(root instanceof JsonObject)) {
      throw new PolicyParseException(
          "", "the document is " + root.describe() + "; a key policy is a JSON object");
    }
    Map<String, JsonValue> members = ((JsonObject) root).members();
    PolicyVersion version = null;
    String id = null;
    for (Map.Entry<String, JsonValue> e : members.entrySet()) {
      String name = e.getKey();
      Ptr ptr = Ptr.ROOT.child(name);
      switch (name) {
        case "Version":
          {
            String v = string(e.getValue(), ptr, "Version");
            version =
                PolicyVersion.fromText(v)
                    .orElseThrow(
                        () ->
                            error(
                                ptr,
                                String.format(
                                    "Version [%s] is not accepted; expected \"2012-10-17\" or"
                                        + " \"2008-10-17\"",
                                    v)));
            break;
          }
        case "Id":
          id = string(e.getValue(), ptr, "Id");
          break;
        case "Statement":
          break;
        default:
          throw error(
              ptr,
              String.format(
                  "unknown element [%s] in the policy; expected Version, Id and Statement (element"
                      + " names are case-sensitive)",
                  name));
      }
    }
    JsonValue st = members.get("Statement");
    if (st == null) {
      throw new PolicyParseException(
          "", "the policy has no Statement element; a key policy needs at least one statement");
    }
    List<Statement> statements = new ArrayList<>();
    boolean array;
    if (st instanceof JsonObject) {
      array = false;
      statements.add(statement((JsonObject) st, Ptr.STATEMENT));
    } else if (st instanceof JsonArray) {
      array = true;
      List<JsonValue> items = ((JsonArray) st).items();
      if (items.isEmpty()) {
        throw new PolicyParseException(
            "/Statement", "Statement is empty; a key policy needs at least one statement");
      }
      for (int i = 0; i < items.size(); i++) {
        Ptr ptr = Ptr.STATEMENT.child(i);
        JsonValue item = items.get(i);
        if (!(item instanceof JsonObject)) {
          throw error(ptr, "a statement is " + item.describe() + "; expected a JSON object");
        }
        statements.add(statement((JsonObject) item, ptr));
      }
    } else {
      throw new PolicyParseException(
          "/Statement",
          "Statement is " + st.describe() + "; expected an object or an array of objects");
    }
    return new KeyPolicy(version, id, statements, array);
  }

  private static Statement statement(JsonObject obj, Ptr ptr) {
    Map<String, JsonValue> m = obj.members();
    for (String name : m.keySet()) {
      if (!STATEMENT_FIELDS.contains(name)) {
        throw error(
            ptr.child(name),
            String.format(
                "unknown element [%s] in a statement; expected Sid, Effect, Principal or"
                    + " NotPrincipal, Action or NotAction, Resource or NotResource, Condition"
                    + " (element names are case-sensitive)",
                name));
      }
    }
    String sid = m.containsKey("Sid") ? string(m.get("Sid"), ptr.child("Sid"), "Sid") : null;
    JsonValue effectValue = m.get("Effect");
    if (effectValue == null) {
      throw error(ptr, "the statement has no Effect; expected \"Allow\" or \"Deny\"");
    }
    String effectText = string(effectValue, ptr.child("Effect"), "Effect");
    Effect effect;
    if (effectText.equals("Allow")) {
      effect = Effect.ALLOW;
    } else if (effectText.equals("Deny")) {
      effect = Effect.DENY;
    } else {
      throw error(
          ptr.child("Effect"),
          String.format("Effect [%s] is not valid; expected \"Allow\" or \"Deny\"", effectText));
    }
    exclusive(m, ptr, "Principal", "NotPrincipal");
    exclusive(m, ptr, "Action", "NotAction");
    exclusive(m, ptr, "Resource", "NotResource");

    Statement.PrincipalElement principal;
    if (m.containsKey("Principal")) {
      principal = principal(m.get("Principal"), ptr.child("Principal"), false);
    } else if (m.containsKey("NotPrincipal")) {
      principal = principal(m.get("NotPrincipal"), ptr.child("NotPrincipal"), true);
    } else {
      throw error(
          ptr,
          "the statement has no Principal or NotPrincipal; every statement in a key policy must"
              + " name at least one principal");
    }

    Statement.ActionElement action = null;
    if (m.containsKey("Action")) {
      action = actions(m.get("Action"), ptr.child("Action"), false);
    } else if (m.containsKey("NotAction")) {
      action = actions(m.get("NotAction"), ptr.child("NotAction"), true);
    }

    Statement.ResourceElement resource = null;
    if (m.containsKey("Resource")) {
      resource = resources(m.get("Resource"), ptr.child("Resource"), false);
    } else if (m.containsKey("NotResource")) {
      resource = resources(m.get("NotResource"), ptr.child("NotResource"), true);
    }

    Statement.ConditionElement condition =
        m.containsKey("Condition") ? condition(m.get("Condition"), ptr.child("Condition")) : null;
    return new Statement(sid, effect, principal, action, resource, condition);
  }

  private static void exclusive(Map<String, JsonValue> m, Ptr ptr, String a, String b) {
    if (m.containsKey(a) && m.containsKey(b)) {
      throw error(
          ptr.child(b),
          String.format(
              "the statement has both %s and %s; a statement may have only one of them", a, b));
    }
  }

  private static Statement.PrincipalElement principal(JsonValue v, Ptr ptr, boolean negated) {
    String name = negated ? "NotPrincipal" : "Principal";
    if (v instanceof JsonString) {
      String s = ((JsonString) v).value();
      if (s.isEmpty()) {
        throw error(
            ptr,
            String.format(
                "%s is an empty string; name at least one principal: \"*\" or an object such as"
                    + " {\"AWS\": \"arn:aws:iam::111122223333:root\"}",
                name));
      }
      if (!s.equals("*")) {
        throw error(
            ptr,
            String.format(
                "%s [%s] is a bare string; only \"*\" may be written that way, other principals go"
                    + " in an object such as {\"AWS\": \"%s\"}",
                name, s, s));
      }
      return new Statement.PrincipalElement(negated, List.of(Principal.everyone()), Set.of());
    }
    if (v instanceof JsonArray && ((JsonArray) v).items().isEmpty()) {
      throw error(
          ptr,
          String.format(
              "%s is an empty array; name at least one principal: \"*\" or an object such as"
                  + " {\"AWS\": [\"arn:aws:iam::111122223333:root\"]}",
              name));
    }
    if (!(v instanceof JsonObject)) {
      throw error(
          ptr,
          String.format(
              "%s is %s; expected \"*\" or an object such as {\"AWS\": [\"arn:aws:iam::111122223333:role/Admin\"]}",
              name, v.describe()));
    }
    Map<String, JsonValue> m = ((JsonObject) v).members();
    if (m.isEmpty()) {
      throw error(ptr, String.format("%s is empty; name at least one principal", name));
    }
    List<Principal> principals = new ArrayList<>();
    Set<String> arrayTypes = new TreeSet<>();
    for (Map.Entry<String, JsonValue> e : m.entrySet()) {
      String type = e.getKey();
      Ptr tptr = ptr.child(type);
      if (!PRINCIPAL_TYPES.contains(type)) {
        throw error(
            tptr,
            String.format(
                "unknown principal type [%s]; expected AWS, Service, Federated or CanonicalUser"
                    + " (case-sensitive)",
                type));
      }
      JsonValue tv = e.getValue();
      List<String> values = new ArrayList<>();
      if (tv instanceof JsonArray) {
        arrayTypes.add(type);
        List<JsonValue> items = ((JsonArray) tv).items();
        if (items.isEmpty()) {
          throw error(
              tptr,
              String.format("the %s principal list is empty; name at least one principal", type));
        }
        for (int i = 0; i < items.size(); i++) {
          values.add(principalValue(items.get(i), tptr, i, type));
        }
      } else {
        values.add(principalValue(tv, tptr, -1, type));
      }
      for (String s : values) {
        switch (type) {
          case "AWS":
            principals.add(Principal.aws(s));
            break;
          case "Service":
            principals.add(Principal.service(s));
            break;
          case "Federated":
            principals.add(new Principal.Federated(s));
            break;
          default:
            principals.add(new Principal.CanonicalUser(s));
            break;
        }
      }
    }
    return new Statement.PrincipalElement(negated, principals, arrayTypes);
  }

  /** Reads one principal value; {@code index} is its array index, or -1 for a scalar. */
  private static String principalValue(JsonValue v, Ptr typePtr, int index, String type) {
    if (!(v instanceof JsonString)) {
      throw error(
          index < 0 ? typePtr : typePtr.child(index),
          String.format("a %s principal is %s; expected a string", type, v.describe()));
    }
    String s = ((JsonString) v).value();
    if (s.isEmpty()) {
      throw error(
          index < 0 ? typePtr : typePtr.child(index),
          String.format(
              "a %s principal is an empty string; expected an ARN, account id or *", type));
    }
    return s;
  }

  private static Statement.ActionElement actions(JsonValue v, Ptr ptr, boolean negated) {
    List<KmsAction> actions = new ArrayList<>();
    boolean array = stringList(v, ptr, negated ? "NotAction" : "Action", actions, KmsAction::of);
    return new Statement.ActionElement(negated, actions, array);
  }

  private static Statement.ResourceElement resources(JsonValue v, Ptr ptr, boolean negated) {
    List<String> resources = new ArrayList<>();
    boolean array = stringList(v, ptr, negated ? "NotResource" : "Resource", resources, s -> s);
    return new Statement.ResourceElement(negated, resources, array);
  }

  private static <T> boolean stringList(
      JsonValue v, Ptr ptr, String what, List<T> out, java.util.function.Function<String, T> f) {
    if (v instanceof JsonString) {
      out.add(f.apply(nonEmpty(((JsonString) v).value(), ptr, what)));
      return false;
    }
    if (v instanceof JsonArray) {
      List<JsonValue> items = ((JsonArray) v).items();
      for (int i = 0; i < items.size(); i++) {
        JsonValue item = items.get(i);
        if (!(item instanceof JsonString)) {
          throw error(
              ptr.child(i),
              String.format("an item of %s is %s; expected a string", what, item.describe()));
        }
        String value = ((JsonString) item).value();
        if (value.isEmpty()) {
          throw error(ptr.child(i), String.format("%s holds an empty string", what));
        }
        out.add(f.apply(value));
      }
      return true;
    }
    throw error(
        ptr,
        String.format("%s is %s; expected a string or an array of strings", what, v.describe()));
  }

  private static String nonEmpty(String s, Ptr ptr, String what) {
    if (s.isEmpty()) {
      throw error(ptr, String.format("%s holds an empty string", what));
    }
    return s;
  }

  private static Statement.ConditionElement condition(JsonValue v, Ptr ptr) {
    if (!(v instanceof JsonObject)) {
      throw error(
          ptr,
          String.format(
              "Condition is %s; expected an object of operators, such as {\"StringEquals\":"
                  + " {\"kms:CallerAccount\": \"111122223333\"}}",
              v.describe()));
    }
    List<Condition> conditions = new ArrayList<>();
    List<ConditionOperator> empty = new ArrayList<>();
    for (Map.Entry<String, JsonValue> e : ((JsonObject) v).members().entrySet()) {
      String opName = e.getKey();
      Ptr optr = ptr.child(opName);
      if (opName.isEmpty()) {
        throw error(optr, "a condition operator is an empty string");
      }
      ConditionOperator op = ConditionOperator.of(opName);
      JsonValue block = e.getValue();
      if (!(block instanceof JsonObject)) {
        throw error(
            optr,
            String.format(
                "the block of operator [%s] is %s; expected an object of condition keys",
                opName, block.describe()));
      }
      Map<String, JsonValue> keys = ((JsonObject) block).members();
      if (keys.isEmpty()) {
        empty.add(op);
        continue;
      }
      Map<String, String> seen = new HashMap<>();
      for (Map.Entry<String, JsonValue> k : keys.entrySet()) {
        String keyName = k.getKey();
        Ptr kptr = optr.child(keyName);
        if (keyName.isEmpty()) {
          throw error(kptr, "a condition key is an empty string");
        }
        String lower = keyName.toLowerCase(Locale.ROOT);
        String earlier = seen.putIfAbsent(lower, keyName);
        if (earlier != null) {
          throw error(
              kptr,
              String.format(
                  "condition key [%s] repeats [%s] under operator [%s]; condition keys are"
                      + " case-insensitive, so IAM reads them as the same key: merge their values"
                      + " into one entry",
                  keyName, earlier, opName));
        }
        conditions.add(conditionValues(op, ConditionKey.of(keyName), k.getValue(), kptr));
      }
    }
    return new Statement.ConditionElement(conditions, empty);
  }

  private static Condition conditionValues(
      ConditionOperator op, ConditionKey key, JsonValue v, Ptr ptr) {
    if (v instanceof JsonArray) {
      List<JsonValue> items = ((JsonArray) v).items();
      List<ConditionValue> values = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        values.add(conditionValue(items.get(i), ptr, i));
      }
      return new Condition(op, key, values, true);
    }
    return new Condition(op, key, List.of(conditionValue(v, ptr, -1)), false);
  }

  /** Reads one condition value; {@code index} is its array index, or -1 for a scalar. */
  private static ConditionValue conditionValue(JsonValue v, Ptr keyPtr, int index) {
    if (v instanceof JsonString) {
      return ConditionValue.of(((JsonString) v).value());
    }
    if (v instanceof JsonBoolean) {
      return ConditionValue.of(((JsonBoolean) v).value());
    }
    if (v instanceof JsonNumber) {
      return new ConditionValue(((JsonNumber) v).text(), ConditionValue.Type.NUMBER);
    }
    throw error(
        index < 0 ? keyPtr : keyPtr.child(index),
        String.format(
            "a condition value is %s; expected a string, number or boolean, or an array of them",
            v.describe()));
  }

  private static String string(@Nullable JsonValue v, Ptr ptr, String what) {
    if (v instanceof JsonString) {
      return ((JsonString) v).value();
    }
    throw error(
        ptr,
        String.format("%s is %s; expected a string", what, v == null ? "missing" : v.describe()));
  }

  /**
   * Checks the size limit (UTF-8 bytes) and the KMS character range in one pass. Every accepted
   * character is at most U+00FF, so the UTF-8 size of an accepted text is its length plus the
   * number of characters from U+0080; the exact count is needed only when a character is rejected
   * (the size error takes precedence).
   */
  static void checkSizeAndCharacters(String text) {
    int n = text.length();
    long bytes = n;
    int bad = -1;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        if (c > 0xFF) {
          bad = i;
          break;
        }
        bytes++;
      } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        bad = i;
        break;
      }
    }
    if (bad >= 0) {
      bytes = utf8Length(text);
    }
    if (bytes > MAX_POLICY_BYTES) {
      throw new PolicyParseException(
          "",
          String.format(
              "the document is %d bytes (UTF-8); KMS accepts key policies of at most %d bytes",
              bytes, MAX_POLICY_BYTES));
    }
    if (bad >= 0) {
      checkCharacters(text);
    }
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * KMS's Policy parameter pattern is {@code [\u0009\u000A\u000D\u0020-\u00FF]+}, applied to the
   * raw text. A {@code \}{@code uXXXX} escape is six characters inside that range, so KMS accepts
   * it even when it stands for a character outside the range; we accept it too, keep the decoded
   * character, and write it back as an escape.
   */
  static void checkCharacters(String text) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFF);
      if (!ok) {
        int cp = text.codePointAt(i);
        throw new PolicyParseException(
            "",
            String.format(
                "character U+%04X at line %d, column %d is not allowed; KMS accepts only tab, LF,"
                    + " CR and U+0020 to U+00FF in the policy text (write other characters as"
                    + " \\uXXXX escapes inside strings)",
                cp, line, col));
      }
      if (c == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
  }

  private static PolicyParseException error(Ptr at, String problem) {
    return new PolicyParseException(at.toString(), problem);
  }

  /**
   * A JSON Pointer that is rendered only when an error needs it: building the text of every pointer
   * while reading would cost more than the rest of the model.
   */
  private static final class Ptr {
    static final Ptr ROOT = new Ptr(null, null, -1);
    static final Ptr STATEMENT = ROOT.child("Statement");

    private final @Nullable Ptr parent;
    private final @Nullable String key;
    private final int index;

    private Ptr(@Nullable Ptr parent, @Nullable String key, int index) {
      this.parent = parent;
      this.key = key;
      this.index = index;
    }

    Ptr child(String name) {
      return new Ptr(this, name, -1);
    }

    Ptr child(int i) {
      return new Ptr(this, null, i);
    }

    @Override
    public String toString() {
      if (parent == null) {
        return "";
      }
      return key != null
          ? JsonPointers.child(parent.toString(), key)
          : JsonPointers.child(parent.toString(), index);
    }
  }
}

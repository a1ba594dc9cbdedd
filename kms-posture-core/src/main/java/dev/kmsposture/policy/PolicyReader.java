package dev.kmsposture.policy;

import dev.kmsposture.internal.json.JsonSyntaxException;
import dev.kmsposture.internal.json.JsonValue;
import dev.kmsposture.internal.json.JsonValue.JsonArray;
import dev.kmsposture.internal.json.JsonValue.JsonObject;
import dev.kmsposture.internal.json.JsonValue.JsonString;
import dev.kmsposture.internal.json.StrictJsonReader;
import dev.kmsposture.policy.PolicyElements.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    if (!(root instanceof JsonObject jsonObject)) {
      throw new PolicyParseException(
          "", "the document is " + root.describe() + "; a key policy is a JSON object");
    }
    Map<String, JsonValue> members = jsonObject.members();
    PolicyVersion version = null;
    String id = null;
    for (Map.Entry<String, JsonValue> e : members.entrySet()) {
      String name = e.getKey();
      Pointer ptr = Pointer.ROOT.child(name);
      switch (name) {
        case "Version" -> {
          String v = PolicyElements.string(e.getValue(), ptr, "Version");
          version =
              PolicyVersion.fromText(v)
                  .orElseThrow(
                      () ->
                          PolicyElements.error(
                              ptr,
                              String.format(
                                  "Version [%s] is not accepted; expected \"2012-10-17\" or"
                                      + " \"2008-10-17\"",
                                  v)));
        }
        case "Id" -> id = PolicyElements.string(e.getValue(), ptr, "Id");
        case "Statement" -> {}
        default ->
            throw PolicyElements.error(
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
    if (st instanceof JsonObject statementObject) {
      array = false;
      statements.add(statement(statementObject, Pointer.STATEMENT));
    } else if (st instanceof JsonArray jsonArray) {
      array = true;
      List<JsonValue> items = jsonArray.items();
      if (items.isEmpty()) {
        throw new PolicyParseException(
            "/Statement", "Statement is empty; a key policy needs at least one statement");
      }
      for (int i = 0; i < items.size(); i++) {
        Pointer ptr = Pointer.STATEMENT.child(i);
        JsonValue item = items.get(i);
        if (!(item instanceof JsonObject itemObject)) {
          throw PolicyElements.error(
              ptr, "a statement is " + item.describe() + "; expected a JSON object");
        }
        statements.add(statement(itemObject, ptr));
      }
    } else {
      throw new PolicyParseException(
          "/Statement",
          "Statement is " + st.describe() + "; expected an object or an array of objects");
    }
    return new KeyPolicy(version, id, statements, array);
  }

  private static Statement statement(JsonObject obj, Pointer ptr) {
    Map<String, JsonValue> m = obj.members();
    for (String name : m.keySet()) {
      if (!STATEMENT_FIELDS.contains(name)) {
        throw PolicyElements.error(
            ptr.child(name),
            String.format(
                "unknown element [%s] in a statement; expected Sid, Effect, Principal or"
                    + " NotPrincipal, Action or NotAction, Resource or NotResource, Condition"
                    + " (element names are case-sensitive)",
                name));
      }
    }
    String sid =
        m.containsKey("Sid") ? PolicyElements.string(m.get("Sid"), ptr.child("Sid"), "Sid") : null;
    JsonValue effectValue = m.get("Effect");
    if (effectValue == null) {
      throw PolicyElements.error(
          ptr, "the statement has no Effect; expected \"Allow\" or \"Deny\"");
    }
    String effectText = PolicyElements.string(effectValue, ptr.child("Effect"), "Effect");
    Effect effect;
    if (effectText.equals("Allow")) {
      effect = Effect.ALLOW;
    } else if (effectText.equals("Deny")) {
      effect = Effect.DENY;
    } else {
      throw PolicyElements.error(
          ptr.child("Effect"),
          String.format("Effect [%s] is not valid; expected \"Allow\" or \"Deny\"", effectText));
    }
    PolicyElements.exclusive(m, ptr, "Principal", "NotPrincipal");
    PolicyElements.exclusive(m, ptr, "Action", "NotAction");
    PolicyElements.exclusive(m, ptr, "Resource", "NotResource");

    Statement.PrincipalElement principal;
    if (m.containsKey("Principal")) {
      principal = principal(m.get("Principal"), ptr.child("Principal"), false);
    } else if (m.containsKey("NotPrincipal")) {
      principal = principal(m.get("NotPrincipal"), ptr.child("NotPrincipal"), true);
    } else {
      throw PolicyElements.error(
          ptr,
          "the statement has no Principal or NotPrincipal; every statement in a key policy must"
              + " name at least one principal");
    }

    Statement.ActionElement action = null;
    if (m.containsKey("Action")) {
      action = PolicyElements.actions(m.get("Action"), ptr.child("Action"), false);
    } else if (m.containsKey("NotAction")) {
      action = PolicyElements.actions(m.get("NotAction"), ptr.child("NotAction"), true);
    }

    Statement.ResourceElement resource = null;
    if (m.containsKey("Resource")) {
      resource = PolicyElements.resources(m.get("Resource"), ptr.child("Resource"), false);
    } else if (m.containsKey("NotResource")) {
      resource = PolicyElements.resources(m.get("NotResource"), ptr.child("NotResource"), true);
    }

    Statement.ConditionElement condition =
        m.containsKey("Condition")
            ? PolicyElements.condition(m.get("Condition"), ptr.child("Condition"))
            : null;
    return new Statement(sid, effect, principal, action, resource, condition);
  }

  private static Statement.PrincipalElement principal(JsonValue v, Pointer ptr, boolean negated) {
    String name = negated ? "NotPrincipal" : "Principal";
    if (v instanceof JsonString jsonString) {
      String s = jsonString.value();
      if (s.isEmpty()) {
        throw PolicyElements.error(
            ptr,
            String.format(
                "%s is an empty string; name at least one principal: \"*\" or an object such as"
                    + " {\"AWS\": \"arn:aws:iam::111122223333:root\"}",
                name));
      }
      if (!s.equals("*")) {
        throw PolicyElements.error(
            ptr,
            String.format(
                "%s [%s] is a bare string; only \"*\" may be written that way, other principals go"
                    + " in an object such as {\"AWS\": \"%s\"}",
                name, s, s));
      }
      return new Statement.PrincipalElement(negated, List.of(Principal.everyone()), Set.of());
    }
    if (v instanceof JsonArray jsonArray && jsonArray.items().isEmpty()) {
      throw PolicyElements.error(
          ptr,
          String.format(
              "%s is an empty array; name at least one principal: \"*\" or an object such as"
                  + " {\"AWS\": [\"arn:aws:iam::111122223333:root\"]}",
              name));
    }
    if (!(v instanceof JsonObject jsonObject)) {
      throw PolicyElements.error(
          ptr,
          String.format(
              "%s is %s; expected \"*\" or an object such as {\"AWS\": [\"arn:aws:iam::111122223333:role/Admin\"]}",
              name, v.describe()));
    }
    Map<String, JsonValue> m = jsonObject.members();
    if (m.isEmpty()) {
      throw PolicyElements.error(
          ptr, String.format("%s is empty; name at least one principal", name));
    }
    List<Principal> principals = new ArrayList<>();
    Set<String> arrayTypes = new TreeSet<>();
    for (Map.Entry<String, JsonValue> e : m.entrySet()) {
      String type = e.getKey();
      Pointer tptr = ptr.child(type);
      if (!PRINCIPAL_TYPES.contains(type)) {
        throw PolicyElements.error(
            tptr,
            String.format(
                "unknown principal type [%s]; expected AWS, Service, Federated or CanonicalUser"
                    + " (case-sensitive)",
                type));
      }
      JsonValue tv = e.getValue();
      List<String> values = new ArrayList<>();
      if (tv instanceof JsonArray jsonArray) {
        arrayTypes.add(type);
        List<JsonValue> items = jsonArray.items();
        if (items.isEmpty()) {
          throw PolicyElements.error(
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
          case "AWS" -> principals.add(Principal.aws(s));
          case "Service" -> principals.add(Principal.service(s));
          case "Federated" -> principals.add(new Principal.Federated(s));
          default -> principals.add(new Principal.CanonicalUser(s));
        }
      }
    }
    return new Statement.PrincipalElement(negated, principals, arrayTypes);
  }

  /** Reads one principal value; {@code index} is its array index, or -1 for a scalar. */
  private static String principalValue(JsonValue v, Pointer typePtr, int index, String type) {
    if (!(v instanceof JsonString jsonString)) {
      throw PolicyElements.error(
          index < 0 ? typePtr : typePtr.child(index),
          String.format("a %s principal is %s; expected a string", type, v.describe()));
    }
    String s = jsonString.value();
    if (s.isEmpty()) {
      throw PolicyElements.error(
          index < 0 ? typePtr : typePtr.child(index),
          String.format(
              "a %s principal is an empty string; expected an ARN, account id or *", type));
    }
    return s;
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
   * KMS's Policy parameter pattern accepts tab, line feed, carriage return and U+0020 to U+00FF,
   * applied to the raw text. A {@code \}{@code uXXXX} escape is six characters inside that range,
   * so KMS accepts it even when it stands for a character outside the range; we accept it too, keep
   * the decoded character, and write it back as an escape.
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
}

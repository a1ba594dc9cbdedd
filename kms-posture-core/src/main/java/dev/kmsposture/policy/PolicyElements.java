package dev.kmsposture.policy;

import dev.kmsposture.internal.json.JsonPointers;
import dev.kmsposture.internal.json.JsonValue;
import dev.kmsposture.internal.json.JsonValue.JsonArray;
import dev.kmsposture.internal.json.JsonValue.JsonBoolean;
import dev.kmsposture.internal.json.JsonValue.JsonNumber;
import dev.kmsposture.internal.json.JsonValue.JsonObject;
import dev.kmsposture.internal.json.JsonValue.JsonString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the statement elements that key policies and identity policies share (Action, Resource,
 * Condition, …) strictly into the policy model, with errors that carry a JSON Pointer. Used by the
 * key-policy reader and by {@link IdentityPolicy}, so both accept and reject the same things with
 * the same messages.
 */
final class PolicyElements {
  private PolicyElements() {}

  static void exclusive(Map<String, JsonValue> m, Pointer ptr, String a, String b) {
    if (m.containsKey(a) && m.containsKey(b)) {
      throw error(
          ptr.child(b),
          String.format(
              "the statement has both %s and %s; a statement may have only one of them", a, b));
    }
  }

  static Statement.ActionElement actions(JsonValue v, Pointer ptr, boolean negated) {
    List<KmsAction> actions = new ArrayList<>();
    boolean array = stringList(v, ptr, negated ? "NotAction" : "Action", actions, KmsAction::of);
    return new Statement.ActionElement(negated, actions, array);
  }

  static Statement.ResourceElement resources(JsonValue v, Pointer ptr, boolean negated) {
    List<String> resources = new ArrayList<>();
    boolean array = stringList(v, ptr, negated ? "NotResource" : "Resource", resources, s -> s);
    return new Statement.ResourceElement(negated, resources, array);
  }

  static <T> boolean stringList(
      JsonValue v,
      Pointer ptr,
      String what,
      List<T> out,
      java.util.function.Function<String, T> f) {
    if (v instanceof JsonString jsonString) {
      out.add(f.apply(nonEmpty(jsonString.value(), ptr, what)));
      return false;
    }
    if (v instanceof JsonArray jsonArray) {
      List<JsonValue> items = jsonArray.items();
      for (int i = 0; i < items.size(); i++) {
        JsonValue item = items.get(i);
        if (!(item instanceof JsonString jsonString)) {
          throw error(
              ptr.child(i),
              String.format("an item of %s is %s; expected a string", what, item.describe()));
        }
        String value = jsonString.value();
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

  static String nonEmpty(String s, Pointer ptr, String what) {
    if (s.isEmpty()) {
      throw error(ptr, String.format("%s holds an empty string", what));
    }
    return s;
  }

  static Statement.ConditionElement condition(JsonValue v, Pointer ptr) {
    if (!(v instanceof JsonObject jsonObject)) {
      throw error(
          ptr,
          String.format(
              "Condition is %s; expected an object of operators, such as {\"StringEquals\":"
                  + " {\"kms:CallerAccount\": \"111122223333\"}}",
              v.describe()));
    }
    List<Condition> conditions = new ArrayList<>();
    List<ConditionOperator> empty = new ArrayList<>();
    for (Map.Entry<String, JsonValue> e : jsonObject.members().entrySet()) {
      String opName = e.getKey();
      Pointer optr = ptr.child(opName);
      if (opName.isEmpty()) {
        throw error(optr, "a condition operator is an empty string");
      }
      ConditionOperator op = ConditionOperator.of(opName);
      JsonValue block = e.getValue();
      if (!(block instanceof JsonObject blockObject)) {
        throw error(
            optr,
            String.format(
                "the block of operator [%s] is %s; expected an object of condition keys",
                opName, block.describe()));
      }
      Map<String, JsonValue> keys = blockObject.members();
      if (keys.isEmpty()) {
        empty.add(op);
        continue;
      }
      Map<String, String> seen = new HashMap<>();
      for (Map.Entry<String, JsonValue> k : keys.entrySet()) {
        String keyName = k.getKey();
        Pointer kptr = optr.child(keyName);
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

  static Condition conditionValues(
      ConditionOperator op, ConditionKey key, JsonValue v, Pointer ptr) {
    if (v instanceof JsonArray jsonArray) {
      List<JsonValue> items = jsonArray.items();
      List<ConditionValue> values = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        values.add(conditionValue(items.get(i), ptr, i));
      }
      return new Condition(op, key, values, true);
    }
    return new Condition(op, key, List.of(conditionValue(v, ptr, -1)), false);
  }

  /** Reads one condition value; {@code index} is its array index, or -1 for a scalar. */
  static ConditionValue conditionValue(JsonValue v, Pointer keyPtr, int index) {
    if (v instanceof JsonString jsonString) {
      return ConditionValue.of(jsonString.value());
    }
    if (v instanceof JsonBoolean jsonBoolean) {
      return ConditionValue.of(jsonBoolean.value());
    }
    if (v instanceof JsonNumber jsonNumber) {
      return new ConditionValue(jsonNumber.text(), ConditionValue.Type.NUMBER);
    }
    throw error(
        index < 0 ? keyPtr : keyPtr.child(index),
        String.format(
            "a condition value is %s; expected a string, number or boolean, or an array of them",
            v.describe()));
  }

  static String string(@Nullable JsonValue v, Pointer ptr, String what) {
    if (v instanceof JsonString jsonString) {
      return jsonString.value();
    }
    throw error(
        ptr,
        String.format("%s is %s; expected a string", what, v == null ? "missing" : v.describe()));
  }

  static PolicyParseException error(Pointer at, String problem) {
    return new PolicyParseException(at.toString(), problem);
  }

  /**
   * A JSON Pointer that is rendered only when an error needs it: building the text of every pointer
   * while reading would cost more than the rest of the model.
   */
  static final class Pointer {
    /** The document root, {@code ""}. */
    public static final Pointer ROOT = new Pointer(null, null, -1);

    /** {@code /Statement}. */
    public static final Pointer STATEMENT = ROOT.child("Statement");

    private final @Nullable Pointer parent;
    private final @Nullable String key;
    private final int index;

    private Pointer(@Nullable Pointer parent, @Nullable String key, int index) {
      this.parent = parent;
      this.key = key;
      this.index = index;
    }

    /** Returns the pointer to member {@code name} of this element. */
    public Pointer child(String name) {
      return new Pointer(this, name, -1);
    }

    /** Returns the pointer to item {@code i} of this element. */
    public Pointer child(int i) {
      return new Pointer(this, null, i);
    }

    /** Returns a pointer whose text is {@code pointer}, for callers that track pointers as text. */
    public static Pointer of(String pointer) {
      return pointer.isEmpty() ? ROOT : new Pointer(null, pointer, -1);
    }

    @Override
    public String toString() {
      if (parent == null) {
        return key == null ? "" : key;
      }
      return key != null
          ? JsonPointers.child(parent.toString(), key)
          : JsonPointers.child(parent.toString(), index);
    }
  }
}

package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A role file of {@code kms-posture policy --roles FILE}: the roles of a key policy as JSON, or as
 * YAML when the name ends in {@code .yaml} or {@code .yml}. Every field is documented in
 * docs/role-file.md. Every problem is a {@link BadInputException} that names the file and the JSON
 * Pointer of the offending field (or, for malformed text, the line and column).
 */
final class RoleFile {
  /** The fields a role file may have; any other is refused. */
  static final Set<String> FIELDS =
      Set.of(
          "account",
          "partition",
          "keySpec",
          "keyUsage",
          "administrators",
          "users",
          "serviceUsers",
          "grantUsers",
          "auditors",
          "crossAccount",
          "crossAccountGrants",
          "breakGlass",
          "caller",
          "allowAdminUse");

  private static final Set<String> SERVICE_USE_FIELDS = Set.of("principals", "services", "regions");

  /** A value of the file with the JSON Pointer it was read from. */
  record Value(String text, String pointer) {}

  /** One entry of {@code serviceUsers}. */
  record ServiceUse(
      List<Value> principals, List<Value> services, List<Value> regions, String pointer) {}

  /** A file with no fields: every role comes from flags. */
  static final RoleFile EMPTY = new RoleFile("", null);

  private final String name;
  private final @Nullable JsonNode root;
  // Every value read, so that an error the builder raises later can be traced to its field.
  private final List<Value> values = new ArrayList<>();

  private RoleFile(String name, @Nullable JsonNode root) {
    this.name = name;
    this.root = root;
  }

  /**
   * Reads and checks the file named {@code name} through {@code input} (bounded by {@link
   * InputReader#POLICY_MAX_BYTES}).
   *
   * @throws BadInputException if the file cannot be read, is not JSON or YAML, is not one object,
   *     has an unknown field or a field of the wrong type
   */
  static RoleFile read(InputReader input, String name) {
    String text = input.forKind(InputReader.POLICY_MAX_BYTES).read(name);
    boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
    ObjectMapper mapper =
        yaml
            ? YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
            : JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadInputException(
          String.format(
              "role file [%s] is not valid %s%s: %s",
              name,
              yaml ? "YAML" : "JSON",
              where(e.getLocation()),
              firstLine(e.getOriginalMessage())),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException(
          String.format(
              "role file [%s] must hold one %s; see docs/role-file.md",
              name, yaml ? "YAML mapping" : "JSON object"));
    }
    RoleFile file = new RoleFile(name, root);
    file.onlyKnownFields(root, "", FIELDS);
    for (String field :
        List.of(
            "account",
            "partition",
            "keySpec",
            "keyUsage",
            "breakGlass",
            "caller",
            "allowAdminUse")) {
      file.text(field);
    }
    for (String field :
        List.of("administrators", "users", "grantUsers", "auditors", "crossAccount")) {
      file.texts(field);
    }
    file.crossAccountGrants();
    file.serviceUsers();
    return file;
  }

  /** Returns the file's name, as given on the command line (empty for {@link #EMPTY}). */
  String name() {
    return name;
  }

  /** Returns the string field {@code field}, or null when absent. */
  @Nullable Value text(String field) {
    if (root == null) {
      return null;
    }
    return textAt(root.get(field), "/" + field);
  }

  /** Returns the string-array field {@code field}, empty when absent. */
  List<Value> texts(String field) {
    return root == null ? List.of() : textsAt(root.get(field), "/" + field);
  }

  /** Returns {@code crossAccountGrants}, false when absent. */
  boolean crossAccountGrants() {
    JsonNode g = root == null ? null : root.get("crossAccountGrants");
    if (g == null) {
      return false;
    }
    if (!g.isBoolean()) {
      throw problem("/crossAccountGrants", "expected true or false");
    }
    return g.booleanValue();
  }

  /** Returns the {@code serviceUsers} entries, empty when absent. */
  List<ServiceUse> serviceUsers() {
    JsonNode su = root == null ? null : root.get("serviceUsers");
    if (su == null) {
      return List.of();
    }
    if (!su.isArray()) {
      throw problem(
          "/serviceUsers", "expected an array of objects with principals, services and regions");
    }
    List<ServiceUse> list = new ArrayList<>();
    for (int i = 0; i < su.size(); i++) {
      JsonNode n = su.get(i);
      String ptr = "/serviceUsers/" + i;
      if (!n.isObject()) {
        throw problem(ptr, "expected an object with principals, services and regions");
      }
      onlyKnownFields(n, ptr, SERVICE_USE_FIELDS);
      list.add(
          new ServiceUse(
              textsAt(n.get("principals"), ptr + "/principals"),
              textsAt(n.get("services"), ptr + "/services"),
              textsAt(n.get("regions"), ptr + "/regions"),
              ptr));
    }
    return list;
  }

  /**
   * Applies each value to {@code target} (a builder method), so that a value the builder refuses is
   * reported with the file and the value's pointer.
   */
  void apply(List<Value> values, Consumer<String> target) {
    for (Value v : values) {
      apply(v, target);
    }
  }

  /** Applies one value as {@link #apply(List, Consumer)} does. */
  void apply(Value value, Consumer<String> target) {
    try {
      target.accept(value.text());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw problem(value.pointer(), String.valueOf(e.getMessage()));
    }
  }

  /**
   * Returns {@code message} as an error of this file when it names one of the file's values in
   * brackets (as the builder's messages do, such as {@code principal [ARN] is in partition …}),
   * pointing at that value; empty when it names none.
   */
  java.util.Optional<BadInputException> locate(String message) {
    for (Value v : values) {
      if (!v.text().isEmpty() && message.contains("[" + v.text() + "]")) {
        return java.util.Optional.of(problem(v.pointer(), message));
      }
    }
    return java.util.Optional.empty();
  }

  /** Returns the bad-input error for the field at {@code pointer}. */
  BadInputException problem(String pointer, String message) {
    return new BadInputException(String.format("role file [%s] at %s: %s", name, pointer, message));
  }

  private void onlyKnownFields(JsonNode node, String pointer, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw problem(
            pointer + "/" + f.replace("~", "~0").replace("/", "~1"),
            String.format("unknown field [%s]; known fields: %s", clip(f), new TreeSet<>(known)));
      }
    }
  }

  private @Nullable Value textAt(@Nullable JsonNode v, String pointer) {
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw problem(pointer, "expected a string");
    }
    Value value = new Value(v.textValue(), pointer);
    values.add(value);
    return value;
  }

  private List<Value> textsAt(@Nullable JsonNode v, String pointer) {
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw problem(pointer, "expected an array of strings");
    }
    List<Value> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      Value value = textAt(v.get(i), pointer + "/" + i);
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  private static String where(@Nullable JsonLocation at) {
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " at line "
        + at.getLineNr()
        + (at.getColumnNr() < 1 ? "" : ", column " + at.getColumnNr());
  }

  // Jackson's messages may span lines and echo the input ("[Source: …]"): keep the first line.
  private static String firstLine(@Nullable String message) {
    if (message == null || message.isBlank()) {
      return "unexpected content";
    }
    String line = message.strip();
    int newline = line.indexOf('\n');
    if (newline >= 0) {
      line = line.substring(0, newline).strip();
    }
    int source = line.indexOf("[Source:");
    if (source >= 0) {
      line = line.substring(0, source).strip();
    }
    // Jackson names the Java method behind a limit: "(from `StreamReadConstraints.getMax…()`)".
    line = line.replaceAll("\\s*\\(from `[^`]*`\\)", "").replaceAll(",\\s*from `[^`]*`", "");
    return clip(line);
  }

  private static String clip(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}

package dev.kmsposture.leastprivilege;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kmsposture.internal.json.JacksonProblems;
import dev.kmsposture.internal.json.JsonPointers;
import dev.kmsposture.internal.json.StrictDocuments;
import dev.kmsposture.policy.AccountId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The roles of a key policy written as a document: the file {@code kms-posture policy --roles FILE}
 * reads, and the {@code policy} part of a key blueprint. JSON, or YAML when the file name ends in
 * {@code .yaml} or {@code .yml}; every field is listed in {@link #FIELDS} and documented in {@code
 * docs/role-file.md}.
 *
 * <pre>{@code
 * RoleFile roles = RoleFile.parse("""
 *     account: "111122223333"
 *     administrators: ["arn:aws:iam::111122223333:role/KeyAdmin"]
 *     serviceUsers:
 *       - {principals: ["arn:aws:iam::111122223333:role/App"], services: [s3], regions: [us-east-1]}
 *     auditors: ["arn:aws:iam::111122223333:role/Audit"]
 *     breakGlass: none
 *     """, "roles.yaml");
 * BuiltKeyPolicy policy = roles.toBuilder().build();
 * }</pre>
 *
 * <p>Every problem is a {@link RoleFileException} naming the document and the JSON Pointer of the
 * field: malformed text (with line and column), a field given twice, an unknown field (listing the
 * known ones), a value of the wrong type, and — when the roles are applied to a builder — a value
 * the {@link KeyPolicyBuilder} refuses. Values are kept with their pointers ({@link Value}) so that
 * a caller that combines the file with other input (the command line's flags) can report its own
 * errors at the right field ({@link #problem(String, String)}, {@link #locate(String)}).
 */
public final class RoleFile {
  /** The fields a role file may have; any other is refused. */
  public static final Set<String> FIELDS =
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

  /** The fields of one {@code serviceUsers} entry. */
  public static final Set<String> SERVICE_USER_FIELDS = Set.of("principals", "services", "regions");

  private static final List<String> TEXT_FIELDS =
      List.of(
          "account", "partition", "keySpec", "keyUsage", "breakGlass", "caller", "allowAdminUse");
  private static final List<String> LIST_FIELDS =
      List.of("administrators", "users", "grantUsers", "auditors", "crossAccount");

  /**
   * A value of the document with the JSON Pointer it was read from.
   *
   * @param text the value
   * @param pointer its JSON Pointer in the document (including any prefix of an embedding document)
   */
  public record Value(String text, String pointer) {
    /** Checks for nulls. */
    public Value {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(pointer, "pointer");
    }
  }

  /**
   * One entry of {@code serviceUsers}: principals that use the key only through {@code services} in
   * {@code regions}.
   *
   * @param principals the principals
   * @param services the service names ({@code s3}, {@code rds}, …)
   * @param regions the Regions
   * @param pointer the entry's JSON Pointer
   */
  public record ServiceUse(
      List<Value> principals, List<Value> services, List<Value> regions, String pointer) {
    /** Copies the lists. */
    public ServiceUse {
      principals = List.copyOf(principals);
      services = List.copyOf(services);
      regions = List.copyOf(regions);
      Objects.requireNonNull(pointer, "pointer");
    }
  }

  /** A document with no fields: every role comes from elsewhere (the command line's flags). */
  public static final RoleFile EMPTY = new RoleFile("role file []", "", null);

  // "role file [roles.json]" or "blueprint [payments.yaml]": how messages name the document
  private final String document;
  private final String prefix;
  private final @Nullable JsonNode root;
  private final List<Value> values = new ArrayList<>();
  private final List<ServiceUse> serviceUses;

  private RoleFile(String document, String prefix, @Nullable JsonNode root) {
    this.document = document;
    this.prefix = prefix;
    this.root = root;
    if (root != null) {
      onlyKnownFields(root, prefix, FIELDS);
      for (String field : TEXT_FIELDS) {
        text(field);
      }
      for (String field : LIST_FIELDS) {
        texts(field);
      }
      crossAccountGrants();
      this.serviceUses = readServiceUsers();
    } else {
      this.serviceUses = List.of();
    }
  }

  /**
   * Reads a role file: YAML when {@code name} ends in {@code .yaml} or {@code .yml}, JSON
   * otherwise.
   *
   * @param text the document
   * @param name the file name, as messages show it
   * @throws RoleFileException if the text is malformed, is not one object, has an unknown field or
   *     a field of the wrong type
   */
  public static RoleFile parse(String text, String name) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(name, "name");
    boolean yaml = StrictDocuments.isYamlName(name);
    String document = "role file [" + name + "]";
    JsonNode root;
    try {
      root = StrictDocuments.read(text, yaml);
    } catch (JsonProcessingException e) {
      throw new RoleFileException(
          String.format(
              "%s is not valid %s%s: %s",
              document,
              yaml ? "YAML" : "JSON",
              StrictDocuments.where(e.getLocation()),
              JacksonProblems.firstLine(e.getOriginalMessage())),
          "",
          e);
    }
    if (root == null || !root.isObject()) {
      throw new RoleFileException(
          String.format(
              "%s must hold one %s; see docs/role-file.md",
              document, yaml ? "YAML mapping" : "JSON object"),
          "",
          null);
    }
    return new RoleFile(document, "", root);
  }

  /**
   * Reads the roles embedded in another document, such as the {@code policy} field of a key
   * blueprint: messages name that document and give pointers from its root.
   *
   * @param json the embedded part as JSON (an object)
   * @param document how messages name the outer document, such as {@code blueprint [payments.yaml]}
   * @param pointer the JSON Pointer of the embedded part in the outer document, such as {@code
   *     /policy}
   * @throws RoleFileException as {@link #parse(String, String)}
   */
  public static RoleFile parseEmbedded(String json, String document, String pointer) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(pointer, "pointer");
    JsonNode root;
    try {
      root = StrictDocuments.read(json, false);
    } catch (JsonProcessingException e) {
      throw new RoleFileException(
          String.format(
              "%s at %s: %s", document, pointer, JacksonProblems.firstLine(e.getOriginalMessage())),
          pointer,
          e);
    }
    if (root == null || !root.isObject()) {
      throw new RoleFileException(
          String.format(
              "%s at %s: expected a mapping of roles (account, administrators, serviceUsers, …);"
                  + " see docs/role-file.md",
              document, pointer.isEmpty() ? "/" : pointer),
          pointer,
          null);
    }
    return new RoleFile(document, pointer, root);
  }

  /** Returns how messages name the document, such as {@code role file [roles.json]}. */
  public String document() {
    return document;
  }

  /** Returns the string field {@code field}, if present. */
  public Optional<Value> text(String field) {
    if (root == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(textAt(root.get(field), JsonPointers.child(prefix, field)));
  }

  /** Returns the string-array field {@code field}, empty when absent. */
  public List<Value> texts(String field) {
    return root == null ? List.of() : textsAt(root.get(field), JsonPointers.child(prefix, field));
  }

  /** Returns {@code crossAccountGrants}, false when absent. */
  public boolean crossAccountGrants() {
    JsonNode g = root == null ? null : root.get("crossAccountGrants");
    if (g == null) {
      return false;
    }
    if (!g.isBoolean()) {
      throw problem(JsonPointers.child(prefix, "crossAccountGrants"), "expected true or false");
    }
    return g.booleanValue();
  }

  /** Returns the {@code serviceUsers} entries, empty when absent. */
  public List<ServiceUse> serviceUsers() {
    return serviceUses;
  }

  private List<ServiceUse> readServiceUsers() {
    JsonNode su = root == null ? null : root.get("serviceUsers");
    String at = JsonPointers.child(prefix, "serviceUsers");
    if (su == null) {
      return List.of();
    }
    if (!su.isArray()) {
      throw problem(at, "expected an array of objects with principals, services and regions");
    }
    List<ServiceUse> list = new ArrayList<>();
    for (int i = 0; i < su.size(); i++) {
      JsonNode n = su.get(i);
      String ptr = JsonPointers.child(at, i);
      if (!n.isObject()) {
        throw problem(ptr, "expected an object with principals, services and regions");
      }
      onlyKnownFields(n, ptr, SERVICE_USER_FIELDS);
      list.add(
          new ServiceUse(
              textsAt(n.get("principals"), ptr + "/principals"),
              textsAt(n.get("services"), ptr + "/services"),
              textsAt(n.get("regions"), ptr + "/regions"),
              ptr));
    }
    return List.copyOf(list);
  }

  /**
   * Applies every field of this document to {@code builder}, except the fields named in {@code
   * replaced} (which the caller sets itself, such as a command-line flag that replaces the file's
   * value). A value the builder refuses is reported with the document and the value's pointer.
   *
   * @return {@code builder}
   * @throws RoleFileException if the builder refuses a value
   */
  public KeyPolicyBuilder applyTo(KeyPolicyBuilder builder, Set<String> replaced) {
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(replaced, "replaced");
    KeyPolicyBuilder b = builder;
    if (!replaced.contains("account")) {
      text("account").ifPresent(v -> apply(v, a -> b.account(account(a))));
    }
    if (!replaced.contains("partition")) {
      text("partition").ifPresent(v -> apply(v, b::partition));
    }
    if (!replaced.contains("keySpec")) {
      Optional<Value> usage = text("keyUsage");
      text("keySpec")
          .ifPresent(
              spec ->
                  apply(
                      spec,
                      s ->
                          b.keyKind(
                              usage.isPresent()
                                  ? KeyKind.of(s, usage.get().text())
                                  : keyKindOf(s, "set keyUsage, such as SIGN_VERIFY"))));
    }
    apply(texts("administrators"), b::addAdministrator);
    apply(texts("users"), b::addUser);
    for (ServiceUse su : serviceUsers()) {
      List<AwsService> services = new ArrayList<>();
      apply(su.services(), name -> services.add(service(name)));
      apply(
          new Value("", su.pointer()),
          unused ->
              b.addServiceUsers(
                  su.principals().stream().map(Value::text).toList(),
                  services,
                  su.regions().stream().map(Value::text).toList()));
    }
    apply(texts("grantUsers"), b::addGrantUser);
    apply(texts("auditors"), b::addAuditor);
    apply(texts("crossAccount"), b::addCrossAccountUser);
    if (crossAccountGrants()) {
      b.crossAccountGrants(true);
    }
    if (!replaced.contains("breakGlass")) {
      text("breakGlass").ifPresent(v -> apply(v, value -> b.breakGlass(breakGlass(value))));
    }
    if (!replaced.contains("caller")) {
      text("caller").ifPresent(v -> apply(v, b::caller));
    }
    if (!replaced.contains("allowAdminUse")) {
      text("allowAdminUse").ifPresent(v -> apply(v, b::acknowledgeAdminCanUse));
    }
    return b;
  }

  /**
   * Returns a new builder with every field of this document applied.
   *
   * @throws RoleFileException if the document has no account, or the builder refuses a value
   */
  public KeyPolicyBuilder toBuilder() {
    if (text("account").isEmpty()) {
      throw problem(
          JsonPointers.child(prefix, "account"),
          "no account given; set \"account\" to the key's 12-digit account id");
    }
    return applyTo(KeyPolicyBuilder.builder(), Set.of());
  }

  /**
   * Builds the policy this document describes, reporting a value the builder refuses when it builds
   * (roles checked together) at the field its message names.
   *
   * @throws RoleFileException if a value is refused
   * @throws InsecurePolicyException if the policy would be insecure
   */
  public BuiltKeyPolicy build() {
    KeyPolicyBuilder builder = toBuilder();
    try {
      return builder.build();
    } catch (InsecurePolicyException e) {
      throw e;
    } catch (IllegalArgumentException | IllegalStateException e) {
      String message = String.valueOf(e.getMessage());
      throw locate(message)
          .orElseGet(() -> new RoleFileException(document + ": " + message, "", e));
    }
  }

  /**
   * Applies each value to {@code target} (a builder method), so that a value the builder refuses is
   * reported with the document and the value's pointer.
   *
   * @throws RoleFileException if {@code target} refuses a value
   */
  public void apply(List<Value> values, Consumer<String> target) {
    for (Value v : values) {
      apply(v, target);
    }
  }

  /**
   * Applies one value as {@link #apply(List, Consumer)} does.
   *
   * @throws RoleFileException if {@code target} refuses the value
   */
  public void apply(Value value, Consumer<String> target) {
    try {
      target.accept(value.text());
    } catch (RoleFileException e) {
      throw e;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new RoleFileException(
          format(value.pointer(), String.valueOf(e.getMessage())), value.pointer(), e);
    }
  }

  /**
   * Returns {@code message} as an error of this document when it names one of the document's values
   * in brackets (as the builder's messages do, such as {@code principal [ARN] is in partition …}),
   * pointing at that value; empty when it names none.
   */
  public Optional<RoleFileException> locate(String message) {
    for (Value v : values) {
      if (!v.text().isEmpty() && message.contains("[" + v.text() + "]")) {
        return Optional.of(problem(v.pointer(), message));
      }
    }
    return Optional.empty();
  }

  /** Returns the error for the field at {@code pointer}, naming this document. */
  public RoleFileException problem(String pointer, String message) {
    return new RoleFileException(format(pointer, message), pointer, null);
  }

  private String format(String pointer, String message) {
    return String.format("%s at %s: %s", document, pointer, message);
  }

  // ---- value vocabularies shared by the role file and the command line

  /**
   * Returns the break-glass choice {@code value} names: {@code none}, {@code root} (the AWS
   * default) or a role ARN (root restricted to that role).
   *
   * @throws IllegalArgumentException if the value is none of these
   */
  public static BreakGlass breakGlass(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "none" -> BreakGlass.none();
      case "root" -> BreakGlass.awsDefault();
      default -> {
        if (!value.startsWith("arn:")) {
          throw new IllegalArgumentException(
              String.format(
                  "break-glass [%s] is not valid; expected a role ARN, root or none", value));
        }
        yield BreakGlass.rootRestrictedTo(value);
      }
    };
  }

  /**
   * Returns the service {@code name} names ({@code s3}, {@code rds}, …).
   *
   * @throws IllegalArgumentException if the name is not known
   */
  public static AwsService service(String name) {
    return AwsService.lookup(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    String.format(
                        "service [%s] is not known; expected one of s3, ebs, rds, secretsmanager,"
                            + " logs, sns, sqs, efs, fsx, dynamodb",
                        name)));
  }

  /**
   * Returns the key kind of a spec that has exactly one usage.
   *
   * @param hint how to give the usage, for the message (such as {@code set keyUsage})
   * @throws IllegalArgumentException if the spec has several usages or is unknown
   */
  public static KeyKind keyKindOf(String spec, String hint) {
    return KeyKind.forSpec(spec)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    String.format("key spec [%s] needs a usage (or is unknown); %s", spec, hint)));
  }

  private static AccountId account(String text) {
    return AccountId.of(text);
  }

  private void onlyKnownFields(JsonNode node, String pointer, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw problem(
            JsonPointers.child(pointer, f),
            String.format(
                "unknown field [%s]; known fields: %s",
                StrictDocuments.clip(f), new TreeSet<>(known)));
      }
    }
  }

  private @Nullable Value textAt(@Nullable JsonNode v, String pointer) {
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw problem(
          pointer,
          pointer.endsWith("/account")
              ? "expected a string; quote the account id, such as \"111122223333\""
              : "expected a string");
    }
    Value value = new Value(v.textValue(), pointer);
    if (!values.contains(value)) {
      values.add(value);
    }
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
      Value value = textAt(v.get(i), JsonPointers.child(pointer, i));
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }
}

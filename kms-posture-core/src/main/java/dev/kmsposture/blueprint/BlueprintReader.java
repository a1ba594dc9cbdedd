package dev.kmsposture.blueprint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kmsposture.internal.json.JacksonProblems;
import dev.kmsposture.internal.json.JsonPointers;
import dev.kmsposture.internal.json.StrictDocuments;
import dev.kmsposture.leastprivilege.InsecureOverride;
import dev.kmsposture.leastprivilege.InsecurePolicyException;
import dev.kmsposture.leastprivilege.KeyKind;
import dev.kmsposture.leastprivilege.RoleFile;
import dev.kmsposture.leastprivilege.RoleFileException;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.library.KmsPostureRules;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Reads a key blueprint document (YAML or JSON) strictly, naming the field of every problem. */
final class BlueprintReader {
  /** The fields a blueprint may have. */
  static final Set<String> FIELDS =
      Set.of(
          "alias",
          "description",
          "tags",
          "protects",
          "blastRadius",
          "policy",
          "rotation",
          "keySpec",
          "keyUsage",
          "multiRegion",
          "deletionWindowDays",
          "insecureOverrides");

  static final Set<String> ROTATION_FIELDS = Set.of("enabled", "periodDays");
  static final Set<String> MULTI_REGION_FIELDS = Set.of("replicas", "reason");
  static final Set<String> OVERRIDE_FIELDS = Set.of("rule", "reason");

  private final String document;

  private BlueprintReader(String name) {
    this.document = "blueprint [" + name + "]";
  }

  static KeyBlueprint read(String text, String name) {
    return new BlueprintReader(name).read(text, name, StrictDocuments.isYamlName(name));
  }

  private KeyBlueprint read(String text, String name, boolean yaml) {
    JsonNode root;
    try {
      root = StrictDocuments.read(text, yaml);
    } catch (JsonProcessingException e) {
      throw new BlueprintParseException(
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
      throw new BlueprintParseException(
          String.format(
              "%s must hold one %s with alias, description, tags, protects, blastRadius and"
                  + " policy; see docs/provision.md",
              document, yaml ? "YAML mapping" : "JSON object"),
          "",
          null);
    }
    known(root, "", FIELDS);
    KeyBlueprint.Builder b = KeyBlueprint.builder().source(name);
    text(root, "/alias").ifPresent(v -> set("/alias", () -> b.alias(v)));
    text(root, "/description").ifPresent(v -> set("/description", () -> b.description(v)));
    text(root, "/protects").ifPresent(v -> set("/protects", () -> b.protects(v)));
    text(root, "/blastRadius").ifPresent(v -> set("/blastRadius", () -> b.blastRadius(v)));
    JsonNode tags = root.get("tags");
    if (tags != null) {
      if (!tags.isObject()) {
        throw problem("/tags", "expected a mapping of tag keys to values");
      }
      for (Map.Entry<String, JsonNode> e : tags.properties()) {
        String ptr = JsonPointers.child("/tags", e.getKey());
        if (!e.getValue().isTextual()) {
          throw problem(ptr, "expected a string (quote numbers and words like yes and no)");
        }
        set(ptr, () -> b.putTag(e.getKey(), e.getValue().textValue()));
      }
    }
    String spec = text(root, "/keySpec").orElse(null);
    String usage = text(root, "/keyUsage").orElse(null);
    if (usage != null && spec == null) {
      throw problem(
          "/keyUsage", "keyUsage needs keySpec; give both, such as RSA_3072 and SIGN_VERIFY");
    }
    if (spec != null) {
      String s = spec;
      set(
          "/keySpec",
          () ->
              b.keyKind(
                  usage != null
                      ? KeyKind.of(s, usage)
                      : RoleFile.keyKindOf(s, "set keyUsage, such as SIGN_VERIFY")));
    }
    JsonNode policy = root.get("policy");
    if (policy != null) {
      try {
        b.policy(RoleFile.parseEmbedded(StrictDocuments.toJson(policy), document, "/policy"));
      } catch (RoleFileException e) {
        throw new BlueprintParseException(String.valueOf(e.getMessage()), e.pointer(), e);
      }
    }
    JsonNode rotation = root.get("rotation");
    if (rotation != null) {
      set("/rotation", () -> b.rotation(rotation(rotation)));
    }
    JsonNode mr = root.get("multiRegion");
    if (mr != null) {
      if (!mr.isObject()) {
        throw problem("/multiRegion", "expected a mapping with replicas and reason");
      }
      known(mr, "/multiRegion", MULTI_REGION_FIELDS);
      List<String> replicas = texts(mr.get("replicas"), "/multiRegion/replicas");
      String reason =
          text(mr, "/reason", "/multiRegion/reason")
              .orElseThrow(
                  () ->
                      problem(
                          "/multiRegion/reason",
                          "multiRegion needs a reason; write why the key must be multi-Region"));
      set(
          mr.get("replicas") == null ? "/multiRegion" : "/multiRegion/replicas",
          () -> b.multiRegion(MultiRegion.of(replicas, reason)));
    }
    JsonNode window = root.get("deletionWindowDays");
    if (window != null) {
      if (!window.canConvertToInt() || !window.isIntegralNumber()) {
        throw problem("/deletionWindowDays", "expected a whole number of days, 7 to 30");
      }
      set("/deletionWindowDays", () -> b.deletionWindowDays(window.intValue()));
    }
    JsonNode overrides = root.get("insecureOverrides");
    if (overrides != null) {
      if (!overrides.isArray()) {
        throw problem("/insecureOverrides", "expected a list of {rule, reason}");
      }
      for (int i = 0; i < overrides.size(); i++) {
        JsonNode o = overrides.get(i);
        String ptr = JsonPointers.child("/insecureOverrides", i);
        if (!o.isObject()) {
          throw problem(ptr, "expected a mapping with rule and reason");
        }
        known(o, ptr, OVERRIDE_FIELDS);
        String rule =
            text(o, "/rule", ptr + "/rule")
                .orElseThrow(
                    () -> problem(ptr + "/rule", "an override names the rule it lets through"));
        String reason = text(o, "/reason", ptr + "/reason").orElse("");
        set(
            ptr + "/rule",
            () -> {
              if (KmsPostureRules.byId(RuleId.of(rule)).isEmpty()) {
                throw new IllegalArgumentException(
                    String.format(
                        "rule [%s] is not a kms-posture rule; see docs/rules/ for the rule ids",
                        rule));
              }
            });
        set(
            ptr + "/reason",
            () -> b.insecureOverride(InsecureOverride.acknowledging(RuleId.of(rule), reason)));
      }
    }
    KeyBlueprint blueprint;
    try {
      blueprint = b.build();
    } catch (KeyBlueprint.FieldProblem e) {
      throw new BlueprintParseException(
          String.format("%s at %s: %s", document, e.pointer(), e.getMessage()), e.pointer(), e);
    } catch (RoleFileException e) {
      throw new BlueprintParseException(String.valueOf(e.getMessage()), e.pointer(), e);
    }
    checkRoles(blueprint);
    return blueprint;
  }

  // The roles are checked together when the policy is built: report a refused value at its field,
  // and an insecure policy at /policy, now rather than when a key is planned.
  private void checkRoles(KeyBlueprint blueprint) {
    RoleFile roles = blueprint.roleFile().orElseThrow();
    try {
      blueprint.policyBuilder().build();
    } catch (RoleFileException e) {
      throw new BlueprintParseException(String.valueOf(e.getMessage()), e.pointer(), e);
    } catch (InsecurePolicyException e) {
      throw problem("/policy", "the roles build an insecure key policy: " + e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      String message = String.valueOf(e.getMessage());
      RoleFileException located = roles.locate(message).orElse(null);
      if (located != null) {
        throw new BlueprintParseException(
            String.valueOf(located.getMessage()), located.pointer(), e);
      }
      throw problem("/policy", message);
    }
  }

  private static Rotation rotation(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected a mapping with enabled and periodDays");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!ROTATION_FIELDS.contains(f)) {
        throw new IllegalArgumentException(
            String.format(
                "unknown field [%s]; known fields: %s",
                StrictDocuments.clip(f), new TreeSet<>(ROTATION_FIELDS)));
      }
    }
    JsonNode enabled = node.get("enabled");
    if (enabled == null || !enabled.isBoolean()) {
      throw new IllegalArgumentException("rotation.enabled must be true or false");
    }
    JsonNode period = node.get("periodDays");
    if (period != null && !(period.isIntegralNumber() && period.canConvertToInt())) {
      throw new IllegalArgumentException(
          "rotation.periodDays must be a whole number of days, 90 to 2560");
    }
    if (!enabled.booleanValue()) {
      return period == null ? Rotation.off() : new Rotation(false, period.intValue());
    }
    return Rotation.every(period == null ? Rotation.DEFAULT_PERIOD_DAYS : period.intValue());
  }

  private void set(String pointer, Runnable setter) {
    try {
      setter.run();
    } catch (KeyBlueprint.FieldProblem e) {
      throw new BlueprintParseException(
          String.format("%s at %s: %s", document, e.pointer(), e.getMessage()), e.pointer(), e);
    } catch (RoleFileException e) {
      throw new BlueprintParseException(String.valueOf(e.getMessage()), e.pointer(), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      String at = pointer;
      String message = String.valueOf(e.getMessage());
      // A rotation problem names its own field.
      if (pointer.equals("/rotation") && message.startsWith("rotation period")) {
        at = "/rotation/periodDays";
      }
      throw new BlueprintParseException(
          String.format("%s at %s: %s", document, at, message), at, e);
    }
  }

  private java.util.Optional<String> text(JsonNode root, String pointer) {
    return text(root, pointer, pointer);
  }

  private java.util.Optional<String> text(JsonNode node, String field, String pointer) {
    JsonNode v = node.get(field.substring(1));
    if (v == null) {
      return java.util.Optional.empty();
    }
    if (!v.isTextual()) {
      throw problem(pointer, "expected a string");
    }
    return java.util.Optional.of(v.textValue());
  }

  private List<String> texts(@Nullable JsonNode v, String pointer) {
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw problem(pointer, "expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw problem(JsonPointers.child(pointer, i), "expected a string");
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }

  private void known(JsonNode node, String pointer, Set<String> known) {
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

  private BlueprintParseException problem(String pointer, String message) {
    return new BlueprintParseException(
        String.format("%s at %s: %s", document, pointer, message), pointer, null);
  }
}

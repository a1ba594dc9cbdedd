package dev.kmsposture.testkit.kms;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads a {@link KmsSeed} from a YAML or JSON file (JSON is YAML, so one reader takes both).
 *
 * <p>The reader is strict: an unknown field, a field of the wrong type, a bad value or a missing
 * required field is a {@link KmsSeedException} whose message names the file and the field path
 * ({@code keys[1].rotation.periodInDays}) and says what is accepted. Dates are ISO-8601 instants
 * ({@code 2026-03-01T10:00:00Z}). Account ids may be written as numbers, but a leading zero is lost
 * that way: quote them.
 *
 * <pre>{@code
 * trackingStartDate: 2026-01-01T00:00:00Z
 * keys:
 *   - keyId: 1234abcd-12ab-34cd-56ef-1234567890ab
 *     account: "123456789012"          # default 123456789012
 *     region: us-east-1                # default us-east-1
 *     description: orders
 *     keySpec: SYMMETRIC_DEFAULT       # default; keyUsage defaults by spec
 *     state: Enabled                   # Enabled | Disabled | PendingDeletion | PendingImport
 *     aliases: [alias/orders]
 *     tags: {env: prod}
 *     policy: |                        # a JSON string, or a YAML/JSON object
 *       {"Version": "2012-10-17", "Statement": [...]}
 *     rotation:
 *       enabled: true
 *       periodInDays: 180
 *       history:
 *         - {date: 2025-09-01T00:00:00Z, type: AUTOMATIC}
 *     grants:
 *       - granteePrincipal: arn:aws:iam::123456789012:role/app
 *         operations: [Decrypt, GenerateDataKey]
 *         encryptionContextSubset: {app: orders}
 *     lastUsed: {operation: Decrypt, at: 2026-02-01T00:00:00Z}
 *   - keyId: mrk-0123456789abcdef0123456789abcdef
 *     multiRegion: true
 *     replicas:
 *       - {region: eu-west-1, aliases: [alias/orders], state: Disabled}
 *   - origin: EXTERNAL
 *     importedMaterial: {imported: true, expiresAt: 2026-06-01T00:00:00Z}
 * }</pre>
 *
 * <p>Other key fields: {@code awsManaged}, {@code multiRegion}, {@code deletionDate}, {@code
 * creationDate}, {@code keyUsage}, {@code origin}, {@code rotation.nextRotationDate}; grant fields
 * {@code grantId}, {@code name}, {@code retiringPrincipal}, {@code encryptionContextEquals}, {@code
 * issuingAccount}, {@code creationDate}; replica fields {@code description}, {@code policy}, {@code
 * tags}, {@code deletionDate}, {@code creationDate}, {@code lastUsed}.
 */
public final class KmsSeedFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> TOP = Set.of("keys", "trackingStartDate");
  private static final Set<String> KEY =
      Set.of(
          "keyId",
          "account",
          "region",
          "description",
          "keySpec",
          "keyUsage",
          "origin",
          "awsManaged",
          "multiRegion",
          "state",
          "deletionDate",
          "creationDate",
          "policy",
          "tags",
          "aliases",
          "grants",
          "rotation",
          "importedMaterial",
          "replicas",
          "lastUsed");
  private static final Set<String> GRANT =
      Set.of(
          "grantId",
          "name",
          "granteePrincipal",
          "retiringPrincipal",
          "operations",
          "encryptionContextEquals",
          "encryptionContextSubset",
          "issuingAccount",
          "creationDate");
  private static final Set<String> ROTATION =
      Set.of("enabled", "periodInDays", "nextRotationDate", "history");
  private static final Set<String> HISTORY = Set.of("date", "type");
  private static final Set<String> IMPORTED = Set.of("imported", "expiresAt");
  private static final Set<String> REPLICA =
      Set.of(
          "region",
          "description",
          "policy",
          "tags",
          "aliases",
          "state",
          "deletionDate",
          "creationDate",
          "lastUsed");
  private static final Set<String> LAST_USED = Set.of("operation", "at");

  private KmsSeedFile() {}

  /**
   * Reads the seed in {@code file}.
   *
   * @throws KmsSeedException if the file cannot be read or parsed, or a field is wrong; the message
   *     starts with the file name
   */
  public static KmsSeed read(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new KmsSeedException("", "cannot read seed file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses seed text (YAML or JSON); {@code source} names it in error messages.
   *
   * @throws KmsSeedException if the text is not valid YAML/JSON or a field is wrong
   */
  public static KmsSeed parse(String text, String source) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new KmsSeedException(
          "", source + ": not valid YAML or JSON" + where + ": " + e.getOriginalMessage(), e);
    }
    try {
      return new Reader().seed(root);
    } catch (KmsSeedException e) {
      throw new KmsSeedException(e.field(), source + ": " + problemOf(e), e);
    }
  }

  private static String problemOf(KmsSeedException e) {
    String m = String.valueOf(e.getMessage());
    return e.field().isEmpty() ? m : m.substring(e.field().length() + 2);
  }

  /** Reads one document, keeping the path of the field it is in. */
  private static final class Reader {
    KmsSeed seed(JsonNode root) {
      if (root == null || root.isMissingNode() || root.isNull()) {
        throw new KmsSeedException("", "the seed is empty; expected an object with keys");
      }
      ObjectNode top = object(root, "");
      known(top, "", TOP);
      KmsSeed.Builder b = KmsSeed.builder();
      if (top.has("trackingStartDate")) {
        Instant at = instant(top.get("trackingStartDate"), "trackingStartDate");
        apply("trackingStartDate", () -> b.trackingStartDate(at));
      }
      JsonNode keys = top.get("keys");
      if (keys != null && !keys.isNull()) {
        List<JsonNode> list = list(keys, "keys");
        for (int i = 0; i < list.size(); i++) {
          String path = "keys[" + i + "]";
          SeedKey key = key(list.get(i), path);
          b.key(key);
        }
      }
      return b.build();
    }

    SeedKey key(JsonNode node, String path) {
      ObjectNode o = object(node, path);
      known(o, path, KEY);
      SeedKey.Builder b = SeedKey.builder();
      text(o, path, "keyId", b::keyId);
      account(o, path, "account", b::account);
      text(o, path, "region", b::region);
      text(o, path, "description", b::description);
      text(o, path, "keySpec", b::keySpec);
      text(o, path, "keyUsage", b::keyUsage);
      text(o, path, "origin", b::origin);
      bool(o, path, "awsManaged", b::awsManaged);
      bool(o, path, "multiRegion", b::multiRegion);
      text(o, path, "state", b::state);
      date(o, path, "deletionDate", b::deletionDate);
      date(o, path, "creationDate", b::creationDate);
      policy(o, path, b::policy);
      tags(o, path, b::putTag);
      strings(o, path, "aliases", b::addAlias);
      if (o.has("grants")) {
        List<JsonNode> grants = list(o.get("grants"), path + ".grants");
        for (int i = 0; i < grants.size(); i++) {
          SeedGrant g = grant(grants.get(i), path + ".grants[" + i + "]");
          b.addGrant(g);
        }
      }
      if (o.has("rotation")) {
        String rp = path + ".rotation";
        ObjectNode r = object(o.get("rotation"), rp);
        known(r, rp, ROTATION);
        bool(r, rp, "enabled", b::rotationEnabled);
        integer(r, rp, "periodInDays", b::rotationPeriodInDays);
        date(r, rp, "nextRotationDate", b::nextRotationDate);
        if (r.has("history")) {
          List<JsonNode> history = list(r.get("history"), rp + ".history");
          for (int i = 0; i < history.size(); i++) {
            String hp = rp + ".history[" + i + "]";
            ObjectNode h = object(history.get(i), hp);
            known(h, hp, HISTORY);
            Instant date = instant(required(h, hp, "date"), hp + ".date");
            String type = textValue(required(h, hp, "type"), hp + ".type");
            apply(hp + ".type", () -> b.addRotation(new SeedRotation(date, type)));
          }
        }
      }
      if (o.has("importedMaterial")) {
        String ip = path + ".importedMaterial";
        ObjectNode m = object(o.get("importedMaterial"), ip);
        known(m, ip, IMPORTED);
        bool(m, ip, "imported", b::materialImported);
        date(m, ip, "expiresAt", b::materialExpiresAt);
      }
      if (o.has("replicas")) {
        List<JsonNode> replicas = list(o.get("replicas"), path + ".replicas");
        for (int i = 0; i < replicas.size(); i++) {
          SeedReplica r = replica(replicas.get(i), path + ".replicas[" + i + "]");
          b.addReplica(r);
        }
      }
      lastUsed(o, path, b::lastUsed);
      return build(path, b::build);
    }

    SeedGrant grant(JsonNode node, String path) {
      ObjectNode o = object(node, path);
      known(o, path, GRANT);
      SeedGrant.Builder b = SeedGrant.builder();
      text(o, path, "grantId", b::grantId);
      text(o, path, "name", b::name);
      text(o, path, "granteePrincipal", b::granteePrincipal);
      text(o, path, "retiringPrincipal", b::retiringPrincipal);
      strings(o, path, "operations", b::addOperation);
      map(o, path, "encryptionContextEquals", b::putEncryptionContextEquals);
      map(o, path, "encryptionContextSubset", b::putEncryptionContextSubset);
      account(o, path, "issuingAccount", b::issuingAccount);
      date(o, path, "creationDate", b::creationDate);
      return build(path, b::build);
    }

    SeedReplica replica(JsonNode node, String path) {
      ObjectNode o = object(node, path);
      known(o, path, REPLICA);
      SeedReplica.Builder b = SeedReplica.builder();
      text(o, path, "region", b::region);
      text(o, path, "description", b::description);
      policy(o, path, b::policy);
      tags(o, path, b::putTag);
      strings(o, path, "aliases", b::addAlias);
      text(o, path, "state", b::state);
      date(o, path, "deletionDate", b::deletionDate);
      date(o, path, "creationDate", b::creationDate);
      lastUsed(o, path, b::lastUsed);
      return build(path, b::build);
    }

    // ---- field readers ----

    private void lastUsed(
        ObjectNode o, String path, java.util.function.BiConsumer<String, Instant> set) {
      if (!o.has("lastUsed")) {
        return;
      }
      String lp = path + ".lastUsed";
      ObjectNode l = object(o.get("lastUsed"), lp);
      known(l, lp, LAST_USED);
      String operation = textValue(required(l, lp, "operation"), lp + ".operation");
      Instant at = instant(required(l, lp, "at"), lp + ".at");
      apply(lp + ".operation", () -> set.accept(operation, at));
    }

    private void policy(ObjectNode o, String path, Consumer<String> set) {
      JsonNode p = o.get("policy");
      if (p == null || p.isNull()) {
        return;
      }
      String text;
      if (p.isTextual()) {
        text = p.textValue();
      } else if (p.isObject()) {
        try {
          text = JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
          throw new KmsSeedException(path + ".policy", "cannot be written as JSON", e);
        }
      } else {
        throw new KmsSeedException(
            path + ".policy",
            "is " + kind(p) + "; expected a JSON policy as a string or an object");
      }
      apply(path + ".policy", () -> set.accept(text));
    }

    private void tags(
        ObjectNode o, String path, java.util.function.BiConsumer<String, String> put) {
      map(o, path, "tags", put);
    }

    private void map(
        ObjectNode o,
        String path,
        String field,
        java.util.function.BiConsumer<String, String> put) {
      JsonNode m = o.get(field);
      if (m == null || m.isNull()) {
        return;
      }
      ObjectNode map = object(m, path + "." + field);
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : map.properties()) {
        String fp = path + "." + field + "." + e.getKey();
        values.put(e.getKey(), scalarText(e.getValue(), fp));
      }
      values.forEach((k, v) -> apply(path + "." + field + "." + k, () -> put.accept(k, v)));
    }

    private void strings(ObjectNode o, String path, String field, Consumer<String> add) {
      JsonNode node = o.get(field);
      if (node == null || node.isNull()) {
        return;
      }
      List<JsonNode> items = list(node, path + "." + field);
      for (int i = 0; i < items.size(); i++) {
        String ip = path + "." + field + "[" + i + "]";
        String value = textValue(items.get(i), ip);
        apply(ip, () -> add.accept(value));
      }
    }

    private void text(ObjectNode o, String path, String field, Consumer<String> set) {
      JsonNode node = o.get(field);
      if (node == null || node.isNull()) {
        return;
      }
      String value = textValue(node, path + "." + field);
      apply(path + "." + field, () -> set.accept(value));
    }

    private void account(ObjectNode o, String path, String field, Consumer<String> set) {
      JsonNode node = o.get(field);
      if (node == null || node.isNull()) {
        return;
      }
      String fp = path + "." + field;
      String value;
      if (node.isIntegralNumber()) {
        value = node.asText();
        if (value.length() != 12) {
          throw new KmsSeedException(
              fp,
              "value ["
                  + value
                  + "] is not a 12-digit account id (written as a number, leading zeros are lost;"
                  + " quote it)");
        }
      } else {
        value = textValue(node, fp);
      }
      String v = value;
      apply(fp, () -> set.accept(v));
    }

    private void bool(ObjectNode o, String path, String field, Consumer<Boolean> set) {
      JsonNode node = o.get(field);
      if (node == null || node.isNull()) {
        return;
      }
      if (!node.isBoolean()) {
        throw new KmsSeedException(
            path + "." + field, "is " + kind(node) + "; expected true or false");
      }
      set.accept(node.booleanValue());
    }

    private void integer(
        ObjectNode o, String path, String field, java.util.function.IntConsumer set) {
      JsonNode node = o.get(field);
      if (node == null || node.isNull()) {
        return;
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        throw new KmsSeedException(
            path + "." + field, "is " + kind(node) + "; expected an integer");
      }
      int value = node.intValue();
      apply(path + "." + field, () -> set.accept(value));
    }

    private void date(ObjectNode o, String path, String field, Consumer<Instant> set) {
      JsonNode node = o.get(field);
      if (node == null || node.isNull()) {
        return;
      }
      Instant at = instant(node, path + "." + field);
      apply(path + "." + field, () -> set.accept(at));
    }

    // ---- node checks ----

    private static ObjectNode object(JsonNode node, String path) {
      if (!(node instanceof ObjectNode o)) {
        throw new KmsSeedException(path, "is " + kind(node) + "; expected an object");
      }
      return o;
    }

    private static List<JsonNode> list(JsonNode node, String path) {
      if (!node.isArray()) {
        throw new KmsSeedException(path, "is " + kind(node) + "; expected a list");
      }
      List<JsonNode> out = new ArrayList<>();
      node.forEach(out::add);
      return out;
    }

    private static JsonNode required(ObjectNode o, String path, String field) {
      JsonNode node = o.get(field);
      if (node == null || node.isNull()) {
        throw new KmsSeedException(path + "." + field, "is missing");
      }
      return node;
    }

    private static String textValue(JsonNode node, String path) {
      if (!node.isTextual()) {
        throw new KmsSeedException(path, "is " + kind(node) + "; expected a string");
      }
      return node.textValue();
    }

    private static String scalarText(JsonNode node, String path) {
      if (node.isTextual() || node.isNumber() || node.isBoolean()) {
        return node.asText();
      }
      throw new KmsSeedException(path, "is " + kind(node) + "; expected a string");
    }

    private static Instant instant(JsonNode node, String path) {
      String text = textValue(node, path);
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new KmsSeedException(
            path,
            "value [" + text + "] is not an ISO-8601 instant; expected e.g. 2026-03-01T10:00:00Z");
      }
    }

    private static void known(ObjectNode o, String path, Set<String> allowed) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (!allowed.contains(e.getKey())) {
          throw new KmsSeedException(
              path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
              "is not a known field; expected one of " + new TreeSet<>(allowed));
        }
      }
    }

    private static String kind(JsonNode node) {
      return switch (node.getNodeType()) {
        case ARRAY -> "a list";
        case OBJECT, POJO -> "an object";
        case STRING -> "a string [" + node.textValue() + "]";
        case NUMBER -> "a number [" + node.asText() + "]";
        case BOOLEAN -> "a boolean [" + node.asText() + "]";
        case NULL, MISSING -> "empty";
        default -> "a " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
      };
    }

    private static void apply(String path, Runnable setter) {
      try {
        setter.run();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new KmsSeedException(path, String.valueOf(e.getMessage()), e);
      }
    }

    private static <T> T build(String path, java.util.function.Supplier<T> build) {
      try {
        return build.get();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new KmsSeedException(path, String.valueOf(e.getMessage()), e);
      }
    }
  }
}

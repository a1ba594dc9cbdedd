package dev.kmsposture.snapshot;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kmsposture.snapshot.MultiRegionConfiguration.MultiRegionKey;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Binds one key straight from the parser's tokens into {@link KeySnapshot} and its parts, calling
 * the same canonical constructors that Jackson's data binding calls, with the same arguments.
 *
 * <p>It decides only documents it is sure of: a key whose every member has the JSON type the schema
 * gives it, no member twice and none unknown, and whose records accept their values. For anything
 * else (a wrong type, a null where a record needs a value, a value a record rejects, a number out
 * of range) it answers "cannot tell" ({@code null}) and the caller binds the key's text with data
 * binding, which then reports the problem exactly as it always did: the same message, the same JSON
 * Pointer, the same first problem. A key it binds equals the key data binding gives.
 *
 * <p>Snapshot binding was about two fifths of a 100,000-key {@code check}; most of that went to the
 * generic bean path (property buffers, creator arguments, a deserializer call per value).
 *
 * <p>It calls the canonical constructors, never the records' builders, on purpose: the builders
 * refuse more than the constructors (blank text, for one), so a key bound through them could be
 * refused where data binding accepts it; and they would add an object per record on the per-key
 * path of {@code check}.
 */
final class KeyBinder {
  private KeyBinder() {}

  /**
   * Thrown to leave a key this binder cannot decide; never escapes {@link #bind}. Without a stack
   * trace, it costs an allocation.
   */
  private static final class CannotTell extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CannotTell() {
      super("cannot tell", null, false, false);
    }
  }

  /**
   * Binds the key whose {@code START_OBJECT} is the parser's current token.
   *
   * @return the key, with the parser at the key's {@code END_OBJECT}; or null when this binder
   *     cannot tell, with the parser anywhere inside the key (data binding must decide)
   * @throws IOException what the parser throws (malformed JSON, a member twice, input over a limit)
   */
  static @Nullable KeySnapshot bind(JsonParser p) throws IOException {
    try {
      return key(p);
    } catch (CannotTell e) {
      return null;
    } catch (RuntimeException e) {
      // a record constructor rejected what it was given: data binding reports it
      return null;
    }
  }

  private static KeySnapshot key(JsonParser p) throws IOException {
    expect(p.currentToken() == JsonToken.START_OBJECT);
    String arn = null;
    String keyId = null;
    String region = null;
    KeyMetadata metadata = null;
    List<String> aliases = null;
    Map<String, String> tags = null;
    String policy = null;
    RotationStatus rotation = null;
    List<KeyRotation> rotations = null;
    List<KeyGrant> grants = null;
    KeyLastUsage lastUsage = null;
    List<KeyEvent> keyEvents = null;
    List<String> resources = null;
    List<KeyCaller> callers = null;
    Map<KeyPart, String> unreadable = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      int bit;
      switch (name) {
        case "arn" -> {
          bit = 1;
          arn = string(p, t);
        }
        case "keyId" -> {
          bit = 1 << 1;
          keyId = string(p, t);
        }
        case "region" -> {
          bit = 1 << 2;
          region = string(p, t);
        }
        case "metadata" -> {
          bit = 1 << 3;
          metadata = t == JsonToken.VALUE_NULL ? null : metadata(p, t);
        }
        case "aliases" -> {
          bit = 1 << 4;
          aliases = strings(p, t);
        }
        case "tags" -> {
          bit = 1 << 5;
          tags = stringMap(p, t);
        }
        case "policy" -> {
          bit = 1 << 6;
          policy = string(p, t);
        }
        case "rotation" -> {
          bit = 1 << 7;
          rotation = t == JsonToken.VALUE_NULL ? null : rotation(p, t);
        }
        case "rotations" -> {
          bit = 1 << 8;
          rotations = rotations(p, t);
        }
        case "grants" -> {
          bit = 1 << 9;
          grants = grants(p, t);
        }
        case "lastUsage" -> {
          bit = 1 << 10;
          lastUsage = t == JsonToken.VALUE_NULL ? null : lastUsage(p, t);
        }
        case "keyEvents" -> {
          bit = 1 << 11;
          keyEvents = keyEvents(p, t);
        }
        case "resources" -> {
          bit = 1 << 12;
          resources = strings(p, t);
        }
        case "callers" -> {
          bit = 1 << 13;
          callers = callers(p, t);
        }
        case "unreadable" -> {
          bit = 1 << 14;
          unreadable = unreadable(p, t);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    return new KeySnapshot(
        nonNull(arn),
        nonNull(keyId),
        nonNull(region),
        nonNull(metadata),
        aliases,
        tags,
        policy,
        rotation,
        rotations,
        grants,
        lastUsage,
        keyEvents,
        resources,
        callers,
        unreadable == null ? Map.of() : unreadable);
  }

  private static KeyMetadata metadata(JsonParser p, JsonToken t) throws IOException {
    expect(t == JsonToken.START_OBJECT);
    String keyManager = null;
    String keySpec = null;
    String keyUsage = null;
    String origin = null;
    String customKeyStoreId = null;
    String keyState = null;
    Instant creationDate = null;
    Instant deletionDate = null;
    Integer pendingDeletionWindowInDays = null;
    String description = null;
    MultiRegionConfiguration multiRegion = null;
    String expirationModel = null;
    Instant validTo = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (name) {
        case "keyManager" -> {
          bit = 1;
          keyManager = string(p, v);
        }
        case "keySpec" -> {
          bit = 1 << 1;
          keySpec = string(p, v);
        }
        case "keyUsage" -> {
          bit = 1 << 2;
          keyUsage = string(p, v);
        }
        case "origin" -> {
          bit = 1 << 3;
          origin = string(p, v);
        }
        case "customKeyStoreId" -> {
          bit = 1 << 4;
          customKeyStoreId = string(p, v);
        }
        case "keyState" -> {
          bit = 1 << 5;
          keyState = string(p, v);
        }
        case "creationDate" -> {
          bit = 1 << 6;
          creationDate = instant(p, v);
        }
        case "deletionDate" -> {
          bit = 1 << 7;
          deletionDate = instant(p, v);
        }
        case "pendingDeletionWindowInDays" -> {
          bit = 1 << 8;
          pendingDeletionWindowInDays = integer(p, v);
        }
        case "description" -> {
          bit = 1 << 9;
          description = string(p, v);
        }
        case "multiRegion" -> {
          bit = 1 << 10;
          multiRegion = v == JsonToken.VALUE_NULL ? null : multiRegion(p, v);
        }
        case "expirationModel" -> {
          bit = 1 << 11;
          expirationModel = string(p, v);
        }
        case "validTo" -> {
          bit = 1 << 12;
          validTo = instant(p, v);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    return new KeyMetadata(
        nonNull(keyManager),
        nonNull(keySpec),
        nonNull(keyUsage),
        nonNull(origin),
        customKeyStoreId,
        nonNull(keyState),
        nonNull(creationDate),
        deletionDate,
        pendingDeletionWindowInDays,
        nonNull(description),
        multiRegion,
        expirationModel,
        validTo);
  }

  private static MultiRegionConfiguration multiRegion(JsonParser p, JsonToken t)
      throws IOException {
    expect(t == JsonToken.START_OBJECT);
    String keyType = null;
    MultiRegionKey primaryKey = null;
    List<MultiRegionKey> replicaKeys = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (name) {
        case "keyType" -> {
          bit = 1;
          keyType = string(p, v);
        }
        case "primaryKey" -> {
          bit = 1 << 1;
          primaryKey = v == JsonToken.VALUE_NULL ? null : multiRegionKey(p, v);
        }
        case "replicaKeys" -> {
          bit = 1 << 2;
          if (v == JsonToken.VALUE_NULL) {
            replicaKeys = null;
          } else {
            expect(v == JsonToken.START_ARRAY);
            List<MultiRegionKey> list = new ArrayList<>();
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
              list.add(multiRegionKey(p, e));
            }
            replicaKeys = list;
          }
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    // A null list is what data binding passes for a missing member: the record reads it as none.
    return new MultiRegionConfiguration(
        nonNull(keyType), nonNull(primaryKey), nullable(replicaKeys));
  }

  // The record's compact constructor accepts a null list (no replicas); NullAway is told so here.
  @SuppressWarnings("NullAway")
  private static List<MultiRegionKey> nullable(@Nullable List<MultiRegionKey> list) {
    return list;
  }

  private static MultiRegionKey multiRegionKey(JsonParser p, JsonToken t) throws IOException {
    expect(t == JsonToken.START_OBJECT);
    String arn = null;
    String region = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (name) {
        case "arn" -> {
          bit = 1;
          arn = string(p, v);
        }
        case "region" -> {
          bit = 1 << 1;
          region = string(p, v);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    return new MultiRegionKey(nonNull(arn), nonNull(region));
  }

  private static RotationStatus rotation(JsonParser p, JsonToken t) throws IOException {
    expect(t == JsonToken.START_OBJECT);
    boolean enabled = false;
    Integer rotationPeriodInDays = null;
    Instant nextRotationDate = null;
    Instant onDemandRotationStartDate = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (name) {
        case "enabled" -> {
          bit = 1;
          enabled = bool(v);
        }
        case "rotationPeriodInDays" -> {
          bit = 1 << 1;
          rotationPeriodInDays = integer(p, v);
        }
        case "nextRotationDate" -> {
          bit = 1 << 2;
          nextRotationDate = instant(p, v);
        }
        case "onDemandRotationStartDate" -> {
          bit = 1 << 3;
          onDemandRotationStartDate = instant(p, v);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    // a missing primitive is left to data binding (its features decide what it means)
    expect((seen & 1) != 0);
    return new RotationStatus(
        enabled, rotationPeriodInDays, nextRotationDate, onDemandRotationStartDate);
  }

  private static @Nullable List<KeyRotation> rotations(JsonParser p, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.START_ARRAY);
    List<KeyRotation> list = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      list.add(keyRotation(p, e));
    }
    return list;
  }

  private static KeyRotation keyRotation(JsonParser p, JsonToken t) throws IOException {
    expect(t == JsonToken.START_OBJECT);
    Instant rotationDate = null;
    String rotationType = null;
    String keyMaterialId = null;
    String keyMaterialState = null;
    String importState = null;
    Instant validTo = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (name) {
        case "rotationDate" -> {
          bit = 1;
          rotationDate = instant(p, v);
        }
        case "rotationType" -> {
          bit = 1 << 1;
          rotationType = string(p, v);
        }
        case "keyMaterialId" -> {
          bit = 1 << 2;
          keyMaterialId = string(p, v);
        }
        case "keyMaterialState" -> {
          bit = 1 << 3;
          keyMaterialState = string(p, v);
        }
        case "importState" -> {
          bit = 1 << 4;
          importState = string(p, v);
        }
        case "validTo" -> {
          bit = 1 << 5;
          validTo = instant(p, v);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    return new KeyRotation(
        rotationDate, rotationType, keyMaterialId, keyMaterialState, importState, validTo);
  }

  private static @Nullable List<KeyGrant> grants(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.START_ARRAY);
    List<KeyGrant> list = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      list.add(grant(p, e));
    }
    return list;
  }

  private static KeyGrant grant(JsonParser p, JsonToken t) throws IOException {
    expect(t == JsonToken.START_OBJECT);
    String grantId = null;
    String name = null;
    String granteePrincipal = null;
    String retiringPrincipal = null;
    String issuingAccount = null;
    List<String> operations = null;
    Map<String, String> encryptionContextEquals = null;
    Map<String, String> encryptionContextSubset = null;
    Instant creationDate = null;
    int seen = 0;
    String member;
    while ((member = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (member) {
        case "grantId" -> {
          bit = 1;
          grantId = string(p, v);
        }
        case "name" -> {
          bit = 1 << 1;
          name = string(p, v);
        }
        case "granteePrincipal" -> {
          bit = 1 << 2;
          granteePrincipal = string(p, v);
        }
        case "retiringPrincipal" -> {
          bit = 1 << 3;
          retiringPrincipal = string(p, v);
        }
        case "issuingAccount" -> {
          bit = 1 << 4;
          issuingAccount = string(p, v);
        }
        case "operations" -> {
          bit = 1 << 5;
          operations = strings(p, v);
        }
        case "encryptionContextEquals" -> {
          bit = 1 << 6;
          encryptionContextEquals = stringMap(p, v);
        }
        case "encryptionContextSubset" -> {
          bit = 1 << 7;
          encryptionContextSubset = stringMap(p, v);
        }
        case "creationDate" -> {
          bit = 1 << 8;
          creationDate = instant(p, v);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    return new KeyGrant(
        nonNull(grantId),
        name,
        nonNull(granteePrincipal),
        retiringPrincipal,
        issuingAccount,
        nonNull(operations),
        nullableMap(encryptionContextEquals),
        nullableMap(encryptionContextSubset),
        creationDate);
  }

  // The record's compact constructor reads a null map as an empty one; NullAway is told so here.
  @SuppressWarnings("NullAway")
  private static Map<String, String> nullableMap(@Nullable Map<String, String> map) {
    return map;
  }

  private static KeyLastUsage lastUsage(JsonParser p, JsonToken t) throws IOException {
    expect(t == JsonToken.START_OBJECT);
    Instant lastUsedAt = null;
    String operation = null;
    Instant trackingStartDate = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (name) {
        case "lastUsedAt" -> {
          bit = 1;
          lastUsedAt = instant(p, v);
        }
        case "operation" -> {
          bit = 1 << 1;
          operation = string(p, v);
        }
        case "trackingStartDate" -> {
          bit = 1 << 2;
          trackingStartDate = instant(p, v);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    return new KeyLastUsage(lastUsedAt, operation, trackingStartDate);
  }

  private static @Nullable List<KeyEvent> keyEvents(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.START_ARRAY);
    List<KeyEvent> list = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      list.add(keyEvent(p, e));
    }
    return list;
  }

  private static KeyEvent keyEvent(JsonParser p, JsonToken t) throws IOException {
    expect(t == JsonToken.START_OBJECT);
    Instant time = null;
    String eventName = null;
    String errorCode = null;
    Integer pendingWindowInDays = null;
    String principalArn = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (name) {
        case "time" -> {
          bit = 1;
          time = instant(p, v);
        }
        case "eventName" -> {
          bit = 1 << 1;
          eventName = string(p, v);
        }
        case "errorCode" -> {
          bit = 1 << 2;
          errorCode = string(p, v);
        }
        case "pendingWindowInDays" -> {
          bit = 1 << 3;
          pendingWindowInDays = integer(p, v);
        }
        case "principalArn" -> {
          bit = 1 << 4;
          principalArn = string(p, v);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    return new KeyEvent(
        nonNull(time), nonNull(eventName), errorCode, pendingWindowInDays, principalArn);
  }

  private static @Nullable List<KeyCaller> callers(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.START_ARRAY);
    List<KeyCaller> list = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      list.add(caller(p, e));
    }
    return list;
  }

  private static KeyCaller caller(JsonParser p, JsonToken t) throws IOException {
    expect(t == JsonToken.START_OBJECT);
    String principalArn = null;
    String service = null;
    String serviceEvidence = null;
    List<String> operations = null;
    long eventCount = 0;
    Instant firstSeen = null;
    Instant lastSeen = null;
    int seen = 0;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      int bit;
      switch (name) {
        case "principalArn" -> {
          bit = 1;
          principalArn = string(p, v);
        }
        case "service" -> {
          bit = 1 << 1;
          service = string(p, v);
        }
        case "serviceEvidence" -> {
          bit = 1 << 2;
          serviceEvidence = string(p, v);
        }
        case "operations" -> {
          bit = 1 << 3;
          operations = strings(p, v);
        }
        case "eventCount" -> {
          bit = 1 << 4;
          expect(
              v == JsonToken.VALUE_NUMBER_INT
                  && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER);
          eventCount = p.getLongValue();
        }
        case "firstSeen" -> {
          bit = 1 << 5;
          firstSeen = instant(p, v);
        }
        case "lastSeen" -> {
          bit = 1 << 6;
          lastSeen = instant(p, v);
        }
        default -> throw new CannotTell();
      }
      seen = once(seen, bit);
    }
    end(p);
    // a missing primitive is left to data binding (its features decide what it means)
    expect((seen & (1 << 4)) != 0);
    return new KeyCaller(
        principalArn,
        service,
        serviceEvidence,
        nonNull(operations),
        eventCount,
        nonNull(firstSeen),
        nonNull(lastSeen));
  }

  private static @Nullable Map<KeyPart, String> unreadable(JsonParser p, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.START_OBJECT);
    Map<KeyPart, String> map = new EnumMap<>(KeyPart.class);
    String name;
    while ((name = p.nextFieldName()) != null) {
      KeyPart part = part(name);
      expect(p.nextToken() == JsonToken.VALUE_STRING);
      expect(map.put(part, p.getText()) == null);
    }
    end(p);
    return map;
  }

  // The part an enum key names exactly (data binding decides any other spelling).
  private static KeyPart part(String name) {
    for (KeyPart part : KeyPart.values()) {
      if (part.name().equals(name)) {
        return part;
      }
    }
    throw new CannotTell();
  }

  private static @Nullable Map<String, String> stringMap(JsonParser p, JsonToken t)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.START_OBJECT);
    Map<String, String> map = new TreeMap<>();
    String name;
    while ((name = p.nextFieldName()) != null) {
      expect(p.nextToken() == JsonToken.VALUE_STRING);
      expect(map.put(name, p.getText()) == null);
    }
    end(p);
    return map;
  }

  private static @Nullable List<String> strings(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.START_ARRAY);
    List<String> list = new ArrayList<>();
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
      expect(e == JsonToken.VALUE_STRING);
      list.add(p.getText());
    }
    return list;
  }

  private static @Nullable String string(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    expect(t == JsonToken.VALUE_NULL);
    return null;
  }

  private static @Nullable Integer integer(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT);
    return p.getIntValue();
  }

  private static boolean bool(JsonToken t) {
    if (t == JsonToken.VALUE_TRUE) {
      return true;
    }
    expect(t == JsonToken.VALUE_FALSE);
    return false;
  }

  // An instant as SnapshotCodec.UtcInstant reads it: only a string in UTC.
  private static @Nullable Instant instant(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t == JsonToken.VALUE_STRING);
    Instant instant = SnapshotCodec.utc(p.getText());
    if (instant == null) {
      throw new CannotTell();
    }
    return instant;
  }

  // After the members: the object's end (nextFieldName returned null).
  private static void end(JsonParser p) {
    expect(p.currentToken() == JsonToken.END_OBJECT);
  }

  private static int once(int seen, int bit) {
    // a member twice: the parser's duplicate detection (or data binding) reports it
    expect((seen & bit) == 0);
    return seen | bit;
  }

  private static void expect(boolean condition) {
    if (!condition) {
      throw new CannotTell();
    }
  }

  // A value the record requires: null is left to the record (and so to data binding) to report.
  private static <T> T nonNull(@Nullable T value) {
    if (value == null) {
      throw new CannotTell();
    }
    return value;
  }
}

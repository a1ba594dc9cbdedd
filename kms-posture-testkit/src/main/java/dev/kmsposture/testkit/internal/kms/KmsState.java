package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial;
import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.JournalEntry;
import dev.kmsposture.testkit.kms.RequestJournal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything the engine knows, across accounts and Regions, and what happens to it as the clock
 * passes: deletion windows end, replicas finish creating, primary-Region updates complete,
 * rotations fall due and imported material expires.
 *
 * <p>One lock guards all of it: operations hold it for their bookkeeping (microseconds) and do any
 * cryptographic work outside it. Timed events are applied at the start of every locked section, in
 * time order and at their own time, so a test that moves its clock sees them as AWS would report
 * them.
 */
final class KmsState {
  static final Pattern KEY_ID =
      Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}");

  final EngineConfig config;
  final Clock clock;
  final Ids ids;
  final RequestJournal journal;
  final MaterialSource materials;
  final Instant startedAt;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<AccountRegion, Realm> realms = new HashMap<>();
  private final Map<String, GrantRef> tokens = new HashMap<>();
  private final PriorityQueue<Timed> timeline =
      new PriorityQueue<>(Comparator.comparing(Timed::at).thenComparingLong(Timed::order));
  private long seq;
  // the realm found last (every Decrypt under one key looks up the same): read and replaced whole,
  // forgotten when the realms are cleared; realms are never removed otherwise
  private @Nullable FoundRealm lastFound;

  record AccountRegion(String account, String region) {}

  /** A realm and where it is. */
  private record FoundRealm(String account, String region, Realm realm) {}

  /** Where the grant a token was issued for lives. */
  record GrantRef(String account, String region, String keyId, String grantId) {}

  enum Kind {
    DELETE_KEY,
    TRANSITION_END,
    EXPIRE_MATERIAL,
    AUTO_ROTATE,
    ON_DEMAND_DONE
  }

  record Timed(
      Instant at, long order, Kind kind, @Nullable KmsKey key, @Nullable SharedKey shared) {}

  KmsState(
      EngineConfig config, Clock clock, Ids ids, RequestJournal journal, MaterialSource materials) {
    this.config = config;
    this.clock = clock;
    this.ids = ids;
    this.journal = journal;
    this.materials = materials;
    this.startedAt = clock.instant();
  }

  // ---- locking and time ----

  /** Runs {@code work} under the lock, after applying every event due by the call's time. */
  <T> T locked(KmsCall call, Supplier<T> work) {
    lock.lock();
    try {
      advance(call.now());
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} under the lock, after applying every event due by {@code now}. */
  <T> T locked(Instant now, Supplier<T> work) {
    lock.lock();
    try {
      advance(now);
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  boolean holdsLock() {
    return lock.isHeldByCurrentThread();
  }

  long nextSeq() {
    return ++seq;
  }

  void schedule(Instant at, Kind kind, @Nullable KmsKey key, @Nullable SharedKey shared) {
    timeline.add(new Timed(at, nextSeq(), kind, key, shared));
  }

  /** Applies every timed event due at or before {@code now}, oldest first. */
  void advance(Instant now) {
    while (!timeline.isEmpty() && !timeline.peek().at().isAfter(now)) {
      Timed t = timeline.poll();
      apply(t);
    }
  }

  private void apply(Timed t) {
    switch (t.kind()) {
      case DELETE_KEY -> {
        KmsKey key = t.key();
        if (key != null
            && !key.deleted
            && key.state.equals("PendingDeletion")
            && t.at().equals(key.deletionDate)) {
          deleteKey(key, t.at());
        }
      }
      case TRANSITION_END -> {
        KmsKey key = t.key();
        if (key != null
            && !key.deleted
            && t.at().equals(key.transitionAt)
            && (key.state.equals("Creating") || key.state.equals("Updating"))) {
          key.state = key.stateAfterTransition;
          key.transitionAt = null;
        }
      }
      case EXPIRE_MATERIAL -> {
        KmsKey key = t.key();
        if (key != null && !key.deleted && key.materialImported && t.at().equals(key.validTo)) {
          key.materialImported = false;
          key.validTo = null;
          key.expirationModel = null;
          if (key.state.equals("Enabled") || key.state.equals("Disabled")) {
            key.state = "PendingImport";
          }
          serviceEvent(key, t.at(), "DeleteExpiredKeyMaterial", Json.object());
        }
      }
      case AUTO_ROTATE -> {
        SharedKey shared = t.shared();
        if (shared != null && shared.rotationEnabled && t.at().equals(shared.nextRotationDate)) {
          KmsKey primary = shared.primary();
          if (primary != null && primary.state.equals("Enabled")) {
            rotate(shared, t.at(), "AUTOMATIC");
            shared.rotationAnchor = t.at();
            scheduleAutoRotation(shared, t.at().plus(Duration.ofDays(shared.rotationPeriodDays)));
          } else {
            // Developer Guide: rotation pauses while the key cannot be used; when the key is
            // enabled again and a rotation is due, KMS rotates it right away.
            shared.rotationDue = true;
          }
        }
      }
      case ON_DEMAND_DONE -> {
        SharedKey shared = t.shared();
        if (shared != null && t.at().equals(shared.onDemandCompleteAt)) {
          shared.onDemandStartDate = null;
          shared.onDemandCompleteAt = null;
          rotate(shared, t.at(), "ON_DEMAND");
        }
      }
    }
  }

  void scheduleAutoRotation(SharedKey shared, Instant next) {
    if (shared.rotationAnchor == null) {
      shared.rotationAnchor = next.minus(Duration.ofDays(shared.rotationPeriodDays));
    }
    shared.nextRotationDate = next;
    shared.rotationDue = false;
    schedule(next, Kind.AUTO_ROTATE, null, shared);
  }

  /** Makes new material current for the whole key set and records the rotation. */
  void rotate(SharedKey shared, Instant at, String type) {
    MaterialVersion pending = shared.pendingRotation;
    MaterialVersion v = pending != null ? pending : newMaterial(shared, at);
    if (pending != null) {
      // imported material (NEW_KEY_MATERIAL) becomes current, with the expiry it came with
      shared.pendingRotation = null;
      for (KmsKey member : shared.members.values()) {
        member.expirationModel = shared.pendingExpirationModel;
        member.validTo = shared.pendingValidTo;
        if (member.validTo != null) {
          schedule(member.validTo, Kind.EXPIRE_MATERIAL, member, null);
        }
      }
      shared.pendingExpirationModel = null;
      shared.pendingValidTo = null;
    }
    shared.versions.add(v);
    shared.rotations.add(new RotationRecord(v.materialId(), at, type));
    for (KmsKey member : shared.members.values()) {
      ObjectNode details = Json.object();
      details.put("keyId", member.keyId());
      details.put("rotationType", type);
      serviceEvent(member, at, "RotateKey", details);
    }
  }

  MaterialVersion newMaterial(SharedKey shared, Instant at) {
    KeyMaterial material = materials.generate(shared.keySpec);
    return new MaterialVersion(material.id().value(), at, material);
  }

  /** Deletes a key whose waiting period ended, with its aliases and grants. */
  void deleteKey(KmsKey key, Instant at) {
    Realm realm = realm(key.account.value(), key.region);
    realm.keys().remove(key.keyId());
    realm.aliases().values().removeIf(a -> a.targetKeyId().equals(key.keyId()));
    key.deleted = true;
    key.grants.clear();
    SharedKey shared = key.shared;
    shared.members.remove(key.region);
    ObjectNode details = Json.object();
    details.put("keyId", key.keyId());
    serviceEvent(key, at, "DeleteKey", details);
    // ScheduleKeyDeletion on a primary with replicas: its waiting period starts when the last
    // replica is deleted (API reference, ScheduleKeyDeletion).
    KmsKey primary = shared.primary();
    if (primary != null
        && primary != key
        && primary.state.equals("PendingReplicaDeletion")
        && shared.members.size() == 1) {
      primary.state = "PendingDeletion";
      primary.deletionDate = at.plus(Duration.ofDays(primary.pendingWindowDays));
      schedule(primary.deletionDate, Kind.DELETE_KEY, primary, null);
    }
  }

  void serviceEvent(KmsKey key, Instant at, String name, ObjectNode details) {
    journal.record(
        new JournalEntry(
            at,
            ids.uuid(),
            "",
            "AwsServiceEvent",
            "kms",
            name,
            key.region,
            Caller.root(key.account),
            List.of(key.arn),
            null,
            false,
            "",
            "kms.amazonaws.com",
            details.toString()));
  }

  // ---- realms, keys, aliases ----

  Realm realm(String account, String region) {
    return realms.computeIfAbsent(new AccountRegion(account, region), k -> new Realm());
  }

  @Nullable Realm realmIfPresent(String account, String region) {
    FoundRealm last = lastFound;
    if (last != null && last.account().equals(account) && last.region().equals(region)) {
      return last.realm();
    }
    Realm realm = realms.get(new AccountRegion(account, region));
    if (realm != null) {
      lastFound = new FoundRealm(account, region, realm);
    }
    return realm;
  }

  /** Every realm in a stable order (account, then Region). */
  List<Map.Entry<AccountRegion, Realm>> allRealms() {
    List<Map.Entry<AccountRegion, Realm>> list = new ArrayList<>(realms.entrySet());
    list.sort(
        Comparator.comparing((Map.Entry<AccountRegion, Realm> e) -> e.getKey().account())
            .thenComparing(e -> e.getKey().region()));
    return list;
  }

  void clear() {
    lastFound = null;
    realms.clear();
    tokens.clear();
    timeline.clear();
  }

  void putToken(String token, GrantRef ref) {
    tokens.put(token, ref);
  }

  @Nullable GrantRef token(String token) {
    return tokens.get(token);
  }

  static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.startsWith("us-iso-")) {
      return "aws-iso";
    }
    if (region.startsWith("us-isob-")) {
      return "aws-iso-b";
    }
    return "aws";
  }

  static String keyArn(String account, String region, String keyId) {
    return "arn:" + partition(region) + ":kms:" + region + ":" + account + ":key/" + keyId;
  }

  static String aliasArn(String account, String region, String aliasName) {
    return "arn:" + partition(region) + ":kms:" + region + ":" + account + ":" + aliasName;
  }

  static String rootArn(String account, String region) {
    return "arn:" + partition(region) + ":iam::" + account + ":root";
  }

  /** The policy KMS gives a key created without one (recorded from AWS, pretty-printed so). */
  static String defaultPolicy(String account, String region) {
    return "{\n"
        + "  \"Version\" : \"2012-10-17\",\n"
        + "  \"Id\" : \"key-default-1\",\n"
        + "  \"Statement\" : [ {\n"
        + "    \"Sid\" : \"Enable IAM User Permissions\",\n"
        + "    \"Effect\" : \"Allow\",\n"
        + "    \"Principal\" : {\n"
        + "      \"AWS\" : \""
        + rootArn(account, region)
        + "\"\n"
        + "    },\n"
        + "    \"Action\" : \"kms:*\",\n"
        + "    \"Resource\" : \"*\"\n"
        + "  } ]\n"
        + "}";
  }

  /** How a KeyId parameter may name its key. */
  enum Naming {
    /** Key id or key ARN only. */
    KEY,
    /** Key id, key ARN, alias name or alias ARN. */
    KEY_OR_ALIAS
  }

  /**
   * Finds the key a {@code KeyId} parameter names, as KMS resolves it: key ids and alias names in
   * the caller's account and the request's Region, ARNs in the account they name (when the
   * operation works across accounts) and only in the request's Region.
   */
  KmsKey resolve(KmsCall call, String value, Naming naming, boolean crossAccount) {
    KmsKey key = find(call, value, naming, crossAccount);
    call.touched(key);
    return key;
  }

  private KmsKey find(KmsCall call, String value, Naming naming, boolean crossAccount) {
    String region = call.region();
    String account = call.account();
    if (value.startsWith("arn:")) {
      String[] p = value.split(":", 6);
      if (p.length != 6 || !p[2].equals("kms") || !p[1].equals(partition(region))) {
        throw KmsErrors.invalidKeyId(value);
      }
      String arnRegion = p[3];
      String arnAccount = p[4];
      String resource = p[5];
      if (!arnRegion.equals(region)) {
        throw KmsErrors.invalidArnRegion(arnRegion);
      }
      if (!AccountId.isAccountId(arnAccount)) {
        throw KmsErrors.invalidKeyId(value);
      }
      if (resource.startsWith("key/")) {
        String keyId = resource.substring(4);
        if (!KEY_ID.matcher(keyId).matches()) {
          throw KmsErrors.invalidKeyId(value);
        }
        Realm realm = realmIfPresent(arnAccount, region);
        KmsKey key = realm == null ? null : realm.keys().get(keyId);
        if (key == null || (!crossAccount && !arnAccount.equals(account))) {
          throw KmsErrors.keyNotFound(value);
        }
        return key;
      }
      if (resource.startsWith("alias/") && naming == Naming.KEY_OR_ALIAS) {
        if (!crossAccount && !arnAccount.equals(account)) {
          throw KmsErrors.aliasNotFound(value);
        }
        return byAlias(arnAccount, region, resource, value);
      }
      throw KmsErrors.invalidKeyId(value);
    }
    if (value.startsWith("alias/")) {
      if (naming != Naming.KEY_OR_ALIAS) {
        throw KmsErrors.invalidKeyId(value);
      }
      return byAlias(account, region, value, aliasArn(account, region, value));
    }
    if (!KEY_ID.matcher(value).matches()) {
      throw KmsErrors.invalidKeyId(value);
    }
    Realm realm = realmIfPresent(account, region);
    KmsKey key = realm == null ? null : realm.keys().get(value);
    if (key == null) {
      throw KmsErrors.keyNotFound(keyArn(account, region, value));
    }
    return key;
  }

  private KmsKey byAlias(String account, String region, String aliasName, String aliasArn) {
    Realm realm = realmIfPresent(account, region);
    AliasRecord alias = realm == null ? null : realm.aliases().get(aliasName);
    KmsKey key = realm == null || alias == null ? null : realm.keys().get(alias.targetKeyId());
    if (key == null) {
      throw KmsErrors.aliasNotFound(aliasArn);
    }
    return key;
  }

  /** Parses a key policy as KMS does; the text was already checked for length and characters. */
  static KeyPolicy parsePolicy(String text) {
    if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > KeyPolicy.MAX_BYTES) {
      throw KmsErrors.limitExceeded(
          "The key policy is larger than the 32768-byte (32 KB) limit for key policies.");
    }
    try {
      return KeyPolicy.parse(text);
    } catch (dev.kmsposture.policy.PolicyParseException e) {
      throw KmsErrors.malformedPolicy(e.getMessage() == null ? "Malformed policy" : e.getMessage());
    }
  }
}

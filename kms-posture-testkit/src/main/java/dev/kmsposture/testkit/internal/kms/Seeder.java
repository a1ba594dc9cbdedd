package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.KmsSeedException;
import dev.kmsposture.testkit.kms.SeedGrant;
import dev.kmsposture.testkit.kms.SeedKey;
import dev.kmsposture.testkit.kms.SeedReplica;
import dev.kmsposture.testkit.kms.SeedRotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Applies a {@link KmsSeed} to an engine: keys, replicas, aliases, tags, grants, rotation history
 * and schedule, imported-material expiry and last usage, as if they had been made by requests.
 *
 * <p>Checks what the seed's builders cannot: ids and aliases unique per account and Region, the
 * policy's syntax (strictly, as PutKeyPolicy does; the lockout check does not apply to seeds),
 * grant operations that suit the key, rotation dates in order. A problem is a {@link
 * KmsSeedException} naming the field ({@code keys[2].aliases[0]}). Runs under the engine's lock.
 */
final class Seeder {
  private final KmsState state;
  private final KeySupport keys;

  Seeder(KmsState state, KeySupport keys) {
    this.state = state;
    this.keys = keys;
  }

  void apply(KmsSeed seed, Instant now) {
    List<SeedKey> list = seed.keys();
    for (int i = 0; i < list.size(); i++) {
      key(list.get(i), "keys[" + i + "]", now);
    }
  }

  private void key(SeedKey s, String path, Instant now) {
    try {
      keys.requireSupportedSpec(s.keySpec(), s.region());
    } catch (AwsServiceError e) {
      throw new KmsSeedException(path + ".keySpec", String.valueOf(e.getMessage()));
    }
    String account = s.account();
    String keyId =
        s.keyId().orElseGet(() -> s.isMultiRegion() ? state.ids.mrkId() : state.ids.uuid());
    List<String> regions = new ArrayList<>();
    regions.add(s.region());
    s.replicas().forEach(r -> regions.add(r.region()));
    for (String region : regions) {
      Realm realm = state.realmIfPresent(account, region);
      if (realm != null && realm.keys().containsKey(keyId)) {
        throw new KmsSeedException(
            path + ".keyId",
            String.format(
                "key id [%s] already exists in account %s, Region %s", keyId, account, region));
      }
    }
    Instant created = s.creationDate().orElse(now);
    SharedKey shared =
        new SharedKey(
            keyId,
            s.keySpec(),
            s.keyUsage(),
            s.origin(),
            s.isAwsManaged() ? "AWS" : "CUSTOMER",
            s.isMultiRegion(),
            s.region());
    boolean external = s.origin().equals("EXTERNAL");

    // Material and rotation history.
    if (!external) {
      shared.versions.add(state.newMaterial(shared, created));
      List<SeedRotation> history = new ArrayList<>(s.rotations());
      history.sort(Comparator.comparing(SeedRotation::date));
      for (int j = 0; j < history.size(); j++) {
        SeedRotation r = history.get(j);
        if (r.date().isBefore(created) || r.date().isAfter(now)) {
          throw new KmsSeedException(
              path + ".rotation.history[" + j + "]",
              String.format(
                  "rotation date %s is not between the key's creation (%s) and now (%s)",
                  r.date(), created, now));
        }
        MaterialVersion v = state.newMaterial(shared, r.date());
        shared.versions.add(v);
        shared.rotations.add(new RotationRecord(v.materialId(), r.date(), r.type()));
        if (r.type().equals("ON_DEMAND")) {
          shared.onDemandCount++;
        }
      }
    } else if (s.isMaterialImported()) {
      KeyMaterial generated = KeyMaterial.generate(CryptoOperations.cryptoSpecOf(s.keySpec()));
      KeyMaterial material =
          KeyMaterial.imported(
              CryptoOperations.cryptoSpecOf(s.keySpec()), keyId, generated.insecureEncoded());
      shared.versions.add(new MaterialVersion(material.id().value(), created, material));
    }

    KmsKey primary =
        add(
            path,
            AccountId.of(account),
            s.region(),
            shared,
            created,
            s.state(),
            s.description(),
            s.policy().orElse(null),
            s.deletionDate().orElse(null),
            !s.replicas().isEmpty(),
            now);
    primary.tags.putAll(s.tags());
    aliases(path, primary, s.aliases());
    if (external && s.isMaterialImported()) {
      imported(primary, s.materialExpiresAt().orElse(null));
    }
    s.lastUsedOperation().ifPresent(op -> lastUsed(primary, op, s.lastUsedAt().orElse(created)));

    List<SeedGrant> grants = s.grants();
    for (int j = 0; j < grants.size(); j++) {
      grant(path + ".grants[" + j + "]", primary, grants.get(j));
    }

    // Rotation schedule: AWS managed keys always rotate yearly.
    if (s.isRotationEnabled() || s.isAwsManaged()) {
      shared.rotationEnabled = true;
      shared.rotationPeriodDays = s.isAwsManaged() ? 365 : s.rotationPeriodInDays();
      Instant lastAutomatic = created;
      for (RotationRecord r : shared.rotations) {
        if (r.type().equals("AUTOMATIC")) {
          lastAutomatic = r.date();
        }
      }
      shared.rotationAnchor = lastAutomatic;
      Instant next =
          s.nextRotationDate()
              .orElse(lastAutomatic.plus(Duration.ofDays(shared.rotationPeriodDays)));
      state.scheduleAutoRotation(shared, next);
    }

    List<SeedReplica> replicas = s.replicas();
    for (int j = 0; j < replicas.size(); j++) {
      SeedReplica r = replicas.get(j);
      String rp = path + ".replicas[" + j + "]";
      String replicaState =
          external && !s.isMaterialImported() && r.state().equals("Enabled")
              ? "PendingImport"
              : r.state();
      KmsKey replica =
          add(
              rp,
              primary.account,
              r.region(),
              shared,
              r.creationDate().orElse(created),
              replicaState,
              r.description(),
              r.policy().orElse(null),
              r.deletionDate().orElse(null),
              false,
              now);
      replica.tags.putAll(r.tags());
      aliases(rp, replica, r.aliases());
      if (external && s.isMaterialImported()) {
        imported(replica, s.materialExpiresAt().orElse(null));
      }
      r.lastUsedOperation()
          .ifPresent(op -> lastUsed(replica, op, r.lastUsedAt().orElse(replica.creationDate)));
    }
  }

  private KmsKey add(
      String path,
      AccountId account,
      String region,
      SharedKey shared,
      Instant created,
      String keyState,
      String description,
      @Nullable String policyText,
      @Nullable Instant deletionDate,
      boolean hasReplicas,
      Instant now) {
    String text = policyText == null ? KmsState.defaultPolicy(account.value(), region) : policyText;
    KeyPolicy policy;
    try {
      policy = KmsState.parsePolicy(text);
    } catch (AwsServiceError e) {
      throw new KmsSeedException(path + ".policy", String.valueOf(e.getMessage()));
    }
    KmsKey key = keys.add(account, region, shared, created, keyState, description, text, policy);
    if (keyState.equals("PendingDeletion") && deletionDate != null) {
      if (!deletionDate.isAfter(now)) {
        throw new KmsSeedException(
            path + ".deletionDate",
            String.format(
                "deletion date %s is not after now (%s); a deleted key is simply left out of the"
                    + " seed",
                deletionDate, now));
      }
      long days = Math.max(7, Math.min(30, Duration.between(now, deletionDate).toDays()));
      key.pendingWindowDays = (int) days;
      if (hasReplicas) {
        // A primary with replicas waits for them (ScheduleKeyDeletion).
        key.state = "PendingReplicaDeletion";
      } else {
        key.deletionDate = deletionDate;
        state.schedule(deletionDate, KmsState.Kind.DELETE_KEY, key, null);
      }
    }
    return key;
  }

  private void aliases(String path, KmsKey key, List<String> aliases) {
    Realm realm = state.realm(key.account.value(), key.region);
    for (int j = 0; j < aliases.size(); j++) {
      String alias = aliases.get(j);
      if (realm.aliases().containsKey(alias)) {
        throw new KmsSeedException(
            path + ".aliases[" + j + "]",
            String.format(
                "alias [%s] already exists in account %s, Region %s",
                alias, key.account, key.region));
      }
      realm
          .aliases()
          .put(alias, new AliasRecord(alias, key.keyId(), key.creationDate, key.creationDate));
    }
    if (aliases.size() > AliasOperations.MAX_ALIASES_PER_KEY) {
      throw new KmsSeedException(
          path + ".aliases", aliases.size() + " aliases; a key can have at most 50");
    }
  }

  private void imported(KmsKey key, @Nullable Instant validTo) {
    key.materialImported = true;
    key.expirationModel = validTo == null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES";
    key.validTo = validTo;
    if (validTo != null) {
      state.schedule(validTo, KmsState.Kind.EXPIRE_MATERIAL, key, null);
    }
  }

  private void lastUsed(KmsKey key, String operation, Instant at) {
    key.lastUsage.set(new LastUsage(operation, at, state.ids.uuid(), state.ids.uuid()));
  }

  private void grant(String path, KmsKey key, SeedGrant g) {
    Set<String> valid = KeySpecs.grantOperations(key.spec(), key.usage());
    for (String op : g.operations()) {
      if (!valid.contains(op)) {
        throw new KmsSeedException(
            path + ".operations",
            String.format(
                "grant operation [%s] is not valid for a %s %s key; valid operations: %s",
                op, key.spec(), key.usage(), valid));
      }
    }
    boolean constrained =
        !g.encryptionContextEquals().isEmpty() || !g.encryptionContextSubset().isEmpty();
    if (constrained && !KeySpecs.isSymmetric(key.spec())) {
      throw new KmsSeedException(
          path, "encryption context constraints apply only to symmetric encryption keys");
    }
    String id = g.grantId().orElseGet(() -> state.ids.hex(32));
    if (key.grants.containsKey(id)) {
      throw new KmsSeedException(path + ".grantId", "grant id [" + id + "] appears twice");
    }
    String issuing = g.issuingAccount().orElse(key.account.value());
    key.grants.put(
        id,
        new GrantRecord(
            id,
            state.nextSeq(),
            g.name().orElse(null),
            g.granteePrincipal(),
            null,
            g.retiringPrincipal().orElse(null),
            null,
            g.operations(),
            g.encryptionContextEquals(),
            g.encryptionContextSubset(),
            null,
            constrained,
            KmsState.rootArn(issuing, key.region),
            g.creationDate().orElse(key.creationDate)));
  }
}

package dev.kmsposture.snapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves the key references resources carry — key ids, key ARNs, alias names and alias ARNs,
 * sometimes of another account — to key ARNs with an account's aliases ({@code ListAliases}), and
 * says why when one cannot be resolved.
 *
 * <p>It works on data only: it never asks KMS. In particular it never calls {@code DescribeKey} on
 * a predefined {@code aws/*} alias — for an alias whose AWS managed key does not exist yet, that
 * call creates the key, and a scan is read-only. Such an alias stays unresolved, with that reason.
 *
 * <pre>{@code
 * KeyReferenceResolver resolver = KeyReferenceResolver.of(snapshot);
 * KeyReference ref = resolver.resolve("alias/prod-customer-pii", "eu-west-1");
 * ref.resolvedArn();  // arn:aws:kms:eu-west-1:111122223333:key/1234abcd-…
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyReferenceResolver {
  // A key id: a UUID, or mrk- and 32 hex digits for a multi-Region key (kms-facts: naive UUID
  // patterns reject multi-Region key ids).
  private static final Pattern KEY_ID =
      Pattern.compile(
          "(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}");

  private final String account;
  private final String partition;
  // "region alias/name" -> target key id ("" when the alias points at no key)
  private final Map<String, String> aliases;
  private final Set<String> listedRegions;
  private final Map<String, String> unlistedRegions;

  private KeyReferenceResolver(
      String account,
      String partition,
      List<AliasEntry> aliases,
      Set<String> listedRegions,
      Map<String, String> unlistedRegions) {
    this.account = Objects.requireNonNull(account, "account");
    this.partition = Objects.requireNonNull(partition, "partition");
    Map<String, String> index = new HashMap<>();
    for (AliasEntry a : aliases) {
      index.put(a.region() + " " + a.aliasName(), a.targetKeyId() == null ? "" : a.targetKeyId());
    }
    this.aliases = Map.copyOf(index);
    this.listedRegions = Set.copyOf(listedRegions);
    this.unlistedRegions = Map.copyOf(unlistedRegions);
  }

  /**
   * Returns a resolver for {@code account} with its {@code aliases}, listed in {@code
   * listedRegions}; {@code unlistedRegions} says, by Region, why aliases could not be listed there.
   */
  public static KeyReferenceResolver of(
      String account,
      String partition,
      List<AliasEntry> aliases,
      Set<String> listedRegions,
      Map<String, String> unlistedRegions) {
    return new KeyReferenceResolver(account, partition, aliases, listedRegions, unlistedRegions);
  }

  /**
   * Returns a resolver for the account of {@code snapshot}: its aliases, listed in its Regions,
   * except where a {@code ListAliases} collection error says the listing failed.
   */
  public static KeyReferenceResolver of(AccountSnapshot snapshot) {
    Map<String, String> failed = new HashMap<>();
    for (CollectionError e : snapshot.collectionErrors()) {
      if ("ListAliases".equals(e.operation()) && e.region() != null) {
        failed.put(e.region(), e.message());
      }
    }
    return new KeyReferenceResolver(
        snapshot.account(),
        snapshot.partition(),
        snapshot.aliases(),
        Set.copyOf(snapshot.regions()),
        failed);
  }

  /**
   * Resolves {@code written}, a reference a resource in {@code region} carries.
   *
   * @param written a key id, key ARN, alias name or alias ARN, as the service reported it
   * @param region the Region of the resource (where key ids and alias names are looked up)
   * @return the reference, resolved to a key ARN or with the reason it cannot be
   * @throws IllegalArgumentException if {@code written} is blank
   */
  public KeyReference resolve(String written, String region) {
    Objects.requireNonNull(written, "written");
    Objects.requireNonNull(region, "region");
    String w = written.strip();
    if (w.isEmpty()) {
      throw new IllegalArgumentException("key reference [] is blank; expected a key id or ARN");
    }
    if (w.startsWith("arn:")) {
      return resolveArn(written, w);
    }
    if (w.startsWith("alias/")) {
      return lookUp(written, region, w);
    }
    if (KEY_ID.matcher(w).matches()) {
      return KeyReference.resolved(written, keyArn(region, account, w.toLowerCase(Locale.ROOT)));
    }
    return KeyReference.unresolvable(
        written, "it is not a key id, key ARN, alias name or alias ARN");
  }

  /**
   * Resolves {@code written} as S3 reads a bucket's default encryption key: an alias name or a key
   * id is resolved by KMS in the account of each request's writer, which may not be the bucket's
   * account (S3 API Reference, {@code ServerSideEncryptionByDefault.KMSMasterKeyID}). It resolves
   * in this account, with that caveat.
   */
  public KeyReference resolveAsS3(String written, String region) {
    KeyReference ref = resolve(written, region);
    String w = written.strip();
    if (w.startsWith("arn:")) {
      return ref;
    }
    String caveat =
        "S3 resolves "
            + (w.startsWith("alias/") ? "an alias name" : "a key id")
            + " in the account of each object's writer: objects written from another account use"
            + " that account's key; use the key ARN in the bucket's default encryption";
    return ref.keyArn() != null
        ? KeyReference.resolved(written, ref.keyArn(), caveat)
        : KeyReference.unresolvable(written, ref.note() + "; " + caveat);
  }

  private KeyReference resolveArn(String written, String arn) {
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[2].equals("kms")) {
      return KeyReference.unresolvable(written, "it is an ARN, but not of a KMS key or alias");
    }
    String region = parts[3];
    String owner = parts[4];
    String resource = parts[5];
    if (resource.startsWith("key/")) {
      String id = resource.substring(4);
      if (!KEY_ID.matcher(id).matches()) {
        return KeyReference.unresolvable(written, "the key ARN's key id [" + id + "] is not valid");
      }
      if (!owner.equals(account)) {
        return KeyReference.resolved(
            written,
            arn,
            "a key of account "
                + owner
                + ", not in this account's snapshot: its state and policy"
                + " are not known here");
      }
      return KeyReference.resolved(written, arn);
    }
    if (resource.startsWith("alias/")) {
      if (!owner.equals(account)) {
        return KeyReference.unresolvable(
            written,
            "an alias of another account ("
                + owner
                + "): ListAliases covers only the caller's account and Region");
      }
      return lookUp(written, region, resource);
    }
    return KeyReference.unresolvable(
        written, "it is a KMS ARN, but names neither a key (key/…) nor an alias (alias/…)");
  }

  private KeyReference lookUp(String written, String region, String aliasName) {
    String target = aliases.get(region + " " + aliasName);
    boolean predefined = aliasName.startsWith("alias/aws/");
    if (target != null && !target.isEmpty()) {
      return KeyReference.resolved(written, keyArn(region, account, target));
    }
    if (target != null
        || (predefined && listedRegions.contains(region) && !unlistedRegions.containsKey(region))) {
      return KeyReference.unresolvable(
          written,
          "the predefined alias "
              + aliasName
              + " points at no key yet: AWS creates its AWS managed key when a service first uses"
              + " it (and kms-posture never calls DescribeKey on it, which would create the key)");
    }
    String why = unlistedRegions.get(region);
    if (why != null) {
      return KeyReference.unresolvable(
          written, "the aliases of " + region + " could not be listed: " + why);
    }
    if (!listedRegions.contains(region)) {
      return KeyReference.unresolvable(
          written, "the aliases of " + region + " were not listed (the Region was not scanned)");
    }
    return KeyReference.unresolvable(
        written,
        "there is no alias "
            + aliasName
            + " in "
            + region
            + " (it may have been deleted or renamed)");
  }

  private String keyArn(String region, String owner, String keyId) {
    return "arn:" + partition + ":kms:" + region + ":" + owner + ":key/" + keyId;
  }
}

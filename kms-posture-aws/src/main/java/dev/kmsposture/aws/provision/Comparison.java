package dev.kmsposture.aws.provision;

import dev.kmsposture.blueprint.Rotation;
import dev.kmsposture.leastprivilege.KeyKind;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyParseException;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.ProvisioningTags;
import dev.kmsposture.snapshot.RotationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A key as read back, compared property by property with what the blueprint wants: what matches,
 * what differs (and the calls that would converge it), what the key cannot become by any call (its
 * spec, its multi-Region nature, its state), and what the endpoint did not say ("not verifiable
 * here").
 */
final class Comparison {
  /** What the blueprint wants of one key (the primary, or a replica). */
  record Desired(
      String policy,
      String description,
      KeyKind kind,
      SortedMap<String, String> tags,
      String alias,
      Rotation rotation,
      boolean primary,
      boolean multiRegion,
      Set<String> replicaRegions) {
    Desired {
      Objects.requireNonNull(policy, "policy");
      tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
      replicaRegions = Set.copyOf(replicaRegions);
    }
  }

  final List<String> verified = new ArrayList<>();
  final List<String> differences = new ArrayList<>();
  final List<String> blockers = new ArrayList<>();
  final List<String> notVerifiable = new ArrayList<>();
  boolean policyDiffers;
  boolean descriptionDiffers;
  final SortedMap<String, String> tagsToSet = new TreeMap<>();
  final SortedSet<String> tagsToRemove = new TreeSet<>();
  boolean aliasMissing;
  @Nullable Rotation rotationChange;
  final SortedSet<String> missingReplicas = new TreeSet<>();
  final SortedSet<String> extraReplicas = new TreeSet<>();

  private Comparison() {}

  boolean matches() {
    return differences.isEmpty() && blockers.isEmpty();
  }

  static Comparison of(ObservedKey k, Desired d) {
    Comparison c = new Comparison();
    KeyMetadata m = k.metadata();
    String name = d.alias() + " (" + k.arn() + ")";
    // What no call can change.
    if (!m.keyManager().equals(KeyMetadata.UNKNOWN) && !m.isCustomerManaged()) {
      c.blockers.add(String.format("%s is an AWS managed key, not a customer managed key", name));
    }
    checkFixed(
        c, name, "key spec", m.keySpec(), d.kind().keySpec(), k.missing().contains("KeySpec"));
    checkFixed(
        c, name, "key usage", m.keyUsage(), d.kind().keyUsage(), k.missing().contains("KeyUsage"));
    if (m.keyState().equals(KeyMetadata.UNKNOWN)) {
      c.notVerifiable.add("key state: DescribeKey did not return KeyState or Enabled");
    } else if (!m.keyState().equals(KeyMetadata.ENABLED)) {
      c.blockers.add(
          String.format(
              "%s is %s, not Enabled; the provisioner does not enable, restore or re-create keys",
              name, m.keyState()));
    } else {
      c.verified.add("state Enabled");
    }
    if (!m.origin().equals(KeyMetadata.UNKNOWN)) {
      if (m.origin().equals("AWS_KMS")) {
        c.verified.add("origin AWS_KMS");
      } else {
        c.blockers.add(String.format("%s has key material from %s, not AWS_KMS", name, m.origin()));
      }
    } else {
      c.notVerifiable.add("origin: DescribeKey did not return Origin");
    }
    boolean isMulti = m.multiRegion() != null || k.arn().contains(":key/mrk-");
    if (isMulti != d.multiRegion()) {
      c.blockers.add(
          String.format(
              "%s is %s, but the blueprint wants a %s key; a key's multi-Region choice cannot"
                  + " change, so create a new key under another alias",
              name,
              isMulti ? "multi-Region" : "single-Region",
              d.multiRegion() ? "multi-Region" : "single-Region"));
    } else if (d.multiRegion() && m.multiRegion() != null) {
      String type = d.primary() ? "PRIMARY" : "REPLICA";
      if (!m.multiRegion().keyType().equals(type)) {
        c.blockers.add(
            String.format(
                "%s is a multi-Region %s, but the blueprint's key here is the %s",
                name, m.multiRegion().keyType(), type));
      } else if (d.primary()) {
        TreeSet<String> have = new TreeSet<>();
        m.multiRegion().replicaKeys().forEach(r -> have.add(r.region()));
        for (String r : d.replicaRegions()) {
          if (!have.contains(r)) {
            c.missingReplicas.add(r);
          }
        }
        for (String r : have) {
          if (!d.replicaRegions().contains(r)) {
            c.extraReplicas.add(r);
          }
        }
        if (c.missingReplicas.isEmpty()) {
          c.verified.add("replicas " + new TreeSet<>(d.replicaRegions()));
        } else {
          c.differences.add("replicas missing in " + c.missingReplicas);
        }
      }
    } else if (d.multiRegion()) {
      c.notVerifiable.add("multi-Region configuration: DescribeKey did not return it");
    }
    // What calls can change.
    if (k.missing().contains("Description") || m.description() == null) {
      c.notVerifiable.add("description: DescribeKey did not return it");
    } else if (m.description().equals(d.description())) {
      c.verified.add("description");
    } else {
      c.descriptionDiffers = true;
      c.differences.add(
          String.format("description is [%s], not [%s]", m.description(), d.description()));
    }
    comparePolicy(c, k, d);
    compareTags(c, k, d);
    if (k.aliases().contains(d.alias())) {
      c.verified.add("alias " + d.alias());
    } else {
      c.aliasMissing = true;
      c.differences.add("alias " + d.alias() + " does not point at the key");
    }
    if (d.primary() && Rotation.canRotate(d.kind())) {
      compareRotation(c, k.rotation(), d.rotation());
    }
    return c;
  }

  private static void checkFixed(
      Comparison c, String name, String what, String actual, String wanted, boolean missing) {
    if (missing || actual.equals(KeyMetadata.UNKNOWN)) {
      c.notVerifiable.add(what + ": DescribeKey did not return it");
    } else if (actual.equals(wanted)) {
      c.verified.add(what + " " + wanted);
    } else {
      c.blockers.add(
          String.format(
              "%s has %s %s, but the blueprint wants %s; a key's spec and usage cannot change,"
                  + " so choose another alias or create a new key",
              name, what, actual, wanted));
    }
  }

  private static void comparePolicy(Comparison c, ObservedKey k, Desired d) {
    String text = k.policy();
    if (text == null) {
      c.notVerifiable.add("key policy: GetKeyPolicy returned no policy");
      return;
    }
    KeyPolicy wanted = KeyPolicy.parse(d.policy());
    try {
      if (KeyPolicy.parse(text).isEquivalentTo(wanted)) {
        c.verified.add("key policy (by meaning)");
        return;
      }
    } catch (PolicyParseException e) {
      // an unreadable policy differs from the wanted one
    }
    c.policyDiffers = true;
    c.differences.add("key policy differs from the blueprint's");
  }

  private static void compareTags(Comparison c, ObservedKey k, Desired d) {
    Map<String, String> have = k.tags();
    for (Map.Entry<String, String> e : d.tags().entrySet()) {
      String v = have.get(e.getKey());
      if (!e.getValue().equals(v)) {
        c.tagsToSet.put(e.getKey(), e.getValue());
        c.differences.add(
            v == null
                ? String.format("tag %s is missing", e.getKey())
                : String.format("tag %s is [%s], not [%s]", e.getKey(), v, e.getValue()));
      }
    }
    for (String key : have.keySet()) {
      if (!d.tags().containsKey(key) && !ProvisioningTags.isReserved(key)) {
        c.tagsToRemove.add(key);
        c.differences.add(String.format("tag %s is not in the blueprint", key));
      }
    }
    if (c.tagsToSet.isEmpty() && c.tagsToRemove.isEmpty()) {
      c.verified.add("tags " + d.tags().keySet());
    }
  }

  private static void compareRotation(Comparison c, @Nullable RotationStatus r, Rotation wanted) {
    if (r == null) {
      c.notVerifiable.add("rotation: GetKeyRotationStatus did not return KeyRotationEnabled");
      return;
    }
    if (r.enabled() != wanted.enabled()) {
      c.rotationChange = wanted;
      c.differences.add(
          String.format(
              "automatic rotation is %s, not %s",
              r.enabled() ? "on" : "off", wanted.enabled() ? "on" : "off"));
      return;
    }
    if (!wanted.enabled()) {
      c.verified.add("rotation off");
      return;
    }
    Integer period = r.rotationPeriodInDays();
    if (period == null) {
      // Some KMS-compatible emulators leave RotationPeriodInDays out: neither verified nor failed.
      c.verified.add("rotation on");
      c.notVerifiable.add(
          "rotation period: GetKeyRotationStatus did not return RotationPeriodInDays");
    } else if (period != wanted.periodDays()) {
      c.rotationChange = wanted;
      c.differences.add(
          String.format("rotation period is %d days, not %d", period, wanted.periodDays()));
    } else {
      c.verified.add("rotation on every " + period + " days");
    }
  }
}

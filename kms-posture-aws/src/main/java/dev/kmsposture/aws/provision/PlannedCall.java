package dev.kmsposture.aws.provision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One KMS call of a {@link ProvisioningPlan}, with exactly the parameters it is sent with. Calls
 * are values: two plans are equal when they make the same calls, and {@code toString()} prints a
 * call as one line, such as {@code EnableKeyRotation [us-east-1] KeyId=<key created in us-east-1>
 * RotationPeriodInDays=365}.
 *
 * <p>Every planned call changes something; the reads a plan needs (to find an existing key and to
 * verify the result) are not planned calls.
 */
public sealed interface PlannedCall
    permits PlannedCall.CreateKey,
        PlannedCall.CreateAlias,
        PlannedCall.EnableKeyRotation,
        PlannedCall.DisableKeyRotation,
        PlannedCall.ReplicateKey,
        PlannedCall.PutKeyPolicy,
        PlannedCall.TagResource,
        PlannedCall.UntagResource,
        PlannedCall.UpdateKeyDescription {

  /** Returns the KMS operation, such as {@code CreateKey}. */
  String operation();

  /** Returns the Region the call is sent to. */
  String region();

  /** Returns the request parameters as sent, in the API's order, as printable text. */
  Map<String, String> parameters();

  /** Returns the key the call acts on; empty for {@code CreateKey}. */
  java.util.Optional<KeyRef> key();

  /** Returns the call as one line: operation, Region and parameters. */
  static String describe(PlannedCall call) {
    StringBuilder sb =
        new StringBuilder(call.operation()).append(" [").append(call.region()).append(']');
    call.parameters().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }

  private static String tagText(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static Map<String, String> ordered(String... keysAndValues) {
    LinkedHashMap<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  private static SortedMap<String, String> sorted(Map<String, String> tags) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(tags));
  }

  /**
   * {@code CreateKey}: never with {@code BypassPolicyLockoutSafetyCheck}; the tags include the
   * provisioning run tag.
   *
   * @param region the Region
   * @param policy the key policy (canonical JSON)
   * @param description the description
   * @param keySpec the key spec
   * @param keyUsage the key usage
   * @param multiRegion whether the key is a multi-Region primary
   * @param tags the tags
   */
  record CreateKey(
      String region,
      String policy,
      String description,
      String keySpec,
      String keyUsage,
      boolean multiRegion,
      SortedMap<String, String> tags)
      implements PlannedCall {
    /** Copies the tags. */
    public CreateKey {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(keySpec, "keySpec");
      Objects.requireNonNull(keyUsage, "keyUsage");
      tags = sorted(tags);
    }

    @Override
    public String operation() {
      return "CreateKey";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered(
          "Policy",
          policy,
          "Description",
          description,
          "KeyUsage",
          keyUsage,
          "KeySpec",
          keySpec,
          "Origin",
          "AWS_KMS",
          "BypassPolicyLockoutSafetyCheck",
          "false",
          "Tags",
          tagText(tags),
          "MultiRegion",
          Boolean.toString(multiRegion));
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.empty();
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  /**
   * {@code CreateAlias}.
   *
   * @param region the Region
   * @param aliasName the alias
   * @param target the key
   */
  record CreateAlias(String region, String aliasName, KeyRef target) implements PlannedCall {
    /** Checks for nulls. */
    public CreateAlias {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(aliasName, "aliasName");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String operation() {
      return "CreateAlias";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered("AliasName", aliasName, "TargetKeyId", target.toString());
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.of(target);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  /**
   * {@code EnableKeyRotation} with its period.
   *
   * @param region the Region
   * @param target the key (the primary of a multi-Region key)
   * @param periodDays the rotation period in days
   */
  record EnableKeyRotation(String region, KeyRef target, int periodDays) implements PlannedCall {
    /** Checks for nulls. */
    public EnableKeyRotation {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String operation() {
      return "EnableKeyRotation";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered(
          "KeyId", target.toString(), "RotationPeriodInDays", Integer.toString(periodDays));
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.of(target);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  /**
   * {@code DisableKeyRotation}.
   *
   * @param region the Region
   * @param target the key
   */
  record DisableKeyRotation(String region, KeyRef target) implements PlannedCall {
    /** Checks for nulls. */
    public DisableKeyRotation {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String operation() {
      return "DisableKeyRotation";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered("KeyId", target.toString());
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.of(target);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  /**
   * {@code ReplicateKey}, with the replica's policy, description and tags: without them a replica
   * gets the default key policy and no tags.
   *
   * @param region the primary's Region (where the call is sent)
   * @param primary the primary key
   * @param replicaRegion the replica's Region
   * @param policy the replica's key policy
   * @param description the replica's description
   * @param tags the replica's tags
   */
  record ReplicateKey(
      String region,
      KeyRef primary,
      String replicaRegion,
      String policy,
      String description,
      SortedMap<String, String> tags)
      implements PlannedCall {
    /** Copies the tags. */
    public ReplicateKey {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(primary, "primary");
      Objects.requireNonNull(replicaRegion, "replicaRegion");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(description, "description");
      tags = sorted(tags);
    }

    @Override
    public String operation() {
      return "ReplicateKey";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered(
          "KeyId",
          primary.toString(),
          "ReplicaRegion",
          replicaRegion,
          "Policy",
          policy,
          "BypassPolicyLockoutSafetyCheck",
          "false",
          "Description",
          description,
          "Tags",
          tagText(tags));
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.of(primary);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  /**
   * {@code PutKeyPolicy} with {@code PolicyName=default}.
   *
   * @param region the Region
   * @param target the key
   * @param policy the new policy
   */
  record PutKeyPolicy(String region, KeyRef target, String policy) implements PlannedCall {
    /** Checks for nulls. */
    public PutKeyPolicy {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String operation() {
      return "PutKeyPolicy";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered(
          "KeyId",
          target.toString(),
          "PolicyName",
          "default",
          "Policy",
          policy,
          "BypassPolicyLockoutSafetyCheck",
          "false");
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.of(target);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  /**
   * {@code TagResource}: adds or replaces tags.
   *
   * @param region the Region
   * @param target the key
   * @param tags the tags to set
   */
  record TagResource(String region, KeyRef target, SortedMap<String, String> tags)
      implements PlannedCall {
    /** Copies the tags. */
    public TagResource {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(target, "target");
      tags = sorted(tags);
    }

    @Override
    public String operation() {
      return "TagResource";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered("KeyId", target.toString(), "Tags", tagText(tags));
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.of(target);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  /**
   * {@code UntagResource}: removes tags the blueprint does not have.
   *
   * @param region the Region
   * @param target the key
   * @param tagKeys the tag keys to remove
   */
  record UntagResource(String region, KeyRef target, SortedSet<String> tagKeys)
      implements PlannedCall {
    /** Copies the keys. */
    public UntagResource {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(target, "target");
      tagKeys = Collections.unmodifiableSortedSet(new TreeSet<>(tagKeys));
    }

    @Override
    public String operation() {
      return "UntagResource";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered("KeyId", target.toString(), "TagKeys", List.copyOf(tagKeys).toString());
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.of(target);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  /**
   * {@code UpdateKeyDescription}.
   *
   * @param region the Region
   * @param target the key
   * @param description the new description
   */
  record UpdateKeyDescription(String region, KeyRef target, String description)
      implements PlannedCall {
    /** Checks for nulls. */
    public UpdateKeyDescription {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(description, "description");
    }

    @Override
    public String operation() {
      return "UpdateKeyDescription";
    }

    @Override
    public Map<String, String> parameters() {
      return ordered("KeyId", target.toString(), "Description", description);
    }

    @Override
    public java.util.Optional<KeyRef> key() {
      return java.util.Optional.of(target);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }
}

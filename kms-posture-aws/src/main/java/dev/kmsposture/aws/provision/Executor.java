package dev.kmsposture.aws.provision;

import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.blueprint.MultiRegion;
import dev.kmsposture.blueprint.Rotation;
import dev.kmsposture.snapshot.ProvisioningTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;
import software.amazon.awssdk.services.kms.model.ReplicateKeyResponse;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Carries out a {@link ProvisioningPlan}: makes its calls in order, waits out KMS's eventual
 * consistency after {@code CreateKey} and {@code ReplicateKey}, verifies every property by reading
 * the key back, and after any failure cleans up what the run created.
 */
final class Executor {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  private final Settings s;
  private final ProvisioningPlan plan;
  // Keys the run created, by Region (the primary in the plan's Region).
  private final Map<String, String> created = new LinkedHashMap<>();
  // Regions where a call that creates a key was sent: a lost answer may hide a key there.
  private final Set<String> sentCreate = new LinkedHashSet<>();
  private final List<PlannedCall> completed = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean createWasRetried;

  Executor(Settings settings, ProvisioningPlan plan) {
    this.s = settings;
    this.plan = plan;
  }

  ProvisionedKey apply() {
    PlannedCall current = null;
    try {
      for (PlannedCall call : plan.calls()) {
        current = call;
        execute(call);
        completed.add(call);
      }
      current = null;
      Verification v = verify();
      if (createWasRetried) {
        retireDuplicates();
      }
      return result(v);
    } catch (RuntimeException e) {
      throw fail(current, e);
    }
  }

  // ---------------------------------------------------------------- calls

  private void execute(PlannedCall call) {
    if (call instanceof PlannedCall.CreateKey k) {
      created.put(k.region(), createKey(k));
    } else if (call instanceof PlannedCall.CreateAlias a) {
      createAlias(a);
    } else if (call instanceof PlannedCall.EnableKeyRotation r) {
      String arn = arn(r.target());
      consistent(
          () ->
              s.kms(r.region())
                  .enableKeyRotation(x -> x.keyId(arn).rotationPeriodInDays(r.periodDays())));
    } else if (call instanceof PlannedCall.DisableKeyRotation r) {
      String arn = arn(r.target());
      consistent(() -> s.kms(r.region()).disableKeyRotation(x -> x.keyId(arn)));
    } else if (call instanceof PlannedCall.ReplicateKey r) {
      created.put(r.replicaRegion(), replicate(r));
    } else if (call instanceof PlannedCall.PutKeyPolicy p) {
      String arn = arn(p.target());
      consistent(
          () ->
              s.kms(p.region())
                  .putKeyPolicy(
                      x ->
                          x.keyId(arn)
                              .policyName("default")
                              .policy(p.policy())
                              .bypassPolicyLockoutSafetyCheck(false)));
    } else if (call instanceof PlannedCall.TagResource t) {
      String arn = arn(t.target());
      consistent(() -> s.kms(t.region()).tagResource(x -> x.keyId(arn).tags(tags(t.tags()))));
    } else if (call instanceof PlannedCall.UntagResource u) {
      String arn = arn(u.target());
      consistent(() -> s.kms(u.region()).untagResource(x -> x.keyId(arn).tagKeys(u.tagKeys())));
    } else if (call instanceof PlannedCall.UpdateKeyDescription d) {
      String arn = arn(d.target());
      consistent(
          () ->
              s.kms(d.region())
                  .updateKeyDescription(x -> x.keyId(arn).description(d.description())));
    } else {
      throw new IllegalStateException("bug in kms-posture: unhandled call " + call.operation());
    }
  }

  private String arn(KeyRef ref) {
    if (!ref.isCreated()) {
      return ref.arn();
    }
    String arn = created.get(ref.createdIn());
    if (arn == null) {
      throw new IllegalStateException(
          "bug in kms-posture: no key was created in " + ref.createdIn() + " before it was used");
    }
    return arn;
  }

  /**
   * CreateKey without the SDK's retries (it has no idempotency token): after a failure that may
   * hide a created key, the run's tag finds it (the key is adopted) before another attempt.
   */
  private String createKey(PlannedCall.CreateKey k) {
    KmsClient kms = s.kms(k.region());
    Duration wait = s.pollInterval();
    SdkException last = null;
    for (int attempt = 1; attempt <= s.createKeyAttempts(); attempt++) {
      sentCreate.add(k.region());
      try {
        CreateKeyResponse r =
            kms.createKey(
                x ->
                    x.policy(k.policy())
                        .description(k.description())
                        .keySpec(k.keySpec())
                        .keyUsage(k.keyUsage())
                        .origin("AWS_KMS")
                        .multiRegion(k.multiRegion())
                        .bypassPolicyLockoutSafetyCheck(false)
                        .tags(tags(k.tags()))
                        .overrideConfiguration(KmsCalls.noRetries()));
        String arn = r.keyMetadata().arn();
        awaitUsable(kms, arn);
        return arn;
      } catch (SdkException e) {
        last = e;
        if (!KmsCalls.isTransient(e)) {
          throw e;
        }
        if (KmsCalls.mayHaveCommitted(e)) {
          createWasRetried = true;
          List<String> found = sweepQuietly(k.region());
          if (!found.isEmpty()) {
            String arn = found.get(0);
            LOG.info(
                "CreateKey failed ({}) but created key {} of run {}; using it",
                KmsCalls.reason(e),
                arn,
                plan.runId());
            warnings.add(
                String.format(
                    "CreateKey failed (%s) after creating the key; the run tag found it and the"
                        + " provisioner used it",
                    KmsCalls.reason(e)));
            awaitUsable(kms, arn);
            return arn;
          }
        }
        if (attempt < s.createKeyAttempts()) {
          KmsCalls.sleep(s.sleeper(), wait);
          wait = KmsCalls.min(wait.multipliedBy(2), Duration.ofSeconds(10));
        }
      }
    }
    throw Objects.requireNonNull(last);
  }

  private List<String> sweepQuietly(String region) {
    try {
      return new Cleanup(s, plan.runId()).sweep(region);
    } catch (SdkException e) {
      return List.of();
    }
  }

  private String replicate(PlannedCall.ReplicateKey r) {
    KmsClient primary = s.kms(r.region());
    String primaryArn = arn(r.primary());
    sentCreate.add(r.replicaRegion());
    String arn;
    try {
      ReplicateKeyResponse resp =
          consistent(
              () ->
                  primary.replicateKey(
                      x ->
                          x.keyId(primaryArn)
                              .replicaRegion(r.replicaRegion())
                              .policy(r.policy())
                              .bypassPolicyLockoutSafetyCheck(false)
                              .description(r.description())
                              .tags(tags(r.tags()))));
      arn = resp.replicaKeyMetadata().arn();
    } catch (AlreadyExistsException e) {
      // A retried ReplicateKey whose first attempt succeeded: adopt the replica if this run made
      // it.
      arn = existingReplica(primary, primaryArn, r.replicaRegion());
      String run = ObservedKey.tags(s.kms(r.replicaRegion()), arn).get(ProvisioningTags.RUN);
      if (!plan.runId().equals(run)) {
        throw e;
      }
      warnings.add(
          String.format(
              "ReplicateKey to %s was answered AlreadyExists after creating the replica; the run"
                  + " tag identified it",
              r.replicaRegion()));
    }
    awaitUsable(s.kms(r.replicaRegion()), arn);
    return arn;
  }

  private String existingReplica(KmsClient primary, String primaryArn, String region) {
    KeyMetadata m = primary.describeKey(x -> x.keyId(primaryArn)).keyMetadata();
    if (m.multiRegionConfiguration() != null && m.multiRegionConfiguration().hasReplicaKeys()) {
      for (MultiRegionKey k : m.multiRegionConfiguration().replicaKeys()) {
        if (region.equals(k.region())) {
          return k.arn();
        }
      }
    }
    throw new IllegalStateException(
        String.format("KMS says a replica exists in %s but the primary does not list it", region));
  }

  private void createAlias(PlannedCall.CreateAlias a) {
    KmsClient kms = s.kms(a.region());
    String arn = arn(a.target());
    try {
      consistent(() -> kms.createAlias(x -> x.aliasName(a.aliasName()).targetKeyId(arn)));
    } catch (AlreadyExistsException e) {
      // A retried CreateAlias whose first attempt succeeded, or an alias made since the plan.
      String target = ObservedKey.aliasTarget(kms, a.aliasName()).orElse("");
      if (!target.isEmpty() && (arn.endsWith("/" + target) || arn.equals(target))) {
        return;
      }
      throw e;
    }
  }

  /** Waits until a new key or replica is visible and no longer {@code Creating}. */
  private void awaitUsable(KmsClient kms, String arn) {
    long deadline = System.nanoTime() + s.consistencyTimeout().toNanos();
    Duration wait = s.pollInterval();
    while (true) {
      KeyMetadata m = consistent(() -> kms.describeKey(x -> x.keyId(arn)).keyMetadata());
      String state = m.keyStateAsString();
      if (!"Creating".equals(state)) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException(
            String.format("key %s was still Creating after %s", arn, s.consistencyTimeout()));
      }
      KmsCalls.sleep(s.sleeper(), wait);
      wait = KmsCalls.min(wait.multipliedBy(2), Duration.ofSeconds(5));
    }
  }

  private <T> T consistent(java.util.function.Supplier<T> call) {
    return KmsCalls.untilConsistent(call, s.consistencyTimeout(), s.pollInterval(), s.sleeper());
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().tagKey(e.getKey()).tagValue(e.getValue()).build())
        .collect(Collectors.toList());
  }

  // ---------------------------------------------------------------- verification

  /** What verification found, per key. */
  record Verification(List<String> verified, List<String> notVerifiable) {}

  private Verification verify() {
    KeyBlueprint b = plan.blueprint();
    String region = plan.region();
    String primaryArn = plan.existingKeyArn().orElseGet(() -> created.get(region));
    if (primaryArn == null) {
      throw new IllegalStateException("bug in kms-posture: no key to verify");
    }
    List<String> replicas = b.multiRegion().map(MultiRegion::replicas).orElse(List.of());
    SortedMap<String, String> keyTags = b.keyTags(s.config().multiRegionJustificationTag());
    long deadline = System.nanoTime() + s.verificationTimeout().toNanos();
    Duration wait = s.pollInterval();
    while (true) {
      List<String> verified = new ArrayList<>();
      List<String> notVerifiable = new ArrayList<>();
      List<String> differences = new ArrayList<>();
      RuntimeException readFailure = null;
      try {
        compare(primaryArn, region, true, replicas, keyTags, verified, notVerifiable, differences);
        for (String r : replicas) {
          String arn = replicaArn(r);
          compare(arn, r, false, replicas, keyTags, verified, notVerifiable, differences);
        }
      } catch (SdkException e) {
        if (!KmsCalls.isTransient(e) && !KmsCalls.isNotYetConsistent(e)) {
          throw e;
        }
        readFailure = e;
      }
      if (readFailure == null && differences.isEmpty()) {
        return new Verification(verified, notVerifiable);
      }
      if (System.nanoTime() - deadline >= 0) {
        if (readFailure != null) {
          throw readFailure;
        }
        throw new VerificationFailure(
            String.format(
                "the key read back does not match the blueprint after %s: %s",
                s.verificationTimeout(), String.join("; ", differences)));
      }
      KmsCalls.sleep(s.sleeper(), wait);
      wait = KmsCalls.min(wait.multipliedBy(2), Duration.ofSeconds(5));
    }
  }

  private String replicaArn(String region) {
    String arn = created.get(region);
    if (arn != null) {
      return arn;
    }
    arn = plan.existingReplicas().get(region);
    if (arn == null) {
      throw new IllegalStateException("bug in kms-posture: no replica in " + region + " to verify");
    }
    return arn;
  }

  private void compare(
      String arn,
      String region,
      boolean primary,
      List<String> replicas,
      SortedMap<String, String> keyTags,
      List<String> verified,
      List<String> notVerifiable,
      List<String> differences) {
    KeyBlueprint b = plan.blueprint();
    ObservedKey k =
        ObservedKey.read(s.kms(region), region, arn, primary && Rotation.canRotate(b.keyKind()));
    Comparison c = Comparison.of(k, Planner.desired(b, plan.policy(), keyTags, primary, replicas));
    String prefix = primary ? "" : "replica in " + region + ": ";
    c.verified.forEach(v -> verified.add(prefix + v));
    c.notVerifiable.forEach(v -> notVerifiable.add(prefix + v + " (not verifiable here)"));
    c.blockers.forEach(x -> differences.add(prefix + x));
    c.differences.forEach(x -> differences.add(prefix + x));
    if (created.containsValue(arn)) {
      if (plan.runId().equals(k.tags().get(ProvisioningTags.RUN))) {
        verified.add(prefix + "run tag " + plan.runId());
      } else {
        differences.add(prefix + "run tag " + ProvisioningTags.RUN + " is missing");
      }
    }
  }

  /** A read-back that never matched the blueprint. */
  static final class VerificationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    VerificationFailure(String message) {
      super(message);
    }
  }

  // A CreateKey that failed after creating a key and was then tried again may have left a second
  // key with the run tag: retire every run-tagged key that is not the one the run kept.
  private void retireDuplicates() {
    Cleanup cleanup = new Cleanup(s, plan.runId());
    Set<String> keep = new TreeSet<>(created.values());
    for (String region : sentCreate) {
      List<String> found;
      try {
        found = cleanup.sweep(region);
      } catch (SdkException e) {
        warnings.add(
            String.format(
                "could not sweep %s for a second key of run %s (%s); look for keys tagged %s=%s",
                region, plan.runId(), KmsCalls.reason(e), ProvisioningTags.RUN, plan.runId()));
        continue;
      }
      Map<String, Set<String>> extra = new TreeMap<>();
      for (String arn : found) {
        if (!keep.contains(arn)) {
          extra.computeIfAbsent(region, r -> new TreeSet<>()).add(arn);
        }
      }
      if (!extra.isEmpty()) {
        for (LeftoverKey k : cleanup.run(extra, Set.of(), plan.region())) {
          warnings.add("a second key of this run was retired: " + k);
        }
      }
    }
  }

  // ---------------------------------------------------------------- outcome

  private ProvisionedKey result(Verification v) {
    String region = plan.region();
    String arn = plan.existingKeyArn().orElseGet(() -> created.get(region));
    SortedMap<String, String> replicas = new TreeMap<>(plan.existingReplicas());
    created.forEach(
        (r, a) -> {
          if (!r.equals(region)) {
            replicas.put(r, a);
          }
        });
    List<String> w = new ArrayList<>(warnings);
    w.addAll(v.notVerifiable());
    return new ProvisionedKey(
        Objects.requireNonNull(arn),
        plan,
        replicas,
        plan.existingKeyArn().isEmpty(),
        completed,
        v.verified(),
        w);
  }

  private ProvisioningException fail(@Nullable PlannedCall current, RuntimeException e) {
    String step =
        current == null ? "verification" : current.operation() + " [" + current.region() + "]";
    String why = e instanceof SdkException ? KmsCalls.reason(e) : String.valueOf(e.getMessage());
    List<LeftoverKey> leftovers = List.of();
    List<String> problems = List.of();
    Set<String> sweep = new LinkedHashSet<>(sentCreate);
    if (!sweep.isEmpty() || !created.isEmpty()) {
      Cleanup cleanup = new Cleanup(s, plan.runId());
      Map<String, Set<String>> known = new LinkedHashMap<>();
      created.forEach((r, a) -> known.computeIfAbsent(r, x -> new TreeSet<>()).add(a));
      // An existing key is never retired, even when the run changed it.
      plan.existingKeyArn().ifPresent(a -> known.values().forEach(set -> set.remove(a)));
      leftovers = cleanup.run(known, sweep, plan.region());
      leftovers =
          leftovers.stream()
              .filter(l -> plan.existingKeyArn().map(a -> !a.equals(l.arn())).orElse(true))
              .toList();
      problems = cleanup.problems;
    }
    StringBuilder m = new StringBuilder();
    m.append(
        String.format(
            "provisioning %s (run %s) failed at %s: %s",
            plan.blueprint().alias(), plan.runId(), step, why));
    m.append(
        completed.isEmpty()
            ? "; no call had succeeded"
            : "; calls that succeeded: "
                + completed.stream()
                    .map(c -> c.operation() + " [" + c.region() + "]")
                    .collect(Collectors.joining(", ")));
    plan.existingKeyArn()
        .ifPresent(
            a ->
                m.append("; the existing key ")
                    .append(a)
                    .append(" was not retired and is as the calls that succeeded left it"));
    if (leftovers.isEmpty()) {
      m.append(
          sweep.isEmpty()
              ? ""
              : "; no key of this run was found (swept " + String.join(", ", sweep) + ")");
    } else {
      m.append("; keys of this run: ");
      m.append(leftovers.stream().map(LeftoverKey::toString).collect(Collectors.joining(" | ")));
    }
    if (!problems.isEmpty()) {
      m.append("; clean-up problems: ").append(String.join("; ", problems));
    }
    return new ProvisioningException(m.toString(), step, completed, leftovers, problems, e);
  }
}

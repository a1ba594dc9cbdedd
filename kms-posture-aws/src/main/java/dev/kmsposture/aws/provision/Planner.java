package dev.kmsposture.aws.provision;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.blueprint.BlueprintContext;
import dev.kmsposture.blueprint.BlueprintValidation;
import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.blueprint.MultiRegion;
import dev.kmsposture.blueprint.Rotation;
import dev.kmsposture.leastprivilege.BuilderFinding;
import dev.kmsposture.leastprivilege.InsecurePolicyException;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.snapshot.ProvisioningTags;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Makes a {@link ProvisioningPlan}: reads, validates, lists the calls, checks the caller. */
final class Planner {
  // What verification reads, and what clean-up after a failure calls, on every key the plan makes.
  private static final List<KmsAction> VERIFY =
      List.of(KmsAction.DESCRIBE_KEY, KmsAction.GET_KEY_POLICY, KmsAction.LIST_RESOURCE_TAGS);
  private static final List<KmsAction> CLEANUP =
      List.of(KmsAction.TAG_RESOURCE, KmsAction.DISABLE_KEY, KmsAction.SCHEDULE_KEY_DELETION);

  private final Settings s;

  Planner(Settings settings) {
    this.s = settings;
  }

  private record Caller(String arn, String source, AccountId account, String partition) {}

  ProvisioningPlan plan(KeyBlueprint blueprint) {
    String region = s.region();
    Caller caller = caller();
    Optional<ObservedKey> existing = existing(blueprint, region);
    List<String> notes = new ArrayList<>();
    List<String> extraAdmins = new ArrayList<>();
    String runId = s.runIds().get();
    for (int round = 0; ; round++) {
      BlueprintValidation validation = validate(blueprint, caller, region, extraAdmins, notes);
      Built built = calls(blueprint, validation, region, runId, existing, notes);
      List<String> missing = new ArrayList<>();
      List<String> checked = new ArrayList<>();
      List<String> onIam = new ArrayList<>();
      checkCaller(blueprint, validation, built, caller, region, existing, missing, checked, onIam);
      if (missing.isEmpty()) {
        if (!onIam.isEmpty()) {
          notes.add(
              "the key policy delegates "
                  + String.join(", ", onIam)
                  + " to the account's IAM policies; the caller's IAM policies must allow them");
        }
        return new ProvisioningPlan(
            blueprint,
            validation,
            caller.arn(),
            caller.source(),
            caller.account(),
            caller.partition(),
            region,
            runId,
            existing.map(ObservedKey::arn).orElse(null),
            built.existingReplicas,
            built.calls,
            verification(blueprint),
            checked,
            iamActions(built),
            built.notes);
      }
      if (round == 0 && s.addCallerAsAdministrator()) {
        String admin = administratorArn(caller.arn());
        extraAdmins.add(admin);
        notes.add(
            String.format(
                "the caller was added as a named administrator (%s) because the blueprint's policy"
                    + " did not let it make %s",
                admin, String.join(", ", missing)));
        continue;
      }
      throw new ProvisioningPlanException(
          String.format(
              "the key policy of %s would not let the caller [%s] make %s; the plan needs them for"
                  + " its calls, their verification and the clean-up after a failure, and KMS's"
                  + " lockout check needs PutKeyPolicy. Name the caller an administrator in the"
                  + " blueprint's policy, let the provisioner add it (addCallerAsAdministrator), or"
                  + " run the plan as a principal the policy names",
              blueprint.alias(), caller.arn(), String.join(", ", missing)));
    }
  }

  private Caller caller() {
    String given = s.caller();
    if (given != null) {
      Arn arn =
          Arn.tryParse(given)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          String.format(
                              "caller [%s] is not an ARN; expected the role, user or assumed-role"
                                  + " session that will run the plan",
                              given)));
      return new Caller(given, "given", AccountId.of(arn.account()), arn.partition());
    }
    if (s.sts() == null) {
      throw new IllegalStateException(
          "the provisioner needs the caller's ARN: give an STS client"
              + " (KeyProvisioner.using(kms, sts)) or the caller (builder().caller(arn))");
    }
    GetCallerIdentityResponse id;
    try {
      id = s.sts().getCallerIdentity();
    } catch (SdkException e) {
      throw new ProvisioningPlanException(
          "cannot tell who the caller is: STS GetCallerIdentity failed: " + KmsCalls.reason(e), e);
    }
    Arn arn = Arn.parse(id.arn());
    return new Caller(
        id.arn(), "STS GetCallerIdentity", AccountId.of(id.account()), arn.partition());
  }

  private Optional<ObservedKey> existing(KeyBlueprint blueprint, String region) {
    String alias = blueprint.alias().value();
    try {
      Optional<String> target = ObservedKey.aliasTarget(s.kms(), alias);
      if (target.isEmpty()) {
        return Optional.empty();
      }
      if (target.get().isEmpty()) {
        throw new ProvisioningPlanException(
            String.format("alias %s exists in %s but points at no key", alias, region));
      }
      return Optional.of(
          ObservedKey.read(s.kms(), region, target.get(), Rotation.canRotate(blueprint.keyKind())));
    } catch (SdkException e) {
      throw new ProvisioningPlanException(
          String.format(
              "cannot read whether %s exists in %s: %s", alias, region, KmsCalls.reason(e)),
          e);
    }
  }

  private BlueprintValidation validate(
      KeyBlueprint blueprint,
      Caller caller,
      String region,
      List<String> extraAdmins,
      List<String> notes) {
    return validate(blueprint, caller, region, extraAdmins, notes, true);
  }

  private BlueprintValidation validate(
      KeyBlueprint blueprint,
      Caller caller,
      String region,
      List<String> extraAdmins,
      List<String> notes,
      boolean builderChecksCaller) {
    BlueprintContext.Builder ctx =
        BlueprintContext.builder(caller.account(), region)
            .partition(caller.partition())
            .config(s.config())
            .blockingSeverity(s.blockingSeverity())
            .now(s.clock().instant());
    if (builderChecksCaller) {
      ctx.caller(caller.arn());
    }
    extraAdmins.forEach(ctx::addAdministrator);
    try {
      return blueprint.validate(ctx.build()).requirePassed();
    } catch (InsecurePolicyException e) {
      boolean lockedOut =
          e.blockingFindings().stream()
              .anyMatch(f -> f.code() == BuilderFinding.Code.CALLER_LOCKED_OUT);
      if (lockedOut && s.addCallerAsAdministrator() && extraAdmins.isEmpty()) {
        String admin = administratorArn(caller.arn());
        extraAdmins.add(admin);
        notes.add(
            String.format(
                "the caller was added as a named administrator (%s): under the blueprint's policy"
                    + " it could not call PutKeyPolicy again (KMS's lockout check)",
                admin));
        return validate(blueprint, caller, region, extraAdmins, notes, true);
      }
      if (lockedOut && builderChecksCaller) {
        // The builder names only PutKeyPolicy; without its check, checkCaller names every action
        // of the plan, its verification and its clean-up that the caller would miss.
        return validate(blueprint, caller, region, extraAdmins, notes, false);
      }
      throw e;
    }
  }

  /** The administrator ARN for a caller: an assumed-role session's role, a user or role as is. */
  static String administratorArn(String caller) {
    Arn arn = Arn.parse(caller);
    String res = arn.resource();
    if (arn.service().equals("sts") && res.startsWith("assumed-role/")) {
      String role = res.substring("assumed-role/".length());
      int slash = role.indexOf('/');
      // A session ARN drops the role's path; the role ARN here assumes the path "/". Give the
      // provisioner the role ARN (caller(...), --caller) when the role has a path.
      return "arn:"
          + arn.partition()
          + ":iam::"
          + arn.account()
          + ":role/"
          + (slash < 0 ? role : role.substring(0, slash));
    }
    if (arn.service().equals("iam") && (res.startsWith("role/") || res.startsWith("user/"))) {
      return caller;
    }
    throw new ProvisioningPlanException(
        String.format(
            "caller [%s] cannot be named a key administrator; only IAM roles, users and"
                + " assumed-role sessions can — run the plan as one",
            caller));
  }

  /** The calls of a plan and what planning them found. */
  private static final class Built {
    final List<PlannedCall> calls = new ArrayList<>();
    final SortedMap<String, String> existingReplicas = new TreeMap<>();
    final List<String> notes = new ArrayList<>();
    boolean putsPolicyOnExisting;
  }

  private Built calls(
      KeyBlueprint b,
      BlueprintValidation validation,
      String region,
      String runId,
      Optional<ObservedKey> existing,
      List<String> notes) {
    Built built = new Built();
    built.notes.addAll(notes);
    String policy = validation.policy().toJson();
    SortedMap<String, String> keyTags = b.keyTags(s.config().multiRegionJustificationTag());
    TreeMap<String, String> createTags = new TreeMap<>(keyTags);
    createTags.put(ProvisioningTags.RUN, runId);
    List<String> replicas = b.multiRegion().map(MultiRegion::replicas).orElse(List.of());
    for (String r : replicas) {
      if (r.equals(region)) {
        throw new ProvisioningPlanException(
            String.format(
                "%s lists its own Region [%s] as a replica Region; replicas go to other Regions",
                b.alias(), r));
      }
    }
    if (existing.isEmpty()) {
      KeyRef key = KeyRef.created(region);
      built.calls.add(
          new PlannedCall.CreateKey(
              region,
              policy,
              b.description(),
              b.keyKind().keySpec(),
              b.keyKind().keyUsage(),
              b.multiRegion().isPresent(),
              createTags));
      built.calls.add(new PlannedCall.CreateAlias(region, b.alias().value(), key));
      if (b.rotation().enabled()) {
        built.calls.add(new PlannedCall.EnableKeyRotation(region, key, b.rotation().periodDays()));
      }
      for (String r : replicas) {
        built.calls.add(
            new PlannedCall.ReplicateKey(region, key, r, policy, b.description(), createTags));
        built.calls.add(new PlannedCall.CreateAlias(r, b.alias().value(), KeyRef.created(r)));
      }
      return built;
    }
    ObservedKey key = existing.get();
    Comparison c = Comparison.of(key, desired(b, policy, keyTags, true, replicas));
    if (!c.blockers.isEmpty()) {
      throw new ProvisioningPlanException(
          String.format(
              "the alias %s already exists and its key cannot be made to match the blueprint: %s",
              b.alias(), String.join("; ", c.blockers)));
    }
    KeyRef ref = KeyRef.existing(key.arn());
    converge(built, c, region, ref, b, policy);
    built.putsPolicyOnExisting = c.policyDiffers;
    if (c.rotationChange != null) {
      built.calls.add(
          c.rotationChange.enabled()
              ? new PlannedCall.EnableKeyRotation(region, ref, c.rotationChange.periodDays())
              : new PlannedCall.DisableKeyRotation(region, ref));
    }
    for (String extra : c.extraReplicas) {
      built.notes.add(
          String.format(
              "the key has a replica in %s that the blueprint does not list; the provisioner"
                  + " does not delete replicas (retire it with KeyRetirement)",
              extra));
    }
    var mr = key.metadata().multiRegion();
    for (String r : replicas) {
      if (c.missingReplicas.contains(r)) {
        built.calls.add(
            new PlannedCall.ReplicateKey(region, ref, r, policy, b.description(), createTags));
        built.calls.add(new PlannedCall.CreateAlias(r, b.alias().value(), KeyRef.created(r)));
        continue;
      }
      String replicaArn =
          mr == null
              ? ""
              : mr.replicaKeys().stream()
                  .filter(k -> k.region().equals(r))
                  .map(k -> k.arn())
                  .findFirst()
                  .orElse("");
      if (replicaArn.isEmpty()) {
        continue;
      }
      built.existingReplicas.put(r, replicaArn);
      ObservedKey replica;
      try {
        replica = ObservedKey.read(s.kms(r), r, replicaArn, false);
      } catch (SdkException e) {
        throw new ProvisioningPlanException(
            String.format(
                "cannot read the replica of %s in %s (%s): %s",
                b.alias(), r, replicaArn, KmsCalls.reason(e)),
            e);
      }
      Comparison rc = Comparison.of(replica, desired(b, policy, keyTags, false, replicas));
      if (!rc.blockers.isEmpty()) {
        throw new ProvisioningPlanException(
            String.format(
                "the replica of %s in %s cannot be made to match the blueprint: %s",
                b.alias(), r, String.join("; ", rc.blockers)));
      }
      converge(built, rc, r, KeyRef.existing(replicaArn), b, policy);
      if (rc.aliasMissing) {
        built.calls.add(
            new PlannedCall.CreateAlias(r, b.alias().value(), KeyRef.existing(replicaArn)));
      }
    }
    return built;
  }

  private static void converge(
      Built built, Comparison c, String region, KeyRef ref, KeyBlueprint b, String policy) {
    // The policy first: later calls may need what it grants.
    if (c.policyDiffers) {
      built.calls.add(new PlannedCall.PutKeyPolicy(region, ref, policy));
    }
    if (c.descriptionDiffers) {
      built.calls.add(new PlannedCall.UpdateKeyDescription(region, ref, b.description()));
    }
    if (!c.tagsToSet.isEmpty()) {
      built.calls.add(new PlannedCall.TagResource(region, ref, c.tagsToSet));
    }
    if (!c.tagsToRemove.isEmpty()) {
      built.calls.add(new PlannedCall.UntagResource(region, ref, c.tagsToRemove));
    }
  }

  static Comparison.Desired desired(
      KeyBlueprint b,
      String policy,
      SortedMap<String, String> keyTags,
      boolean primary,
      List<String> replicas) {
    return new Comparison.Desired(
        policy,
        b.description(),
        b.keyKind(),
        keyTags,
        b.alias().value(),
        b.rotation(),
        primary,
        b.multiRegion().isPresent(),
        Set.copyOf(replicas));
  }

  private void checkCaller(
      KeyBlueprint b,
      BlueprintValidation validation,
      Built built,
      Caller caller,
      String region,
      Optional<ObservedKey> existing,
      List<String> missing,
      List<String> checked,
      List<String> onIam) {
    KeyPolicy desired = validation.policy().policy();
    String keyArn =
        existing
            .map(ObservedKey::arn)
            .orElse(
                "arn:"
                    + caller.partition()
                    + ":kms:"
                    + region
                    + ":"
                    + caller.account().value()
                    + ":key/"
                    + (b.multiRegion().isPresent()
                        ? "mrk-00000000000000000000000000000000"
                        : "00000000-0000-4000-8000-000000000000"));
    Set<KmsAction> actions = new LinkedHashSet<>();
    for (PlannedCall call : built.calls) {
      actionOf(call).ifPresent(actions::add);
    }
    actions.addAll(VERIFY);
    if (Rotation.canRotate(b.keyKind())) {
      actions.add(KmsAction.GET_KEY_ROTATION_STATUS);
    }
    boolean creates =
        built.calls.stream()
            .anyMatch(
                c -> c instanceof PlannedCall.CreateKey || c instanceof PlannedCall.ReplicateKey);
    if (creates) {
      actions.addAll(CLEANUP);
    }
    // Kept after the plan: KMS's lockout check for the caller.
    actions.add(KmsAction.PUT_KEY_POLICY);
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder()
            .keyPolicy(desired)
            .keyArn(keyArn)
            .symmetricEncryptionKey(b.keyKind().isSymmetricEncryption())
            .build();
    for (KmsAction a : actions) {
      String name = a.name().substring("kms:".length());
      Decision d = evaluator.evaluate(request(caller.arn(), a, keyArn));
      record(d, name, checked, missing, onIam);
    }
    // A PutKeyPolicy on an existing key is decided by the policy the key has now.
    if (built.putsPolicyOnExisting && existing.isPresent() && existing.get().policy() != null) {
      try {
        KeyPolicy current = KeyPolicy.parse(existing.get().policy());
        Decision d =
            KeyAccessEvaluator.builder()
                .keyPolicy(current)
                .keyArn(keyArn)
                .symmetricEncryptionKey(b.keyKind().isSymmetricEncryption())
                .build()
                .evaluate(request(caller.arn(), KmsAction.PUT_KEY_POLICY, keyArn));
        List<String> ignored = new ArrayList<>();
        record(d, "PutKeyPolicy (under the key's current policy)", ignored, missing, onIam);
      } catch (RuntimeException e) {
        // the current policy cannot be judged here: KMS decides when the call is made
      }
    }
  }

  private static void record(
      Decision d, String name, List<String> checked, List<String> missing, List<String> onIam) {
    switch (d.outcome()) {
      case ALLOWED -> {
        checked.add(name);
        if (d.delegatedToIam()) {
          onIam.add(name);
        }
      }
      case IMPLICITLY_DENIED -> {
        if (d.delegatedToIam()) {
          checked.add(name);
          onIam.add(name);
        } else {
          missing.add(name);
        }
      }
      case EXPLICITLY_DENIED -> missing.add(name + " (explicitly denied)");
    }
  }

  private static AccessRequest request(String caller, KmsAction action, String keyArn) {
    return AccessRequest.builder().principal(caller).action(action).resource(keyArn).build();
  }

  private static List<String> verification(KeyBlueprint b) {
    List<String> out = new ArrayList<>();
    out.add("DescribeKey");
    out.add("GetKeyPolicy (PolicyName=default)");
    if (Rotation.canRotate(b.keyKind())) {
      out.add("GetKeyRotationStatus");
    }
    out.add("ListResourceTags");
    out.add("ListAliases");
    if (b.multiRegion().isPresent()) {
      out.add("the same reads of each replica in its Region");
    }
    return out;
  }

  private static List<String> iamActions(Built built) {
    TreeSet<String> out = new TreeSet<>();
    out.add("kms:ListAliases");
    for (PlannedCall c : built.calls) {
      if (c instanceof PlannedCall.CreateKey) {
        out.add("kms:CreateKey");
        out.add("kms:TagResource (tags on CreateKey)");
        out.add("kms:ListKeys (clean-up sweep)");
      } else if (c instanceof PlannedCall.ReplicateKey r) {
        out.add("kms:CreateKey in " + r.replicaRegion());
        out.add("kms:TagResource in " + r.replicaRegion());
        out.add("kms:ListKeys (clean-up sweep)");
      } else if (c instanceof PlannedCall.CreateAlias a) {
        out.add("kms:CreateAlias on " + a.aliasName());
      }
    }
    return List.copyOf(out);
  }

  /**
   * The key-policy action a planned call needs; empty for CreateKey (IAM only) and PutKeyPolicy.
   */
  static Optional<KmsAction> actionOf(PlannedCall call) {
    if (call instanceof PlannedCall.CreateAlias) {
      return Optional.of(KmsAction.CREATE_ALIAS);
    } else if (call instanceof PlannedCall.EnableKeyRotation) {
      return Optional.of(KmsAction.ENABLE_KEY_ROTATION);
    } else if (call instanceof PlannedCall.DisableKeyRotation) {
      return Optional.of(KmsAction.DISABLE_KEY_ROTATION);
    } else if (call instanceof PlannedCall.ReplicateKey) {
      return Optional.of(KmsAction.REPLICATE_KEY);
    } else if (call instanceof PlannedCall.TagResource) {
      return Optional.of(KmsAction.TAG_RESOURCE);
    } else if (call instanceof PlannedCall.UntagResource) {
      return Optional.of(KmsAction.UNTAG_RESOURCE);
    } else if (call instanceof PlannedCall.UpdateKeyDescription) {
      return Optional.of(KmsAction.UPDATE_KEY_DESCRIPTION);
    }
    // CreateKey is authorised by IAM alone; PutKeyPolicy is always checked (lockout).
    return Optional.empty();
  }
}

package dev.kmsposture.blueprint;

import dev.kmsposture.leastprivilege.BuiltKeyPolicy;
import dev.kmsposture.leastprivilege.InsecureOverride;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.leastprivilege.RoleFileException;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.Suppression;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.snapshot.MultiRegionConfiguration.MultiRegionKey;
import dev.kmsposture.snapshot.RotationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The snapshot of the key a blueprint would create — the same record a scan of the created key
 * gives — and its judgement by the posture rules.
 */
final class DesiredState {
  // The key does not exist yet: a fixed id stands in for the one KMS will assign.
  static final String PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000";
  static final String PLACEHOLDER_MULTI_REGION_ID = "mrk-00000000000000000000000000000000";

  private DesiredState() {}

  static BlueprintValidation validate(KeyBlueprint blueprint, BlueprintContext context) {
    BuiltKeyPolicy policy = policy(blueprint, context);
    PostureConfig config =
        withAuditors(context.config(), auditors(policy.policy(), context.account()));
    AccountSnapshot desired = snapshot(blueprint, context, policy.toJson(), config);
    PostureEngine.Builder engine =
        PostureEngine.builder().ruleSet(KmsPostureRules.all()).config(config);
    Set<RuleId> overriddenRules = new TreeSet<>();
    for (InsecureOverride o : blueprint.insecureOverrides()) {
      RuleId rule = o.rule().orElseThrow();
      overriddenRules.add(rule);
      engine.addSuppression(
          new Suppression(rule.value(), "*", "InsecureOverride: " + o.reason(), null));
    }
    PostureReport report = engine.build().check(desired, blueprint.source());
    List<Finding> blocking = new ArrayList<>();
    List<Finding> overridden = new ArrayList<>();
    Set<RuleId> used = new TreeSet<>();
    for (Finding f : report.findings()) {
      if (f.status() != Status.FAIL || !f.severity().isAtLeast(context.blockingSeverity())) {
        continue;
      }
      if (f.isActiveFailure()) {
        blocking.add(f);
      } else if (f.disposition() == Finding.Disposition.SUPPRESSED
          && overriddenRules.contains(f.ruleId())) {
        overridden.add(f);
        used.add(f.ruleId());
      }
    }
    List<InsecureOverride> applied = new ArrayList<>();
    List<InsecureOverride> unused = new ArrayList<>();
    for (InsecureOverride o : blueprint.insecureOverrides()) {
      (used.contains(o.rule().orElseThrow()) ? applied : unused).add(o);
    }
    return new BlueprintValidation(
        policy, desired, report, context.blockingSeverity(), blocking, overridden, applied, unused);
  }

  static BuiltKeyPolicy policy(KeyBlueprint blueprint, BlueprintContext context) {
    KeyPolicyBuilder builder = blueprint.policyBuilder();
    AccountId account =
        builder
            .configuredAccount()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        String.format(
                            "blueprint [%s] policy has no account; set policy.account to [%s]",
                            blueprint.source(), context.account())));
    if (!account.equals(context.account())) {
      throw new IllegalArgumentException(
          String.format(
              "blueprint [%s] policy is for account [%s], but the key would be created in account"
                  + " [%s]; set policy.account to the account the key lives in",
              blueprint.source(), account, context.account()));
    }
    context.caller().ifPresent(builder::caller);
    for (String admin : context.extraAdministrators()) {
      builder.addAdministrator(admin);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (e instanceof RoleFileException) {
        throw e;
      }
      String message = String.valueOf(e.getMessage());
      throw blueprint
          .roleFile()
          .flatMap(r -> r.locate(message))
          .map(RuntimeException.class::cast)
          .orElse(e);
    }
  }

  /** The local principals of the auditors' statement, which must be able to read the key. */
  static List<String> auditors(KeyPolicy policy, AccountId account) {
    List<String> out = new ArrayList<>();
    for (Statement s : policy.statements()) {
      if ("AuditorsReadOnly".equals(s.sid())) {
        for (Principal p : s.principals()) {
          out.add(p.value());
        }
      }
    }
    return out;
  }

  static PostureConfig withAuditors(PostureConfig c, List<String> auditors) {
    if (auditors.isEmpty()) {
      return c;
    }
    LinkedHashSet<String> all = new LinkedHashSet<>(c.auditRoleArns());
    all.addAll(auditors);
    return c.toBuilder().auditRoleArns(List.copyOf(all)).build();
  }

  static AccountSnapshot snapshot(
      KeyBlueprint b, BlueprintContext context, String policyJson, PostureConfig config) {
    boolean mr = b.multiRegion().isPresent();
    String id = mr ? PLACEHOLDER_MULTI_REGION_ID : PLACEHOLDER_ID;
    String primaryArn = arn(context, context.region(), id);
    List<MultiRegionKey> replicaKeys = new ArrayList<>();
    b.multiRegion()
        .ifPresent(
            m ->
                m.replicas()
                    .forEach(r -> replicaKeys.add(new MultiRegionKey(arn(context, r, id), r))));
    MultiRegionKey primaryKey = new MultiRegionKey(primaryArn, context.region());
    List<KeySnapshot> keys = new ArrayList<>();
    keys.add(
        key(
            b,
            context,
            primaryArn,
            mr ? new MultiRegionConfiguration("PRIMARY", primaryKey, replicaKeys) : null,
            policyJson,
            config));
    for (MultiRegionKey r : replicaKeys) {
      keys.add(
          key(
              b,
              context,
              r.arn(),
              new MultiRegionConfiguration("REPLICA", primaryKey, replicaKeys),
              policyJson,
              config));
    }
    return AccountSnapshot.of(context.account().value(), context.now(), keys);
  }

  private static String arn(BlueprintContext c, String region, String id) {
    return "arn:" + c.partition() + ":kms:" + region + ":" + c.account().value() + ":key/" + id;
  }

  private static KeySnapshot key(
      KeyBlueprint b,
      BlueprintContext context,
      String arn,
      @Nullable MultiRegionConfiguration multiRegion,
      String policyJson,
      PostureConfig config) {
    Instant now = context.now();
    boolean rotates = Rotation.canRotate(b.keyKind());
    KeyMetadata metadata =
        KeyMetadata.builder()
            .keyManager("CUSTOMER")
            .keySpec(b.keyKind().keySpec())
            .keyUsage(b.keyKind().keyUsage())
            .origin("AWS_KMS")
            .keyState(KeyMetadata.ENABLED)
            .creationDate(now)
            .description(b.description())
            .multiRegion(multiRegion)
            .build();
    Rotation r = b.rotation();
    return KeySnapshot.builder(arn, metadata)
        .aliases(List.of(b.alias().value()))
        .tags(b.keyTags(config.multiRegionJustificationTag()))
        .policy(policyJson)
        // As a scan reads the key: rotation only where the key can rotate (never inferred from an
        // error), an empty history, no grants, never used since creation.
        .rotation(
            rotates
                ? new RotationStatus(
                    r.enabled(),
                    r.enabled() ? r.periodDays() : null,
                    r.enabled() ? now.plus(Duration.ofDays(r.periodDays())) : null,
                    null)
                : null)
        .rotations(rotates ? List.of() : null)
        .grants(List.of())
        .lastUsage(new KeyLastUsage(null, null, now))
        .keyEvents(List.of())
        .callers(List.of())
        .build();
  }
}

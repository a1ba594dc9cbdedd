package dev.kmsposture.aws.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.blueprint.AliasName;
import dev.kmsposture.blueprint.Rotation;
import dev.kmsposture.leastprivilege.InsecurePolicyException;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.PolicyParseException;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.RotationStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Plans and applies safe fixes for a key's findings: automatic rotation with a period, the required
 * tags from given values, an alias, and the replacement of the key policy (such as the AWS default
 * root {@code kms:*} statement) with a {@link KeyPolicyBuilder} policy.
 *
 * <p>{@link #plan(String)} is a dry run: the calls, what each fixes, and for a policy replacement
 * every recent caller (CloudTrail, the last 30 days by default) whose access the new policy would
 * end, decided with the access evaluator; it refuses a replacement that would lock the caller out
 * (it must keep {@code PutKeyPolicy}). {@link #apply(RemediationPlan)} makes the calls and reads
 * the key back to verify each fix.
 */
public final class Remediator {
  /** The tags every key carries (the RequiredTagsMissing rule). */
  static final List<String> REQUIRED_TAGS =
      List.of("Owner", "Environment", "Purpose", "DataClassification");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KmsClient kms;
  private final @Nullable Supplier<String> caller;
  private final @Nullable CloudTrailClient cloudTrail;
  private final int periodDays;
  private final SortedMap<String, String> tagValues;
  private final @Nullable String alias;
  private final @Nullable Supplier<KeyPolicyBuilder> policy;
  private final Clock clock;
  private final Duration callerWindow;

  private Remediator(Builder b, KmsClient kms) {
    this.kms = kms;
    this.caller = b.caller;
    this.cloudTrail = b.cloudTrail;
    this.periodDays = b.periodDays;
    this.tagValues = new TreeMap<>(b.tagValues);
    this.alias = b.alias;
    this.policy = b.policy;
    this.clock = b.clock;
    this.callerWindow = b.callerWindow;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Plans the fixes of {@code key} (id, ARN or alias); reads only.
   *
   * @throws ProvisioningPlanException if the key cannot be read, or the new policy would lock the
   *     caller out
   */
  public RemediationPlan plan(String key) {
    String who = callerArn();
    ObservedKey k;
    try {
      String arn = kms.describeKey(r -> r.keyId(key)).keyMetadata().arn();
      k = ObservedKey.read(kms, region(arn), arn, true);
    } catch (SdkException e) {
      throw new ProvisioningPlanException(
          String.format("cannot read key [%s]: %s", key, KmsCalls.reason(e)), e);
    }
    KeyRef ref = KeyRef.existing(k.arn());
    List<PlannedCall> calls = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    List<String> losing = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    KeyMetadata m = k.metadata();
    if (!m.isCustomerManaged()) {
      throw new ProvisioningPlanException(
          String.format("%s is not a customer managed key; AWS manages it", k.arn()));
    }
    if (policy != null) {
      planPolicy(k, ref, who, calls, fixes, losing, notes);
    }
    boolean canRotate =
        m.keySpec().equals("SYMMETRIC_DEFAULT")
            && m.keyUsage().equals("ENCRYPT_DECRYPT")
            && m.origin().equals("AWS_KMS");
    RotationStatus r = k.rotation();
    if (!canRotate) {
      notes.add(
          String.format(
              "rotation: a %s key with %s material cannot rotate automatically; rotate it"
                  + " manually",
              m.keySpec(), m.origin()));
    } else if (r == null) {
      notes.add("rotation: GetKeyRotationStatus did not answer; not planned");
    } else if (!r.enabled()
        || (r.rotationPeriodInDays() != null && r.rotationPeriodInDays() > periodDays)) {
      calls.add(new PlannedCall.EnableKeyRotation(k.region(), ref, periodDays));
      fixes.add(
          r.enabled()
              ? String.format(
                  "rotation period %d days shortened to %d", r.rotationPeriodInDays(), periodDays)
              : String.format("automatic rotation turned on, every %d days", periodDays));
    }
    TreeMap<String, String> add = new TreeMap<>();
    for (String t : REQUIRED_TAGS) {
      String have = k.tags().get(t);
      if (have != null && !have.isBlank()) {
        continue;
      }
      String value = tagValues.get(t);
      if (value == null) {
        notes.add(String.format("tag %s is missing and no value was given for it", t));
      } else {
        add.put(t, value);
      }
    }
    if (!add.isEmpty()) {
      calls.add(new PlannedCall.TagResource(k.region(), ref, add));
      fixes.add("required tags added: " + add.keySet());
    }
    if (k.aliases().isEmpty()) {
      if (alias == null) {
        notes.add("the key has no alias and none was given");
      } else {
        calls.add(new PlannedCall.CreateAlias(k.region(), alias, ref));
        fixes.add("alias " + alias + " added");
      }
    }
    return new RemediationPlan(k.arn(), k.region(), who, calls, fixes, losing, notes);
  }

  private void planPolicy(
      ObservedKey k,
      KeyRef ref,
      String who,
      List<PlannedCall> calls,
      List<String> fixes,
      List<String> losing,
      List<String> notes) {
    KeyPolicy wanted;
    try {
      wanted =
          Objects.requireNonNull(Objects.requireNonNull(policy).get(), "policy")
              .caller(who)
              .build()
              .policy();
    } catch (InsecurePolicyException e) {
      throw new ProvisioningPlanException(
          String.format(
              "the replacement policy for %s is refused: %s (KMS's lockout check: the caller [%s]"
                  + " must keep PutKeyPolicy)",
              k.arn(), e.getMessage(), who),
          e);
    }
    KeyPolicy current = null;
    try {
      current = k.policy() == null ? null : KeyPolicy.parse(Objects.requireNonNull(k.policy()));
    } catch (PolicyParseException e) {
      notes.add("the current policy cannot be read: " + e.getMessage());
    }
    if (current != null && current.isEquivalentTo(wanted)) {
      return;
    }
    boolean symmetric = k.metadata().keySpec().equals("SYMMETRIC_DEFAULT");
    KeyAccessEvaluator next =
        KeyAccessEvaluator.builder()
            .keyPolicy(wanted)
            .keyArn(k.arn())
            .symmetricEncryptionKey(symmetric)
            .build();
    if (current != null) {
      Decision now =
          KeyAccessEvaluator.builder()
              .keyPolicy(current)
              .keyArn(k.arn())
              .symmetricEncryptionKey(symmetric)
              .build()
              .evaluate(request(who, KmsAction.PUT_KEY_POLICY, k.arn()));
      if (now.outcome() != Decision.Outcome.ALLOWED && !now.delegatedToIam()) {
        throw new ProvisioningPlanException(
            String.format(
                "the key's current policy does not let the caller [%s] call PutKeyPolicy on %s",
                who, k.arn()));
      }
    }
    calls.add(new PlannedCall.PutKeyPolicy(k.region(), ref, wanted.toJson()));
    fixes.add("key policy replaced with the roles' least-privilege policy");
    if (cloudTrail == null) {
      notes.add(
          "no CloudTrail client was given: the callers whose access the new policy ends are not"
              + " known");
      return;
    }
    TreeSet<String> lost = new TreeSet<>();
    for (Map.Entry<String, String> use : recentCallers(k.arn())) {
      Optional<KmsAction> action = KmsAction.lookup("kms:" + use.getValue());
      if (action.isEmpty()) {
        continue;
      }
      Decision d = next.evaluate(request(use.getKey(), action.get(), k.arn()));
      if (d.outcome() != Decision.Outcome.ALLOWED) {
        lost.add(use.getKey() + " " + action.get().name());
      }
    }
    losing.addAll(lost);
    notes.add(
        String.format(
            "callers are those CloudTrail saw in the last %d days; principals that rely on IAM"
                + " policies but did not call the key then are not listed",
            callerWindow.toDays()));
  }

  private List<Map.Entry<String, String>> recentCallers(String arn) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    Instant now = clock.instant();
    CloudTrailClient ct = Objects.requireNonNull(cloudTrail);
    for (Event e :
        ct.lookupEventsPaginator(
                r ->
                    r.startTime(now.minus(callerWindow))
                        .endTime(now)
                        .lookupAttributes(
                            LookupAttribute.builder()
                                .attributeKey(LookupAttributeKey.RESOURCE_NAME)
                                .attributeValue(arn)
                                .build()))
            .events()) {
      String record = e.cloudTrailEvent();
      if (record == null || e.eventName() == null) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(record);
        JsonNode principal = n.path("userIdentity").path("arn");
        if (principal.isTextual() && !n.hasNonNull("errorCode")) {
          out.add(Map.entry(principal.asText(), e.eventName()));
        }
      } catch (IOException ex) {
        // an unreadable record names no caller
      }
    }
    return out;
  }

  /**
   * Makes the plan's calls in order, then reads the key back and checks each fix.
   *
   * @throws ProvisioningException naming the call that failed and the calls made before it
   */
  public RemediationResult apply(RemediationPlan plan) {
    List<PlannedCall> done = new ArrayList<>();
    for (PlannedCall call : plan.calls()) {
      try {
        execute(plan.arn(), call);
      } catch (SdkException e) {
        throw new ProvisioningException(
            String.format(
                "remediation of %s failed at %s: %s; calls made before it: %s",
                plan.arn(), call.operation(), KmsCalls.reason(e), done),
            call.operation() + " [" + call.region() + "]",
            done,
            List.of(),
            List.of(),
            e);
      }
      done.add(call);
    }
    ObservedKey k = ObservedKey.read(kms, plan.region(), plan.arn(), true);
    List<String> verified = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (PlannedCall call : plan.calls()) {
      if (call instanceof PlannedCall.PutKeyPolicy p) {
        boolean same =
            k.policy() != null
                && KeyPolicy.parse(Objects.requireNonNull(k.policy()))
                    .isEquivalentTo(KeyPolicy.parse(p.policy()));
        (same ? verified : problems).add("key policy " + (same ? "replaced" : "differs"));
      } else if (call instanceof PlannedCall.EnableKeyRotation r) {
        RotationStatus s = k.rotation();
        if (s == null) {
          problems.add("rotation: not verifiable here (GetKeyRotationStatus did not answer)");
        } else if (s.enabled()
            && (s.rotationPeriodInDays() == null || s.rotationPeriodInDays() == r.periodDays())) {
          verified.add("rotation on every " + r.periodDays() + " days");
        } else {
          problems.add("rotation is not on every " + r.periodDays() + " days");
        }
      } else if (call instanceof PlannedCall.TagResource t) {
        boolean all =
            t.tags().entrySet().stream()
                .allMatch(e -> e.getValue().equals(k.tags().get(e.getKey())));
        (all ? verified : problems).add("tags " + t.tags().keySet() + (all ? "" : " not all set"));
      } else if (call instanceof PlannedCall.CreateAlias a) {
        boolean has = k.aliases().contains(a.aliasName());
        (has ? verified : problems).add("alias " + a.aliasName() + (has ? "" : " missing"));
      }
    }
    return new RemediationResult(plan, verified, problems);
  }

  private void execute(String arn, PlannedCall call) {
    if (call instanceof PlannedCall.PutKeyPolicy p) {
      kms.putKeyPolicy(
          r ->
              r.keyId(arn)
                  .policyName("default")
                  .policy(p.policy())
                  .bypassPolicyLockoutSafetyCheck(false));
    } else if (call instanceof PlannedCall.EnableKeyRotation r) {
      kms.enableKeyRotation(x -> x.keyId(arn).rotationPeriodInDays(r.periodDays()));
    } else if (call instanceof PlannedCall.TagResource t) {
      List<Tag> tags = new ArrayList<>();
      t.tags().forEach((key, value) -> tags.add(Tag.builder().tagKey(key).tagValue(value).build()));
      kms.tagResource(x -> x.keyId(arn).tags(tags));
    } else if (call instanceof PlannedCall.CreateAlias a) {
      kms.createAlias(x -> x.aliasName(a.aliasName()).targetKeyId(arn));
    } else {
      throw new IllegalStateException("bug in kms-posture: unhandled call " + call.operation());
    }
  }

  private String callerArn() {
    Supplier<String> c = caller;
    if (c == null) {
      throw new IllegalStateException(
          "the remediator needs the caller: give an STS client or the caller's ARN");
    }
    return c.get();
  }

  private static AccessRequest request(String principal, KmsAction action, String keyArn) {
    return AccessRequest.builder().principal(principal).action(action).resource(keyArn).build();
  }

  private static String region(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length > 3 ? parts[3] : Region.US_EAST_1.id();
  }

  /**
   * Plans moving {@code resource}'s data from the key it uses now (the "encrypted with KMS, but…"
   * anti-pattern: an AWS managed {@code aws/<service>} key) to the customer managed key {@code
   * target} describes: create the key from the blueprint, then the service's own re-encryption path
   * (an S3 Batch Operations copy, an EBS snapshot copy with the new key, an RDS snapshot copy and
   * restore, Secrets Manager {@code UpdateSecret}, a new EFS or FSx file system and a copy, …), as
   * printed steps and an ADR stub. Nothing is called and no data is copied.
   *
   * @param resource a resource of the inventory ({@code AccountSnapshot.resourcesUsing})
   * @param target the blueprint of the customer managed key to move to
   * @throws IllegalArgumentException if the resource's encryption was not read
   */
  public static MigrationPlan planMigration(
      dev.kmsposture.snapshot.ResourceSnapshot resource,
      dev.kmsposture.blueprint.KeyBlueprint target) {
    return Migration.plan(
        Objects.requireNonNull(resource, "resource"), Objects.requireNonNull(target, "target"));
  }

  /** Builds a {@link Remediator}. */
  public static final class Builder {
    private @Nullable KmsClient kms;
    private @Nullable Supplier<String> caller;
    private @Nullable CloudTrailClient cloudTrail;
    private int periodDays = Rotation.DEFAULT_PERIOD_DAYS;
    private final SortedMap<String, String> tagValues = new TreeMap<>();
    private @Nullable String alias;
    private @Nullable Supplier<KeyPolicyBuilder> policy;
    private Clock clock = Clock.systemUTC();
    private Duration callerWindow = Duration.ofDays(30);

    private Builder() {}

    /** Sets the KMS client of the key's Region. Required. */
    public Builder kmsClient(KmsClient kms) {
      this.kms = Objects.requireNonNull(kms, "kms");
      return this;
    }

    /** Asks STS who the caller is (once per plan). */
    public Builder stsClient(StsClient sts) {
      Objects.requireNonNull(sts, "sts");
      this.caller = () -> sts.getCallerIdentity().arn();
      return this;
    }

    /** Names the principal that will make the calls, instead of asking STS. */
    public Builder caller(String arn) {
      Objects.requireNonNull(arn, "arn");
      this.caller = () -> arn;
      return this;
    }

    /** Sets the CloudTrail client that tells who used the key recently (for a policy change). */
    public Builder cloudTrailClient(CloudTrailClient cloudTrail) {
      this.cloudTrail = Objects.requireNonNull(cloudTrail, "cloudTrail");
      return this;
    }

    /**
     * Sets the rotation period to turn on (default 365 days).
     *
     * @throws IllegalArgumentException if it is outside 90 to 2560 days
     */
    public Builder rotationPeriodDays(int days) {
      Rotation.every(days);
      this.periodDays = days;
      return this;
    }

    /** Gives the value of a required tag that a key may be missing. */
    public Builder tagValue(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (!REQUIRED_TAGS.contains(key)) {
        throw new IllegalArgumentException(
            String.format("tag [%s] is not one of the required tags %s", key, REQUIRED_TAGS));
      }
      if (value.isBlank()) {
        throw new IllegalArgumentException(String.format("tag [%s] value is blank", key));
      }
      tagValues.put(key, value);
      return this;
    }

    /**
     * Gives the alias for a key that has none.
     *
     * @throws IllegalArgumentException if it breaks AWS's alias rules or the naming convention
     */
    public Builder alias(String alias) {
      this.alias = AliasName.of(alias).value();
      return this;
    }

    /** Replaces the key policy with the one this builder makes (the caller is checked on it). */
    public Builder replacementPolicy(Supplier<KeyPolicyBuilder> policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets the clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets how far back CloudTrail callers are looked up (default 30 days, at most 90). */
    public Builder callerWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(90)) > 0) {
        throw new IllegalArgumentException(
            String.format("caller window [%s] is not between 1 second and 90 days", window));
      }
      this.callerWindow = window;
      return this;
    }

    /**
     * Builds the remediator.
     *
     * @throws IllegalStateException without a KMS client or a caller
     */
    public Remediator build() {
      KmsClient k = kms;
      if (k == null) {
        throw new IllegalStateException("the remediator needs a KMS client: call kmsClient(...)");
      }
      if (caller == null) {
        throw new IllegalStateException(
            "the remediator needs the caller: call stsClient(...) or caller(arn)");
      }
      return new Remediator(this, k);
    }
  }
}

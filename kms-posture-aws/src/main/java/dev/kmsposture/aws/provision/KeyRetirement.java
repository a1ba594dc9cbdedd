package dev.kmsposture.aws.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.aws.scan.RegionalKmsClients;
import dev.kmsposture.snapshot.ProvisioningTags;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyLastUsageData;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * The safe way to retire a key: disable it (writing the {@value ProvisioningTags#DISABLED_AT} tag,
 * since KMS keeps no disabled-since time), watch CloudTrail for use attempts for a full business
 * cycle (30 days by default), then schedule its deletion with a window of at least the configured
 * minimum — or cancel.
 *
 * <p>{@link #scheduleDeletion(String)} refuses a key that is enabled; that was disabled less than
 * the cycle ago (by its tag, else its {@code DisableKey} CloudTrail event; unknown means refused);
 * that had use attempts after it was disabled (calls failing with {@code DisabledException} or
 * {@code KMSInvalidStateException}); or that was used successfully after the disable time (it was
 * re-enabled). A never-used leftover of a failed provisioning run ({@link
 * ProvisioningTags#isFailedProvisioning}) is exempt from the cycle.
 *
 * <p>While a key waits, {@link #watch(String)} looks for use — CloudTrail events of calls that met
 * the disabled key, and {@code GetKeyLastUsage}, which sees a successful use even before its
 * CloudTrail event arrives — and {@link #startWatching} does so in the background: use of a key
 * waiting disabled blocks its deletion (the guard refuses it), and an attempt to use a key pending
 * deletion after its deletion was scheduled cancels the deletion (AWS's advice for keys pending
 * deletion: alarm on use attempts, and cancel).
 *
 * <p>A multi-Region key is retired as a set: every member is disabled and watched, and replicas are
 * scheduled before the primary, which then waits in {@code PendingReplicaDeletion}.
 *
 * <pre>{@code
 * KeyRetirement retirement = KeyRetirement.builder()
 *     .kmsClient(kms).cloudTrailClients(region -> cloudTrail).build();
 * retirement.disable("alias/prod-payments-old");
 * // 30 days later
 * retirement.scheduleDeletion("alias/prod-payments-old");   // or RetirementRefusedException
 * }</pre>
 */
public final class KeyRetirement {
  /** Calls that use a key; a success after the disable time means it was re-enabled and used. */
  static final Set<String> USES =
      Set.of(
          "Encrypt",
          "Decrypt",
          "ReEncrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext",
          "Sign",
          "Verify",
          "GenerateMac",
          "VerifyMac",
          "DeriveSharedSecret");

  /** The errors of a call that met a disabled key. */
  static final Set<String> DISABLED_ERRORS =
      Set.of("DisabledException", "KMSInvalidStateException", "KmsInvalidStateException");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KmsClient kms;
  private final RegionalKmsClients regional;
  private final Function<Region, CloudTrailClient> cloudTrail;
  private final Clock clock;
  private final Duration cycle;
  private final int windowDays;

  private KeyRetirement(Builder b, KmsClient kms, Function<Region, CloudTrailClient> cloudTrail) {
    this.kms = kms;
    RegionalKmsClients r = b.regional;
    this.regional = r == null ? region -> kms : r;
    this.cloudTrail = cloudTrail;
    this.clock = b.clock;
    this.cycle = b.cycle;
    this.windowDays = b.windowDays;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads where {@code key} (a key id, ARN or alias) stands, without changing anything.
   *
   * @throws software.amazon.awssdk.core.exception.SdkException if KMS or CloudTrail cannot be read
   */
  public RetirementStatus status(String key) {
    return read(key);
  }

  /**
   * Disables every member of the key that is enabled and tags each with the disable time (members
   * already disabled keep their tag, or get one now if they have none).
   *
   * @return the status after disabling
   */
  public RetirementStatus disable(String key) {
    RetirementStatus before = read(key);
    String now = clock.instant().toString();
    for (RetirementStatus.Member m : before.members()) {
      KmsClient c = client(m.region());
      Map<String, String> tags = ObservedKey.tags(c, m.arn());
      if (m.state().equals("Enabled")) {
        c.disableKey(r -> r.keyId(m.arn()));
        c.tagResource(
            r ->
                r.keyId(m.arn())
                    .tags(
                        Tag.builder().tagKey(ProvisioningTags.DISABLED_AT).tagValue(now).build()));
      } else if (!tags.containsKey(ProvisioningTags.DISABLED_AT) && m.state().equals("Disabled")) {
        // Disabled before, by someone else: the cycle starts now unless CloudTrail knows better.
        Optional<Instant> seen = disableEvent(m);
        String at = seen.map(Instant::toString).orElse(now);
        c.tagResource(
            r ->
                r.keyId(m.arn())
                    .tags(Tag.builder().tagKey(ProvisioningTags.DISABLED_AT).tagValue(at).build()));
      }
    }
    return read(before.arn());
  }

  /**
   * Schedules the deletion of the key (replicas first, then the primary) with the configured
   * window, if the guard allows it.
   *
   * @return the status after scheduling; a primary with replicas is then {@code
   *     PendingReplicaDeletion}, waiting for them
   * @throws RetirementRefusedException with every reason, if the guard refuses
   */
  public RetirementStatus scheduleDeletion(String key) {
    RetirementStatus s = read(key);
    if (!s.deletionAllowed()) {
      throw new RetirementRefusedException(s);
    }
    List<RetirementStatus.Member> order = new ArrayList<>(s.members());
    // replicas before the primary: a primary is deleted only after its replicas
    order.sort((a, b) -> Boolean.compare(b.replica(), a.replica()));
    for (RetirementStatus.Member m : order) {
      if (m.state().startsWith("Pending")) {
        continue;
      }
      client(m.region()).scheduleKeyDeletion(r -> r.keyId(m.arn()).pendingWindowInDays(windowDays));
    }
    return read(s.arn());
  }

  /**
   * Cancels a scheduled deletion of every member; the key is then {@code Disabled}.
   *
   * @return the status after cancelling
   */
  public RetirementStatus cancelDeletion(String key) {
    RetirementStatus s = read(key);
    for (RetirementStatus.Member m : s.members()) {
      if (m.state().equals("PendingDeletion") || m.state().equals("PendingReplicaDeletion")) {
        client(m.region()).cancelKeyDeletion(r -> r.keyId(m.arn()));
      }
    }
    return read(s.arn());
  }

  /**
   * Looks once for use of a retiring key and acts on it: a key waiting disabled that was used or
   * tried after its disable time is {@link RetirementWatch.Outcome#BLOCKED} (its deletion stays
   * refused); a key pending deletion that something tried to use after the deletion was scheduled
   * has its deletion cancelled ({@link RetirementWatch.Outcome#DELETION_CANCELLED}), every member
   * back to {@code Disabled}. A key that no longer exists is {@link
   * RetirementWatch.Outcome#DELETED}.
   *
   * @param key the key id, ARN or alias
   * @return what the look found and did
   * @throws software.amazon.awssdk.core.exception.SdkException if KMS or CloudTrail cannot be read
   */
  public RetirementWatch watch(String key) {
    RetirementStatus s;
    try {
      s = read(key);
    } catch (software.amazon.awssdk.services.kms.model.NotFoundException e) {
      RetirementStatus gone =
          new RetirementStatus(
              key,
              List.of(new RetirementStatus.Member(key, region(key), false, "deleted")),
              Optional.empty(),
              "the key no longer exists",
              0,
              0,
              false,
              List.of("the key no longer exists"),
              List.of());
      return new RetirementWatch(gone, RetirementWatch.Outcome.DELETED, List.of());
    }
    if (s.members().stream().allMatch(m -> m.state().equals("deleted"))) {
      return new RetirementWatch(s, RetirementWatch.Outcome.DELETED, List.of());
    }
    List<String> pendingEvidence = new ArrayList<>();
    for (RetirementStatus.Member m : s.members()) {
      if (!m.state().startsWith("Pending")) {
        continue;
      }
      Optional<Instant> scheduled = scheduledAt(m);
      // unknown scheduling time: every attempt since the disable time counts
      Instant since = scheduled.orElse(s.disabledAt().orElse(clock.instant().minus(cycle)));
      for (Event e : events(m, since)) {
        String code = errorCode(e);
        if (e.eventTime() != null
            && e.eventTime().isAfter(since)
            && USES.contains(e.eventName())
            && code != null
            && DISABLED_ERRORS.contains(code)) {
          pendingEvidence.add(
              String.format(
                  "%s of %s at %s failed with %s while its deletion was pending (CloudTrail)",
                  e.eventName(), name(m), e.eventTime(), code));
        }
      }
    }
    if (!pendingEvidence.isEmpty()) {
      RetirementStatus after = cancelDeletion(s.arn());
      return new RetirementWatch(
          after, RetirementWatch.Outcome.DELETION_CANCELLED, pendingEvidence);
    }
    List<String> evidence = new ArrayList<>();
    if (s.useAttemptsAfterDisable() > 0) {
      evidence.add(
          String.format(
              "%d use attempt%s after the disable time (CloudTrail)",
              s.useAttemptsAfterDisable(), s.useAttemptsAfterDisable() == 1 ? "" : "s"));
    }
    if (s.usesAfterDisable() > 0) {
      evidence.add(
          String.format(
              "%d successful use%s after the disable time (CloudTrail)",
              s.usesAfterDisable(), s.usesAfterDisable() == 1 ? "" : "s"));
    }
    Optional<Instant> disabled = s.disabledAt();
    if (disabled.isPresent()) {
      for (RetirementStatus.Member m : s.members()) {
        lastUse(m)
            .filter(at -> at.isAfter(disabled.get()))
            .ifPresent(
                at ->
                    evidence.add(
                        String.format(
                            "%s was last used successfully at %s, after the disable time"
                                + " (GetKeyLastUsage)",
                            name(m), at)));
      }
    }
    boolean waiting = s.members().stream().noneMatch(m -> m.state().startsWith("Pending"));
    if (!evidence.isEmpty() && waiting && !s.exempt()) {
      return new RetirementWatch(s, RetirementWatch.Outcome.BLOCKED, evidence);
    }
    return new RetirementWatch(s, RetirementWatch.Outcome.QUIET, List.of());
  }

  /**
   * Watches a retiring key in the background: {@link #watch(String)} now and then every {@code
   * every} on {@code scheduler}, each look handed to {@code listener}, until the returned watcher
   * is closed or the key no longer exists. The scheduler is the caller's; it is not shut down.
   *
   * @param key the key id, ARN or alias
   * @param scheduler runs the looks
   * @param every the interval between looks
   * @param listener hears each look (on the scheduler's thread)
   * @return the watcher, to close
   * @throws IllegalArgumentException if {@code every} is not positive
   */
  public RetirementWatcher startWatching(
      String key,
      ScheduledExecutorService scheduler,
      Duration every,
      Consumer<RetirementWatch> listener) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(listener, "listener");
    if (every.isZero() || every.isNegative()) {
      throw new IllegalArgumentException(
          String.format("watch interval [%s] is not positive; use such as PT1H", every));
    }
    RetirementWatcher watcher = new RetirementWatcher();
    Runnable look =
        () -> {
          try {
            RetirementWatch w = watch(key);
            watcher.looked(w);
            listener.accept(w);
          } catch (RuntimeException e) {
            // a failed look (KMS or CloudTrail unreachable) must not end the watch
            watcher.failed(e);
          }
        };
    watcher.started(
        scheduler.scheduleWithFixedDelay(look, 0, every.toNanos(), TimeUnit.NANOSECONDS));
    return watcher;
  }

  // ------------------------------------------------------------------------------------------

  /** When a pending member's deletion was scheduled: its deletion date less its window. */
  private Optional<Instant> scheduledAt(RetirementStatus.Member m) {
    try {
      KeyMetadata k = client(m.region()).describeKey(r -> r.keyId(m.arn())).keyMetadata();
      if (k.deletionDate() != null && k.pendingDeletionWindowInDays() != null) {
        return Optional.of(
            k.deletionDate().minus(Duration.ofDays(k.pendingDeletionWindowInDays())));
      }
    } catch (software.amazon.awssdk.services.kms.model.NotFoundException e) {
      // deleted meanwhile
    }
    return Optional.empty();
  }

  /**
   * The member's last successful cryptographic use by GetKeyLastUsage; empty when none or unread.
   */
  private Optional<Instant> lastUse(RetirementStatus.Member m) {
    if (m.state().equals("deleted")) {
      return Optional.empty();
    }
    try {
      KeyLastUsageData used =
          client(m.region()).getKeyLastUsage(r -> r.keyId(m.arn())).keyLastUsage();
      return used == null ? Optional.empty() : Optional.ofNullable(used.timestamp());
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      // an endpoint without GetKeyLastUsage, or no permission: CloudTrail alone decides
      return Optional.empty();
    }
  }

  private KmsClient client(String region) {
    return regional.client(Region.of(region));
  }

  private RetirementStatus read(String key) {
    KeyMetadata m = kms.describeKey(r -> r.keyId(key)).keyMetadata();
    List<RetirementStatus.Member> members = new ArrayList<>();
    MultiRegionConfiguration mr = m.multiRegionConfiguration();
    String primaryArn = m.arn();
    if (Boolean.TRUE.equals(m.multiRegion()) && mr != null && mr.primaryKey() != null) {
      MultiRegionKey p = mr.primaryKey();
      primaryArn = p.arn();
      members.add(member(p.region(), p.arn(), false));
      for (MultiRegionKey r : mr.replicaKeys()) {
        members.add(member(r.region(), r.arn(), true));
      }
    } else {
      members.add(
          new RetirementStatus.Member(m.arn(), region(m.arn()), false, m.keyStateAsString()));
    }
    List<String> refusals = new ArrayList<>();
    Instant latest = null;
    String source = "";
    boolean unknown = false;
    boolean exempt = true;
    int attempts = 0;
    int uses = 0;
    List<String> waiting = new ArrayList<>();
    Instant now = clock.instant();
    for (RetirementStatus.Member x : members) {
      Map<String, String> tags = ObservedKey.tags(client(x.region()), x.arn());
      exempt &= ProvisioningTags.isFailedProvisioning(tags);
      if (x.state().equals("Enabled")) {
        refusals.add(name(x) + " is enabled; disable it first and watch it for a business cycle");
        continue;
      }
      Optional<Instant> at = Optional.empty();
      String how;
      String tag = tags.get(ProvisioningTags.DISABLED_AT);
      if (tag != null) {
        try {
          at = Optional.of(Instant.parse(tag));
          how = "tag";
        } catch (DateTimeParseException e) {
          how = "tag " + ProvisioningTags.DISABLED_AT + " [" + tag + "] is not an ISO 8601 time";
        }
      } else {
        at = disableEvent(x);
        how =
            at.isPresent()
                ? "CloudTrail DisableKey"
                : "no tag and no DisableKey event in CloudTrail";
      }
      if (at.isEmpty()) {
        unknown = true;
        source = how;
        continue;
      }
      if (latest == null || at.get().isAfter(latest)) {
        latest = at.get();
        source = how;
      }
      int[] counts = useAfter(x, at.get());
      attempts += counts[0];
      uses += counts[1];
    }
    if (members.get(0).state().equals("PendingReplicaDeletion")) {
      for (RetirementStatus.Member x : members) {
        if (x.replica() && !x.state().equals("deleted")) {
          waiting.add(x.arn());
        }
      }
    }
    if (uses > 0) {
      refusals.add(
          String.format(
              "%d successful use%s after the disable time: the key was re-enabled and is in use",
              uses, uses == 1 ? "" : "s"));
    }
    if (!exempt) {
      if (unknown) {
        refusals.add(
            "when the key was disabled is unknown ("
                + source
                + "); run disable to start the cycle");
      } else if (latest != null) {
        Duration since = Duration.between(latest, now);
        if (since.compareTo(cycle) < 0) {
          refusals.add(
              String.format(
                  "disabled %d days ago (%s); the business cycle is %d days, so wait until %s",
                  since.toDays(), latest, cycle.toDays(), latest.plus(cycle)));
        }
      }
      if (attempts > 0) {
        refusals.add(
            String.format(
                "%d use attempt%s after the disable (calls failing with DisabledException): something"
                    + " still depends on the key; find the caller in CloudTrail first",
                attempts, attempts == 1 ? "" : "s"));
      }
    }
    // Only refusals about the state matter for members already on their way out.
    boolean allPending = members.stream().allMatch(x -> x.state().startsWith("Pending"));
    if (allPending) {
      refusals.clear();
      refusals.add("deletion is already scheduled");
    }
    return new RetirementStatus(
        primaryArn,
        members,
        unknown ? Optional.empty() : Optional.ofNullable(latest),
        source,
        attempts,
        uses,
        exempt,
        refusals,
        waiting);
  }

  private RetirementStatus.Member member(String region, String arn, boolean replica) {
    try {
      KeyMetadata m = client(region).describeKey(r -> r.keyId(arn)).keyMetadata();
      return new RetirementStatus.Member(arn, region, replica, m.keyStateAsString());
    } catch (software.amazon.awssdk.services.kms.model.NotFoundException e) {
      return new RetirementStatus.Member(arn, region, replica, "deleted");
    }
  }

  private static String region(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length > 3 ? parts[3] : "";
  }

  private static String name(RetirementStatus.Member m) {
    return (m.replica() ? "the replica " : "") + m.arn();
  }

  private Optional<Instant> disableEvent(RetirementStatus.Member m) {
    Instant latest = null;
    for (Event e : events(m, clock.instant().minus(Duration.ofDays(90)))) {
      if ("DisableKey".equals(e.eventName()) && errorCode(e) == null && e.eventTime() != null) {
        if (latest == null || e.eventTime().isAfter(latest)) {
          latest = e.eventTime();
        }
      }
    }
    return Optional.ofNullable(latest);
  }

  /** Returns {failed use attempts, successful uses} of {@code m} after {@code since}. */
  private int[] useAfter(RetirementStatus.Member m, Instant since) {
    int attempts = 0;
    int uses = 0;
    for (Event e : events(m, since)) {
      if (e.eventTime() == null || !e.eventTime().isAfter(since) || !USES.contains(e.eventName())) {
        continue;
      }
      String code = errorCode(e);
      if (code == null) {
        uses++;
      } else if (DISABLED_ERRORS.contains(code)) {
        attempts++;
      }
    }
    return new int[] {attempts, uses};
  }

  private List<Event> events(RetirementStatus.Member m, Instant since) {
    CloudTrailClient ct = cloudTrail.apply(Region.of(m.region()));
    List<Event> out = new ArrayList<>();
    ct.lookupEventsPaginator(
            r ->
                r.startTime(since)
                    .endTime(clock.instant())
                    .lookupAttributes(
                        LookupAttribute.builder()
                            .attributeKey(LookupAttributeKey.RESOURCE_NAME)
                            .attributeValue(m.arn())
                            .build()))
        .events()
        .forEach(out::add);
    return out;
  }

  private static @Nullable String errorCode(Event e) {
    String record = e.cloudTrailEvent();
    if (record == null) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(record).get("errorCode");
      return n == null || n.isNull() ? null : n.asText();
    } catch (IOException ex) {
      return null;
    }
  }

  /** Builds a {@link KeyRetirement}. */
  public static final class Builder {
    private @Nullable KmsClient kms;
    private @Nullable RegionalKmsClients regional;
    private @Nullable Function<Region, CloudTrailClient> cloudTrail;
    private Clock clock = Clock.systemUTC();
    private Duration cycle = Duration.ofDays(30);
    private int windowDays = 30;

    private Builder() {}

    /** Sets the KMS client that reads the key (in its Region). Required. */
    public Builder kmsClient(KmsClient kms) {
      this.kms = Objects.requireNonNull(kms, "kms");
      return this;
    }

    /** Sets the KMS clients of a multi-Region key's other Regions. */
    public Builder regionalClients(RegionalKmsClients clients) {
      this.regional = Objects.requireNonNull(clients, "clients");
      return this;
    }

    /**
     * Sets the CloudTrail client of each Region, for use attempts and DisableKey events. Required.
     */
    public Builder cloudTrailClients(Function<Region, CloudTrailClient> clients) {
      this.cloudTrail = Objects.requireNonNull(clients, "clients");
      return this;
    }

    /** Sets the clock (tests inject one). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how long a disabled key is watched before its deletion may be scheduled (default 30
     * days).
     *
     * @throws IllegalArgumentException if it is shorter than one day
     */
    public Builder businessCycle(Duration cycle) {
      Objects.requireNonNull(cycle, "cycle");
      if (cycle.compareTo(Duration.ofDays(1)) < 0) {
        throw new IllegalArgumentException(
            String.format("business cycle [%s] is shorter than one day; use at least P1D", cycle));
      }
      this.cycle = cycle;
      return this;
    }

    /**
     * Sets the deletion window (default 30 days).
     *
     * @throws IllegalArgumentException if it is not 7 to 30 days, the range KMS accepts
     */
    public Builder deletionWindowDays(int days) {
      if (days < 7 || days > 30) {
        throw new IllegalArgumentException(
            String.format("deletion window [%d] days is not 7 to 30, the range KMS accepts", days));
      }
      this.windowDays = days;
      return this;
    }

    /**
     * Builds the retirement.
     *
     * @throws IllegalStateException if the KMS or CloudTrail clients are missing
     */
    public KeyRetirement build() {
      KmsClient k = kms;
      Function<Region, CloudTrailClient> ct = cloudTrail;
      if (k == null) {
        throw new IllegalStateException("retirement needs a KMS client: call kmsClient(...)");
      }
      if (ct == null) {
        throw new IllegalStateException(
            "retirement needs CloudTrail clients to watch for use attempts: call"
                + " cloudTrailClients(...)");
      }
      return new KeyRetirement(this, k, ct);
    }
  }
}

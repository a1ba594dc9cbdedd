package dev.kmsposture.aws.provision;

import dev.kmsposture.snapshot.ProvisioningTags;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * What the provisioner does after a failure: find every key the run created — the ones it knows,
 * and by the run tag ({@code ListKeys} + {@code ListResourceTags}) the ones a lost answer hid — and
 * retire each as a half-made key: tag it as failed provisioning, disable it, and (replicas first,
 * then the primary) schedule its deletion with the minimum window, or keep it when configured.
 * Every step is tried whatever the previous one did, and recorded.
 */
final class Cleanup {
  private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);

  /** KMS's shortest waiting period: nothing ever used these keys. */
  static final int MINIMUM_WINDOW_DAYS = 7;

  private final Settings s;
  private final String runId;
  final List<String> problems = new ArrayList<>();

  Cleanup(Settings settings, String runId) {
    this.s = settings;
    this.runId = runId;
  }

  /**
   * Finds the keys of the run in {@code regions} (sweeping each), adds the {@code known} ones
   * (region → ARNs), and retires them.
   */
  List<LeftoverKey> run(Map<String, Set<String>> known, Set<String> regions, String primaryRegion) {
    Map<String, Set<String>> found = new LinkedHashMap<>();
    known.forEach((r, arns) -> found.computeIfAbsent(r, k -> new TreeSet<>()).addAll(arns));
    for (String region : new TreeSet<>(regions)) {
      try {
        for (String arn : sweep(region)) {
          found.computeIfAbsent(region, k -> new TreeSet<>()).add(arn);
        }
      } catch (SdkException | IllegalStateException e) {
        problems.add(
            String.format(
                "could not sweep %s for keys of run %s (%s); only the keys the run knows of were"
                    + " cleaned up",
                region, runId, KmsCalls.reason(e)));
      }
    }
    List<LeftoverKey> out = new ArrayList<>();
    // Replicas first: a primary cannot be deleted while replicas exist.
    for (Map.Entry<String, Set<String>> e : found.entrySet()) {
      if (!e.getKey().equals(primaryRegion)) {
        for (String arn : e.getValue()) {
          out.add(retire(e.getKey(), arn, true));
        }
      }
    }
    for (String arn : found.getOrDefault(primaryRegion, Set.of())) {
      out.add(retire(primaryRegion, arn, false));
    }
    return out;
  }

  /** The keys in {@code region} that carry this run's tag. */
  List<String> sweep(String region) {
    KmsClient kms = s.kms(region);
    List<String> out = new ArrayList<>();
    for (ListKeysResponse page : kms.listKeysPaginator()) {
      if (!page.hasKeys()) {
        continue;
      }
      for (KeyListEntry k : page.keys()) {
        String arn = k.keyArn() != null ? k.keyArn() : k.keyId();
        try {
          if (runId.equals(ObservedKey.tags(kms, arn).get(ProvisioningTags.RUN))) {
            out.add(arn);
          }
        } catch (SdkException e) {
          // Another key we may not read (AWS managed, another team's): not ours to judge.
          if (!KmsCalls.isAccessDenied(e)
              && !(e instanceof software.amazon.awssdk.services.kms.model.NotFoundException)) {
            throw e;
          }
        }
      }
    }
    return out;
  }

  private LeftoverKey retire(String region, String arn, boolean replica) {
    KmsClient kms = s.kms(region);
    List<String> steps = new ArrayList<>();
    boolean runTagged = true;
    try {
      runTagged = runId.equals(ObservedKey.tags(kms, arn).get(ProvisioningTags.RUN));
    } catch (SdkException e) {
      steps.add("tags not read: " + KmsCalls.reason(e));
    }
    step(
        steps,
        "tagged " + ProvisioningTags.FAILED + "=" + runId,
        "TagResource",
        () ->
            kms.tagResource(
                r ->
                    r.keyId(arn)
                        .tags(
                            Tag.builder()
                                .tagKey(ProvisioningTags.FAILED)
                                .tagValue(runId)
                                .build())));
    String state = waitWhileCreating(kms, arn);
    if (state.equals("Enabled") || state.equals("unknown")) {
      step(steps, "disabled", "DisableKey", () -> kms.disableKey(r -> r.keyId(arn)));
    } else {
      steps.add("already " + state);
    }
    if (s.keepFailedKeys()) {
      steps.add("kept (keepFailedKeys): delete it when done investigating");
    } else if (!state.startsWith("Pending")) {
      try {
        ScheduleKeyDeletionResponse d =
            KmsCalls.untilConsistent(
                () ->
                    kms.scheduleKeyDeletion(
                        r -> r.keyId(arn).pendingWindowInDays(MINIMUM_WINDOW_DAYS)),
                s.consistencyTimeout(),
                s.pollInterval(),
                s.sleeper());
        steps.add(
            d.deletionDate() == null
                ? String.format(
                    "deletion scheduled (%d days); it waits for its replicas to be deleted",
                    MINIMUM_WINDOW_DAYS)
                : String.format(
                    "deletion scheduled for %s (%d days)",
                    LocalDate.ofInstant(d.deletionDate(), ZoneOffset.UTC), MINIMUM_WINDOW_DAYS));
      } catch (SdkException e) {
        steps.add("ScheduleKeyDeletion failed: " + KmsCalls.reason(e));
        problems.add(String.format("%s: ScheduleKeyDeletion failed: %s", arn, KmsCalls.reason(e)));
      }
    }
    String finalState = state(kms, arn);
    LOG.warn(
        "failed provisioning run {}: key {} in {} left {}: {}",
        runId,
        arn,
        region,
        finalState,
        steps);
    return new LeftoverKey(arn, region, replica, finalState, runTagged, steps);
  }

  private void step(List<String> steps, String done, String operation, Runnable call) {
    try {
      KmsCalls.untilConsistent(
          () -> {
            call.run();
            return Boolean.TRUE;
          },
          s.consistencyTimeout(),
          s.pollInterval(),
          s.sleeper());
      steps.add(done);
    } catch (SdkException e) {
      steps.add(operation + " failed: " + KmsCalls.reason(e));
      problems.add(String.format("%s failed: %s", operation, KmsCalls.reason(e)));
    }
  }

  private String waitWhileCreating(KmsClient kms, String arn) {
    long deadline = System.nanoTime() + s.consistencyTimeout().toNanos();
    Duration wait = s.pollInterval();
    while (true) {
      String state = state(kms, arn);
      if (!state.equals("Creating") || System.nanoTime() - deadline >= 0) {
        return state;
      }
      KmsCalls.sleep(s.sleeper(), wait);
      wait = KmsCalls.min(wait.multipliedBy(2), Duration.ofSeconds(5));
    }
  }

  private static String state(KmsClient kms, String arn) {
    try {
      KeyMetadata m = kms.describeKey(r -> r.keyId(arn)).keyMetadata();
      return m.keyStateAsString() == null ? "unknown" : m.keyStateAsString();
    } catch (SdkException e) {
      return "unknown";
    }
  }
}

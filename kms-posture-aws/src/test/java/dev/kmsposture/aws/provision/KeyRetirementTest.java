package dev.kmsposture.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.snapshot.ProvisioningTags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.Tag;

class KeyRetirementTest {
  /** A clock the test moves forward; the embedded KMS and its CloudTrail read it too. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-03-02T09:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovableClock clock = new MovableClock();
  private final LocalAccount account =
      LocalAccount.start(b -> b.enforcePolicies(false).clock(clock));
  private final KmsClient kms = account.kms(LocalAccount.EAST);
  private final KeyRetirement retirement =
      KeyRetirement.builder()
          .kmsClient(kms)
          .regionalClients(account.regional())
          .cloudTrailClients(account::cloudTrail)
          .clock(clock)
          .build();

  @AfterEach
  void close() {
    account.close();
  }

  private ProvisionedKey provision(String blueprint) {
    return account.provisioner().clock(clock).build().provision(KeyBlueprint.fromYaml(blueprint));
  }

  private void encrypt(String key) {
    kms.encrypt(x -> x.keyId(key).plaintext(SdkBytes.fromUtf8String("x")));
  }

  @Test
  void theGuardRefusesAtDay29AndAllowsAtDay30() {
    String key = provision(Blueprints.PAYMENTS).arn();
    RetirementStatus disabled = retirement.disable(key);
    assertThat(disabled.state()).isEqualTo("Disabled");
    assertThat(disabled.disabledAt()).contains(clock.instant());
    assertThat(disabled.disabledAtSource()).isEqualTo("tag");

    clock.advance(Duration.ofDays(29));
    assertThat(retirement.status(key).refusals())
        .singleElement()
        .asString()
        .contains("disabled 29 days ago");
    assertThatThrownBy(() -> retirement.scheduleDeletion(key))
        .isInstanceOf(RetirementRefusedException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("business cycle is 30 days");
    assertThat(kms.describeKey(x -> x.keyId(key)).keyMetadata().keyStateAsString())
        .isEqualTo("Disabled");

    clock.advance(Duration.ofDays(1));
    RetirementStatus scheduled = retirement.scheduleDeletion(key);
    assertThat(scheduled.state()).isEqualTo("PendingDeletion");
    KeyMetadata m = kms.describeKey(x -> x.keyId(key)).keyMetadata();
    assertThat(m.deletionDate()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));

    RetirementStatus cancelled = retirement.cancelDeletion(key);
    assertThat(cancelled.state()).isEqualTo("Disabled");
  }

  @Test
  void aUseAttemptAfterTheDisableBlocksDeletion() {
    String key = provision(Blueprints.PAYMENTS).arn();
    retirement.disable(key);
    clock.advance(Duration.ofDays(5));
    assertThatThrownBy(() -> encrypt(key)).isInstanceOf(DisabledException.class);

    clock.advance(Duration.ofDays(40));
    RetirementStatus s = retirement.status(key);
    assertThat(s.useAttemptsAfterDisable()).isEqualTo(1);
    assertThat(s.deletionAllowed()).isFalse();
    assertThatThrownBy(() -> retirement.scheduleDeletion(key))
        .isInstanceOf(RetirementRefusedException.class)
        .hasMessageContaining("1 use attempt after the disable");
  }

  @Test
  void aSuccessfulUseAfterTheDisableTimeBlocksDeletion() {
    String key = provision(Blueprints.PAYMENTS).arn();
    retirement.disable(key);
    clock.advance(Duration.ofDays(2));
    kms.enableKey(x -> x.keyId(key));
    encrypt(key);
    kms.disableKey(x -> x.keyId(key));

    clock.advance(Duration.ofDays(40));
    RetirementStatus s = retirement.status(key);
    assertThat(s.usesAfterDisable()).isEqualTo(1);
    assertThat(s.refusals()).anySatisfy(r -> assertThat(r).contains("re-enabled"));
  }

  @Test
  void anEnabledKeyIsRefused() {
    String key = provision(Blueprints.PAYMENTS).arn();
    clock.advance(Duration.ofDays(400));
    assertThatThrownBy(() -> retirement.scheduleDeletion(key))
        .isInstanceOf(RetirementRefusedException.class)
        .hasMessageContaining("is enabled");
  }

  @Test
  void withoutTheTagTheDisableKeyEventDecidesAndWithoutEitherItIsRefused() {
    String key = provision(Blueprints.PAYMENTS).arn();
    kms.disableKey(x -> x.keyId(key));
    clock.advance(Duration.ofDays(30));
    RetirementStatus fromTrail = retirement.status(key);
    assertThat(fromTrail.disabledAtSource()).isEqualTo("CloudTrail DisableKey");
    assertThat(fromTrail.deletionAllowed()).as("%s", fromTrail).isTrue();

    account.kms.journal().clear(); // CloudTrail no longer has the DisableKey event
    RetirementStatus unknown = retirement.status(key);
    assertThat(unknown.disabledAt()).isEmpty();
    assertThat(unknown.refusals()).singleElement().asString().contains("unknown");
  }

  @Test
  void aNeverUsedLeftoverOfAFailedProvisioningIsExemptFromTheCycle() {
    String key =
        kms.createKey(
                x ->
                    x.tags(
                        Tag.builder().tagKey(ProvisioningTags.RUN).tagValue("run-1").build(),
                        Tag.builder().tagKey(ProvisioningTags.FAILED).tagValue("run-1").build()))
            .keyMetadata()
            .arn();
    kms.disableKey(x -> x.keyId(key));
    RetirementStatus s = retirement.status(key);
    assertThat(s.exempt()).isTrue();
    assertThat(s.deletionAllowed()).isTrue();
    assertThat(retirement.scheduleDeletion(key).state()).isEqualTo("PendingDeletion");
  }

  @Test
  void aMultiRegionKeyIsRetiredAsASetReplicasFirst() {
    ProvisionedKey key = provision(Blueprints.PAYMENTS_MULTI_REGION);
    String replica = key.replicas().get("eu-west-1");
    RetirementStatus disabled = retirement.disable(key.arn());
    assertThat(disabled.members())
        .extracting(RetirementStatus.Member::state)
        .containsExactly("Disabled", "Disabled");

    clock.advance(Duration.ofDays(10));
    assertThatThrownBy(
            () ->
                account
                    .kms(LocalAccount.WEST)
                    .encrypt(x -> x.keyId(replica).plaintext(SdkBytes.fromUtf8String("x"))))
        .isInstanceOf(DisabledException.class);
    clock.advance(Duration.ofDays(25));
    assertThat(retirement.status(key.arn()).refusals())
        .singleElement()
        .asString()
        .contains("1 use attempt");
  }

  @Test
  void aMultiRegionPrimaryWaitsForItsReplicas() {
    ProvisionedKey key = provision(Blueprints.PAYMENTS_MULTI_REGION);
    String replica = key.replicas().get("eu-west-1");
    retirement.disable(key.arn());
    clock.advance(Duration.ofDays(30));
    account.kms.journal().clear();

    RetirementStatus s = retirement.scheduleDeletion(key.arn());
    assertThat(s.members())
        .extracting(m -> m.region() + " " + m.state())
        .containsExactly("us-east-1 PendingReplicaDeletion", "eu-west-1 PendingDeletion");
    assertThat(s.waitingForReplicas()).containsExactly(replica);
    assertThat(account.mutatingCalls())
        .containsExactly("ScheduleKeyDeletion [eu-west-1]", "ScheduleKeyDeletion [us-east-1]");
  }

  @Test
  void watchingAKeyWaitingDisabledIsQuietUntilAUseAttemptBlocksIt() {
    String key = provision(Blueprints.PAYMENTS).arn();
    retirement.disable(key);
    clock.advance(Duration.ofDays(3));
    assertThat(retirement.watch(key).outcome()).isEqualTo(RetirementWatch.Outcome.QUIET);

    clock.advance(Duration.ofDays(7));
    assertThatThrownBy(() -> encrypt(key)).isInstanceOf(DisabledException.class);
    RetirementWatch w = retirement.watch(key);
    assertThat(w.outcome()).isEqualTo(RetirementWatch.Outcome.BLOCKED);
    assertThat(w.evidence()).singleElement().asString().contains("1 use attempt");
    assertThat(w.status().deletionAllowed()).isFalse();

    clock.advance(Duration.ofDays(30));
    assertThatThrownBy(() -> retirement.scheduleDeletion(key))
        .isInstanceOf(RetirementRefusedException.class);
    assertThat(kms.describeKey(x -> x.keyId(key)).keyMetadata().keyStateAsString())
        .isEqualTo("Disabled");
  }

  @Test
  void getKeyLastUsageRevealsAUseAfterTheDisableThatCloudTrailNoLongerShows() {
    String key = provision(Blueprints.PAYMENTS).arn();
    retirement.disable(key);
    clock.advance(Duration.ofDays(2));
    kms.enableKey(x -> x.keyId(key));
    encrypt(key);
    kms.disableKey(x -> x.keyId(key));
    account.kms.journal().clear(); // CloudTrail has no event of the use (or of the disable)

    clock.advance(Duration.ofDays(30));
    RetirementWatch w = retirement.watch(key);
    assertThat(w.outcome()).isEqualTo(RetirementWatch.Outcome.BLOCKED);
    assertThat(w.evidence())
        .singleElement()
        .asString()
        .contains("GetKeyLastUsage")
        .contains(clock.instant().minus(Duration.ofDays(30)).toString());
  }

  @Test
  void aUseAttemptWhileTheDeletionIsPendingCancelsTheDeletion() {
    String key = provision(Blueprints.PAYMENTS).arn();
    retirement.disable(key);
    clock.advance(Duration.ofDays(30));
    retirement.scheduleDeletion(key);
    clock.advance(Duration.ofDays(1));
    assertThat(retirement.watch(key).outcome()).isEqualTo(RetirementWatch.Outcome.QUIET);

    clock.advance(Duration.ofDays(2));
    account.kms.journal().clear(); // from here on, the journal shows only what follows
    assertThatThrownBy(() -> encrypt(key))
        .isInstanceOf(software.amazon.awssdk.services.kms.model.KmsInvalidStateException.class);
    RetirementWatch w = retirement.watch(key);
    assertThat(w.outcome()).isEqualTo(RetirementWatch.Outcome.DELETION_CANCELLED);
    assertThat(w.evidence())
        .singleElement()
        .asString()
        .contains("Encrypt")
        .contains("KMSInvalidStateException")
        .contains("while its deletion was pending");
    assertThat(w.status().state()).isEqualTo("Disabled");
    // the failed Encrypt is a read-only event; the only change is the cancellation
    assertThat(account.mutatingCalls()).containsExactly("CancelKeyDeletion [us-east-1]");
    // the key stays refused: something still needs it
    assertThat(retirement.status(key).deletionAllowed()).isFalse();
  }

  @Test
  void aMultiRegionReplicaTriedWhilePendingCancelsTheWholeSet() {
    ProvisionedKey key = provision(Blueprints.PAYMENTS_MULTI_REGION);
    String replica = key.replicas().get("eu-west-1");
    retirement.disable(key.arn());
    clock.advance(Duration.ofDays(30));
    retirement.scheduleDeletion(key.arn());
    clock.advance(Duration.ofDays(1));
    assertThatThrownBy(
            () ->
                account
                    .kms(LocalAccount.WEST)
                    .encrypt(x -> x.keyId(replica).plaintext(SdkBytes.fromUtf8String("x"))))
        .isInstanceOf(software.amazon.awssdk.services.kms.model.KmsInvalidStateException.class);
    RetirementWatch w = retirement.watch(key.arn());
    assertThat(w.outcome()).isEqualTo(RetirementWatch.Outcome.DELETION_CANCELLED);
    assertThat(w.status().members())
        .extracting(RetirementStatus.Member::state)
        .containsExactly("Disabled", "Disabled");
  }

  @Test
  void theBackgroundWatchCancelsAPendingDeletionOnAUseAttemptAndEndsWhenTheKeyIsGone()
      throws InterruptedException {
    String key = provision(Blueprints.PAYMENTS).arn();
    retirement.disable(key);
    clock.advance(Duration.ofDays(30));
    retirement.scheduleDeletion(key);
    java.util.concurrent.BlockingQueue<RetirementWatch> looks =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.ScheduledExecutorService scheduler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (RetirementWatcher watcher =
        retirement.startWatching(key, scheduler, Duration.ofMillis(20), looks::add)) {
      assertThat(looks.poll(10, java.util.concurrent.TimeUnit.SECONDS))
          .extracting(RetirementWatch::outcome)
          .isEqualTo(RetirementWatch.Outcome.QUIET);
      clock.advance(Duration.ofDays(1));
      assertThatThrownBy(() -> encrypt(key))
          .isInstanceOf(software.amazon.awssdk.services.kms.model.KmsInvalidStateException.class);
      RetirementWatch cancelled = null;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (cancelled == null && System.nanoTime() < deadline) {
        RetirementWatch w = looks.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (w != null && w.outcome() == RetirementWatch.Outcome.DELETION_CANCELLED) {
          cancelled = w;
        }
      }
      assertThat(cancelled).as("a look that cancelled the deletion").isNotNull();
      assertThat(kms.describeKey(x -> x.keyId(key)).keyMetadata().keyStateAsString())
          .isEqualTo("Disabled");
      assertThat(watcher.isDone()).isFalse();
      assertThat(watcher.lastFailure()).isEmpty();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aWatchOfADeletedKeyEnds() {
    String key =
        kms.createKey(
                x ->
                    x.tags(
                        Tag.builder().tagKey(ProvisioningTags.RUN).tagValue("run-1").build(),
                        Tag.builder().tagKey(ProvisioningTags.FAILED).tagValue("run-1").build()))
            .keyMetadata()
            .arn();
    kms.disableKey(x -> x.keyId(key));
    retirement.scheduleDeletion(key);
    clock.advance(Duration.ofDays(31));
    assertThat(retirement.watch(key).outcome()).isEqualTo(RetirementWatch.Outcome.DELETED);
  }
}

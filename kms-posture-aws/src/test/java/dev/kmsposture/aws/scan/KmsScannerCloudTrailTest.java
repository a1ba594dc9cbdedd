package dev.kmsposture.aws.scan;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyCaller;
import dev.kmsposture.snapshot.KeyEvent;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.TrailSnapshot;
import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.LocalKms;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DisabledException;

class KmsScannerCloudTrailTest {
  @TempDir Path logs;

  @Test
  void scan_trailsAndEventDataStores_becomeTheTrailModelTheRuleJudges() {
    try (SeededAccount account = SeededAccount.start(5, 0)) {
      // given: a multi-Region trail that excludes KMS, a single-Region trail, and an event data
      // store that logs management events
      CloudTrailClient east = account.cloudTrail(SeededAccount.EAST);
      east.createTrail(
          r -> r.name("org-audit").s3BucketName("audit-logs").isMultiRegionTrail(true));
      east.putEventSelectors(
          r ->
              r.trailName("org-audit")
                  .eventSelectors(
                      EventSelector.builder()
                          .readWriteType(ReadWriteType.ALL)
                          .includeManagementEvents(true)
                          .excludeManagementEventSources("kms.amazonaws.com")
                          .build()));
      east.startLogging(r -> r.name("org-audit"));
      CloudTrailClient west = account.cloudTrail(SeededAccount.WEST);
      west.createTrail(r -> r.name("eu-only").s3BucketName("eu-logs"));
      east.createEventDataStore(
          r ->
              r.name("lake")
                  .multiRegionEnabled(true)
                  .advancedEventSelectors(
                      AdvancedEventSelector.builder()
                          .name("management")
                          .fieldSelectors(
                              AdvancedFieldSelector.builder()
                                  .field("eventCategory")
                                  .equalsValue("Management")
                                  .build())
                          .build()));

      // when
      AccountSnapshot snapshot =
          account
              .scanner()
              .cloudTrailClients(account::cloudTrail)
              .options(o -> o.lastUsage(false))
              .build()
              .scan();

      // then: each trail once (shadow copies folded), by ARN, with status and selectors
      assertThat(snapshot.trails()).isNotNull();
      assertThat(snapshot.trails()).extracting(TrailSnapshot::name).doesNotHaveDuplicates();
      TrailSnapshot org =
          requireNonNull(snapshot.trails()).stream()
              .filter(t -> t.name().endsWith(":trail/org-audit"))
              .findFirst()
              .orElseThrow();
      assertThat(org.homeRegion()).isEqualTo("us-east-1");
      assertThat(org.multiRegion()).isTrue();
      assertThat(org.logging()).isTrue();
      assertThat(org.eventSelectors())
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.excludeManagementEventSources())
                      .containsExactly("kms.amazonaws.com"));
      TrailSnapshot eu =
          snapshot.trails().stream()
              .filter(t -> t.name().endsWith(":trail/eu-only"))
              .findFirst()
              .orElseThrow();
      assertThat(eu.multiRegion()).isFalse();
      assertThat(eu.homeRegion()).isEqualTo("eu-west-1");
      TrailSnapshot lake =
          snapshot.trails().stream()
              .filter(t -> t.name().contains(":eventdatastore/"))
              .findFirst()
              .orElseThrow();
      assertThat(lake.multiRegion()).isTrue();
      assertThat(lake.logging()).isTrue();
      assertThat(lake.advancedEventSelectors()).hasSize(1);

      // and the rule sees the lake's coverage (the trail excludes KMS)
      PostureReport report =
          PostureEngine.builder()
              .ruleSet(RuleSet.of(KmsPostureRules.KMS_EVENTS_NOT_LOGGED))
              .build()
              .check(snapshot);
      Finding f = report.findings().get(0);
      assertThat(f.status()).isEqualTo(Status.PASS);
      assertThat(f.message()).contains("KMS excluded");
    }
  }

  @Test
  void scan_withoutCloudTrailClients_trailsAreNotCollected() {
    try (SeededAccount account = SeededAccount.start(5, 0)) {
      AccountSnapshot snapshot = account.scanner().options(o -> o.lastUsage(false)).build().scan();

      assertThat(snapshot.trails()).isNull();
    }
  }

  @Test
  void scan_usageWindow_readsCallersAndKeyEventsFromEventHistory() {
    String app = "AKIAAPPROLE000000000";
    String admin = "AKIAADMIN00000000000";
    try (SeededAccount account =
        SeededAccount.start(
            LocalKms.builder()
                .maxPageSize(5)
                .caller(app, Caller.of("arn:aws:sts::123456789012:assumed-role/app/i-0abc"))
                .caller(admin, Caller.of("arn:aws:iam::123456789012:user/admin")),
            0)) {
      // given: the app encrypts and decrypts with one key; an admin disables another key and
      // schedules its deletion; the app then fails to use it
      String used = arn(SeededAccount.SYMMETRIC);
      String retired = arn(SeededAccount.NO_ROTATION);
      try (KmsClient asApp = account.server.kmsClient(SeededAccount.EAST, app);
          KmsClient asAdmin = account.server.kmsClient(SeededAccount.EAST, admin)) {
        SdkBytes blob =
            asApp
                .encrypt(r -> r.keyId(used).plaintext(SdkBytes.fromUtf8String("x")))
                .ciphertextBlob();
        asApp.decrypt(r -> r.ciphertextBlob(blob));
        asAdmin.disableKey(r -> r.keyId(retired));
        try {
          asApp.encrypt(r -> r.keyId(retired).plaintext(SdkBytes.fromUtf8String("x")));
        } catch (DisabledException expected) {
          // the failure the deletion rules look for
        }
        asAdmin.scheduleKeyDeletion(r -> r.keyId(retired).pendingWindowInDays(7));
      }

      // when
      AccountSnapshot snapshot =
          account
              .scanner()
              .cloudTrailClients(account::cloudTrail)
              .options(
                  o ->
                      o.usageWindow(Duration.ofDays(30))
                          .trails(false)
                          .quota("GetKeyLastUsage", 1000)
                          .quota("LookupEvents", 1000))
              .build()
              .scan();

      // then
      KeySnapshot usedKey = snapshot.key(used).orElseThrow();
      assertThat(usedKey.callers())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.principalArn())
                    .startsWith("arn:aws:iam::123456789012:role/")
                    .endsWith("app");
                assertThat(c.operations()).containsExactly("Decrypt", "Encrypt");
                assertThat(c.eventCount()).isEqualTo(2);
                assertThat(c.service()).isNull();
              });
      KeySnapshot retiredKey = snapshot.key(retired).orElseThrow();
      assertThat(retiredKey.keyEvents())
          .extracting(e -> e.eventName() + (e.errorCode() == null ? "" : " " + e.errorCode()))
          .containsExactly("DisableKey", "Encrypt DisabledException", "ScheduleKeyDeletion");
      assertThat(retiredKey.keyEvents())
          .filteredOn(e -> e.eventName().equals("ScheduleKeyDeletion"))
          .extracting(KeyEvent::pendingWindowInDays)
          .containsExactly(7);
      assertThat(snapshot.keys())
          .filteredOn(k -> k.metadata().isCustomerManaged())
          .allSatisfy(
              k -> {
                assertThat(k.callers()).as(k.arn()).isNotNull();
                assertThat(k.keyEvents()).as(k.arn()).isNotNull();
              });

      // the deletion rule now has what it needs: the key was disabled the same day it was
      // scheduled, and something still failed on it
      PostureReport report =
          PostureEngine.builder()
              .ruleSet(RuleSet.of(KmsPostureRules.DELETION_SCHEDULED_WITHOUT_DISABLING))
              .build()
              .check(snapshot);
      Finding f =
          report.findings().stream()
              .filter(x -> retired.equals(x.keyArn()))
              .findFirst()
              .orElseThrow();
      assertThat(f.status()).isEqualTo(Status.FAIL);
      assertThat(f.message()).contains("DisabledException");
    }
  }

  @Test
  void scan_logFiles_readInsteadOfEventHistory() throws IOException {
    String key = arn(SeededAccount.SYMMETRIC);
    Path day = logs.resolve("AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/27");
    Files.createDirectories(day);
    try (OutputStream out =
        new GZIPOutputStream(
            Files.newOutputStream(day.resolve("123456789012_CloudTrail_a.json.gz")))) {
      out.write(
          ("{\"Records\":[{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
                  + "\"arn\":\"arn:aws:sts::123456789012:assumed-role/ebs-role/s\","
                  + "\"sessionContext\":{\"sessionIssuer\":{\"arn\":"
                  + "\"arn:aws:iam::123456789012:role/ebs-role\"}},\"invokedBy\":"
                  + "\"ec2.amazonaws.com\"},\"eventTime\":\"2026-11-27T10:00:00Z\",\"eventSource\":"
                  + "\"kms.amazonaws.com\",\"eventName\":\"GenerateDataKeyWithoutPlaintext\","
                  + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"ec2.amazonaws.com\","
                  + "\"userAgent\":\"ec2.amazonaws.com\",\"requestParameters\":"
                  + "{\"encryptionContext\":{\"aws:ebs:id\":\"vol-0abc\"}},\"resources\":"
                  + "[{\"ARN\":\""
                  + key
                  + "\",\"type\":\"AWS::KMS::Key\"}]}]}")
              .getBytes(StandardCharsets.UTF_8));
    }
    try (SeededAccount account = SeededAccount.start(5, 0)) {
      AccountSnapshot snapshot =
          account
              .scanner()
              .options(o -> o.cloudTrailLogs(logs).quota("GetKeyLastUsage", 1000))
              .build()
              .scan();

      KeyCaller caller = requireNonNull(snapshot.key(key).orElseThrow().callers()).get(0);
      assertThat(caller.principalArn()).isEqualTo("arn:aws:iam::123456789012:role/ebs-role");
      assertThat(caller.service()).isEqualTo("ec2.amazonaws.com");
      assertThat(caller.serviceEvidence()).isEqualTo("invokedBy");
      assertThat(snapshot.keys())
          .filteredOn(k -> !k.unreadable().containsKey(KeyPart.METADATA))
          .allSatisfy(k -> assertThat(k.callers()).as(k.arn()).isNotNull());
      assertThat(snapshot.collectionErrors()).isEmpty();
    }
  }

  @Test
  void scan_logDirectoryMissing_marksUsageUnreadable() {
    try (SeededAccount account = SeededAccount.start(5, 0)) {
      AccountSnapshot snapshot =
          account
              .scanner()
              .options(o -> o.cloudTrailLogs(logs.resolve("absent")).quota("GetKeyLastUsage", 1000))
              .build()
              .scan();

      assertThat(snapshot.collectionErrors())
          .singleElement()
          .satisfies(e -> assertThat(e.message()).contains("is not a directory"));
      assertThat(snapshot.keys())
          .allSatisfy(k -> assertThat(k.unreadable()).containsKey(KeyPart.CALLERS));
    }
  }

  private static String arn(String keyId) {
    return "arn:aws:kms:us-east-1:123456789012:key/" + keyId;
  }

  static List<String> names(List<KeyCaller> callers) {
    return callers.stream().map(KeyCaller::principalArn).toList();
  }
}

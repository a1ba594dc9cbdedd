package dev.kmsposture.cli;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyEvent;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeySnapshot;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoSnapshotTest {
  private static final Path CANONICAL =
      Path.of("../examples/src/main/resources/demo/snapshot.json");

  private static AccountSnapshot demo() {
    return DemoReport.snapshot();
  }

  private static KeyPolicy policyOf(KeySnapshot key) {
    return KeyPolicy.parse(requireNonNull(key.policy(), key.arn()));
  }

  private static KeySnapshot alias(String name) {
    return demo().keys().stream()
        .filter(k -> k.aliases() != null && k.aliases().contains("alias/" + name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void bundledResource_isTheFileInExamples() throws Exception {
    byte[] bundled;
    try (InputStream in = DemoReport.class.getResourceAsStream(DemoReport.RESOURCE)) {
      bundled = in.readAllBytes();
    }

    assertThat(new String(bundled, StandardCharsets.UTF_8))
        .as("the bundled demo snapshot must be %s, copied at build time", CANONICAL)
        .isEqualTo(Files.readString(CANONICAL));
  }

  @Test
  void snapshot_roundTrip_isByteIdentical() throws Exception {
    assertThat(demo().toJson()).isEqualTo(Files.readString(CANONICAL));
  }

  @Test
  void snapshot_everyPolicy_parses() {
    for (KeySnapshot k : demo().keys()) {
      assertThat(policyOf(k).statements()).as(k.arn()).isNotEmpty();
    }
  }

  @Test
  void snapshot_account_isTheAuditedOneAtAFixedTime() {
    assertThat(demo().account()).isEqualTo("111122223333");
    assertThat(demo().capturedAt()).hasToString("2026-11-28T09:00:00Z");
    assertThat(demo().keys()).hasSize(9);
  }

  @Test
  void prodCustomerPii_hasRotationDisabledAndTheConsoleRootPolicy() {
    KeySnapshot k = alias("prod-customer-pii");

    assertThat(requireNonNull(k.rotation()).enabled()).isFalse();
    assertThat(k.tags())
        .containsEntry("Environment", "prod")
        .containsEntry("DataClassification", "restricted");
    KeyPolicy p = policyOf(k);
    assertThat(p.statements()).hasSize(1);
    assertThat(p.statements().get(0).actions())
        .extracting(Object::toString)
        .containsExactly("kms:*");
  }

  @Test
  void keyWithoutAlias_wasNeverUsedSinceCreation() {
    KeySnapshot k =
        demo().keys().stream()
            .filter(x -> x.aliases() != null && x.aliases().isEmpty())
            .findFirst()
            .orElseThrow();

    assertThat(k.tags()).isEmpty();
    KeyLastUsage usage = requireNonNull(k.lastUsage());
    assertThat(usage.lastUsedAt()).isNull();
    assertThat(usage.trackingStartDate()).isAfterOrEqualTo(k.metadata().creationDate());
  }

  @Test
  void legacyBilling_isPendingDeletionAfterUseLastWeekWithoutBeingDisabled() {
    KeySnapshot k = alias("legacy-billing");

    assertThat(k.metadata().isPendingDeletion()).isTrue();
    assertThat(k.metadata().deletionDate()).isAfter(demo().capturedAt());
    assertThat(
            Duration.between(requireNonNull(k.lastUsage()).lastUsedAt(), demo().capturedAt())
                .toDays())
        .isBetween(6L, 8L);
    List<KeyEvent> events = requireNonNull(k.keyEvents());
    assertThat(events)
        .extracting(KeyEvent::eventName)
        .contains("ScheduleKeyDeletion")
        .doesNotContain("DisableKey");
    KeyEvent schedule =
        events.stream()
            .filter(e -> e.eventName().equals("ScheduleKeyDeletion"))
            .findFirst()
            .orElseThrow();
    assertThat(schedule.pendingWindowInDays()).isEqualTo(7);
    assertThat(schedule.time().plus(Duration.ofDays(7))).isEqualTo(k.metadata().deletionDate());
  }

  @Test
  void importedKey_expiresInTenDays() {
    KeySnapshot k =
        demo().keys().stream()
            .filter(x -> x.metadata().isImportedMaterial())
            .findFirst()
            .orElseThrow();

    assertThat(k.metadata().expirationModel()).isEqualTo("KEY_MATERIAL_EXPIRES");
    assertThat(Duration.between(demo().capturedAt(), k.metadata().validTo()).toDays())
        .isEqualTo(10);
  }

  @Test
  void multiRegionReplica_hasAPolicyThatDiffersFromItsPrimary() {
    List<KeySnapshot> mrk =
        demo().keys().stream().filter(k -> k.keyId().startsWith("mrk-")).toList();

    assertThat(mrk).hasSize(2);
    assertThat(mrk.get(0).metadata().isPrimary()).isTrue();
    assertThat(mrk.get(1).metadata().isReplica()).isTrue();
    assertThat(policyOf(mrk.get(1)).isEquivalentTo(policyOf(mrk.get(0)))).isFalse();
    assertThat(mrk.get(1).policy()).contains("arn:aws:iam::444455556666:root");
  }

  @Test
  void sharedS3Uploads_allowsEveryoneWithOnlyViaService() {
    KeyPolicy p = policyOf(alias("shared-s3-uploads"));

    var open = p.statement("AllowUseThroughS3").orElseThrow();
    assertThat(open.principals()).anyMatch(pr -> pr.isEveryone());
    assertThat(open.conditions()).hasSize(1);
    assertThat(open.conditions().get(0).key().toString()).isEqualToIgnoringCase("kms:ViaService");
  }

  @Test
  void trail_excludesKmsEvents_andAliasesIncludeAwsEbs() {
    assertThat(
            requireNonNull(demo().trails())
                .get(0)
                .eventSelectors()
                .get(0)
                .excludeManagementEventSources())
        .containsExactly("kms.amazonaws.com");
    assertThat(demo().aliases()).anyMatch(a -> a.aliasName().equals("alias/aws/ebs"));
  }

  @Test
  void releaseSigning_isAsymmetric() {
    KeySnapshot k = alias("release-signing");

    assertThat(k.metadata().keySpec()).isEqualTo("RSA_2048");
    assertThat(k.metadata().keyUsage()).isEqualTo("SIGN_VERIFY");
  }

  @Test
  void markdown_withTestRules_putsTheWorstKeyFirst() {
    String md =
        new dev.kmsposture.report.MarkdownReportWriter()
            .write(DemoReport.report(CheckCommandTest.testRules()));

    assertThat(md.indexOf("### legacy-billing"))
        .isPositive()
        .isLessThan(md.indexOf("### prod-customer-pii"));
  }
}

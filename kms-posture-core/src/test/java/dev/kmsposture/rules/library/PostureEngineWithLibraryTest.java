package dev.kmsposture.rules.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import org.junit.jupiter.api.Test;

class PostureEngineWithLibraryTest {
  private static final PostureEngine ENGINE =
      PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();

  private static AccountSnapshot mixedSnapshot() {
    return Fixtures.snapshotWith(
        """
        {"trails": [{"name": "main", "homeRegion": "us-east-1", "multiRegion": true,
          "organization": false, "logging": true,
          "eventSelectors": [{"readWriteType": "All", "includeManagementEvents": true,
                              "excludeManagementEventSources": ["kms.amazonaws.com"]}]}]}
        """,
        Fixtures.key(
            """
            {"aliases": ["alias/prod-customer-pii"], "rotation": {"enabled": false},
             "tags": {"Environment": "prod", "DataClassification": "restricted"}}
            """),
        Fixtures.key(
            "2222bbbb-12ab-34cd-56ef-1234567890ab",
            """
            {"aliases": [], "tags": {},
             "lastUsage": {"trackingStartDate": "2025-01-01T00:00:00Z"}}
            """),
        Fixtures.key(
            "3333cccc-12ab-34cd-56ef-1234567890ab",
            """
            {"aliases": ["alias/legacy-billing"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-10T00:00:00Z"},
             "lastUsage": {"lastUsedAt": "2026-05-25T00:00:00Z",
                           "trackingStartDate": "2025-01-01T00:00:00Z"}}
            """));
  }

  @Test
  void check_sameSnapshotTwice_givesIdenticalReports() {
    PostureReport first = ENGINE.check(mixedSnapshot());
    PostureReport second = ENGINE.check(AccountSnapshot.parse(mixedSnapshot().toJson()));

    assertThat(second).isEqualTo(first);
    assertThat(second.toString()).isEqualTo(first.toString());
  }

  @Test
  void check_mixedSnapshot_putsTheCriticalFailuresFirstByAlias() {
    PostureReport report = ENGINE.check(mixedSnapshot());

    assertThat(report.findings().get(0).status()).isEqualTo(Status.FAIL);
    assertThat(report.activeFailures())
        .extracting(f -> f.message())
        .contains(
            "Rotation is disabled on the CMK named prod-customer-pii",
            "Nobody can explain the CMK arn:aws:kms:us-east-1:111122223333:key/"
                + "2222bbbb-12ab-34cd-56ef-1234567890ab (it has no alias): no alias, no owner tag,"
                + " no recorded use");
  }

  @Test
  void check_zeroKeys_isReportedAsEmptyNotClean() {
    PostureReport report = ENGINE.check(Fixtures.snapshot());

    assertThat(report.isEmptySnapshot()).isTrue();
    assertThat(report.keyCount()).isZero();
    assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("not a clean result"));
    assertThat(report.findings())
        .allSatisfy(f -> assertThat(f.keyArn()).isNull())
        .noneMatch(f -> f.status() == Status.PASS);
  }
}

package dev.kmsposture.rules.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class KmsEventsNotLoggedTest {
  private static final KmsEventsNotLogged RULE = new KmsEventsNotLogged();

  private static Finding check(String envelope) {
    AccountSnapshot s = Fixtures.snapshotWith(envelope, Fixtures.key("{}"));
    List<Finding> f = RULE.check(s, RuleContext.of(s, PostureConfig.defaults()));
    assertThat(f).hasSize(1);
    return f.get(0);
  }

  private static String basicTrail(String name, boolean multiRegion, String rw, String excluded) {
    return """
        {"name": "%s", "homeRegion": "us-east-1", "multiRegion": %s, "organization": false,
         "logging": true,
         "eventSelectors": [{"readWriteType": "%s", "includeManagementEvents": true,
                             "excludeManagementEventSources": [%s]}]}
        """
        .formatted(name, multiRegion, rw, excluded);
  }

  @Test
  void check_multiRegionTrailLoggingAllManagementEvents_passes() {
    Finding f = check("{\"trails\": [" + basicTrail("org-trail", true, "All", "") + "]}");

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.keyArn()).isNull();
    assertThat(f.message())
        .startsWith(
            "KMS calls including cryptographic operations are logged by the multi-Region trail"
                + " org-trail")
        .contains("trail org-trail: crypto ops logged");
  }

  @Test
  void check_trailExcludingKms_failsSayingKmsExcluded() {
    Finding f =
        check("{\"trails\": [" + basicTrail("main", true, "All", "\"kms.amazonaws.com\"") + "]}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith("No multi-Region trail that is logging records KMS calls")
        .contains("trail main: KMS excluded (kms.amazonaws.com)");
  }

  @Test
  void check_writeOnlyTrail_failsSayingManagementWritesOnly() {
    Finding f = check("{\"trails\": [" + basicTrail("main", true, "WriteOnly", "") + "]}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("trail main: management writes only");
  }

  @Test
  void check_singleRegionTrail_fails() {
    Finding f = check("{\"trails\": [" + basicTrail("local", false, "All", "") + "]}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("(single-Region, us-east-1 only)");
  }

  @Test
  void check_readOnlyTrail_passes() {
    Finding f = check("{\"trails\": [" + basicTrail("reads", true, "ReadOnly", "") + "]}");

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("not key-management writes (ReadOnly)");
  }

  @Test
  void check_advancedSelectorExcludingKmsSource_fails() {
    Finding f =
        check(
            """
            {"trails": [{"name": "adv", "homeRegion": "us-east-1", "multiRegion": true,
              "organization": false, "logging": true, "eventSelectors": [],
              "advancedEventSelectors": [{"name": "mgmt", "fieldSelectors": [
                {"field": "eventCategory", "equalsValues": ["Management"]},
                {"field": "eventSource", "notEquals": ["kms.amazonaws.com", "rdsdata.amazonaws.com"]}]}]}]}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("trail adv: KMS excluded");
  }

  @Test
  void check_advancedSelectorWithReadOnlyFalse_failsAsWritesOnly() {
    Finding f =
        check(
            """
            {"trails": [{"name": "adv", "homeRegion": "us-east-1", "multiRegion": true,
              "organization": false, "logging": true, "eventSelectors": [],
              "advancedEventSelectors": [{"name": "mgmt", "fieldSelectors": [
                {"field": "eventCategory", "equalsValues": ["Management"]},
                {"field": "readOnly", "equalsValues": ["false"]}]}]}]}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("trail adv: management writes only");
  }

  @Test
  void check_advancedManagementSelector_passes() {
    Finding f =
        check(
            """
            {"trails": [{"name": "adv", "homeRegion": "us-east-1", "multiRegion": true,
              "organization": true, "logging": true, "eventSelectors": [],
              "advancedEventSelectors": [
                {"name": "data", "fieldSelectors": [
                  {"field": "eventCategory", "equalsValues": ["Data"]},
                  {"field": "resources.type", "equalsValues": ["AWS::S3::Object"]}]},
                {"name": "mgmt", "fieldSelectors": [
                  {"field": "eventCategory", "equalsValues": ["Management"]}]}]}]}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void check_trailNotLogging_fails() {
    Finding f =
        check(
            "{\"trails\": ["
                + basicTrail("main", true, "All", "")
                    .replace("\"logging\": true", "\"logging\": false")
                + "]}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("(not logging)");
  }

  @Test
  void check_noTrails_fails() {
    Finding f = check("{\"trails\": []}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "Account 111122223333 has no CloudTrail trail: KMS calls are kept only in the 90-day"
                + " event history");
  }

  @Test
  void check_trailsNotCollected_isUnknownWithTheError() {
    Finding f =
        check(
            """
            {"collectionErrors": [{"region": "us-east-1", "operation": "cloudtrail:DescribeTrails",
                                   "message": "AccessDeniedException"}]}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .contains("cloudtrail:DescribeTrails failed: AccessDeniedException")
        .contains("cannot be told");
  }

  @Test
  void check_loggingStatusUnknown_isUnknown() {
    Finding f =
        check(
            "{\"trails\": ["
                + basicTrail("main", true, "All", "").replace("\"logging\": true,", "")
                + "]}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("logging status unknown");
  }
}

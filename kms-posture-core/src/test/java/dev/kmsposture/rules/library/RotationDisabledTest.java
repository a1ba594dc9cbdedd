package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.key;
import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotationDisabledTest {
  private static final RotationDisabled RULE = new RotationDisabled();

  @Test
  void check_rotationOff_failsNamingTheAlias() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-customer-pii"], "rotation": {"enabled": false}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).isEqualTo("Rotation is disabled on the CMK named prod-customer-pii");
  }

  @Test
  void check_rotationOn_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-customer-pii"],
             "rotation": {"enabled": true, "rotationPeriodInDays": 365}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("enabled every 365 days on the CMK named prod-customer-pii");
  }

  @Test
  void check_disabledKeyWithRotationOff_stillFails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/billing"], "metadata": {"keyState": "Disabled"},
             "rotation": {"enabled": false}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("the CMK named billing").contains("rotation is paused");
  }

  @Test
  void check_asymmetricSigningKey_isNotApplicableWithReason() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/release-signing"],
             "metadata": {"keySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"},
             "rotation": {"enabled": false}}
            """);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message())
        .contains("The CMK named release-signing cannot rotate automatically")
        .contains("asymmetric signing key (RSA_2048)");
  }

  @Test
  void check_hmacKey_isNotApplicable() {
    Finding f =
        one(
            RULE,
            """
            {"metadata": {"keySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC"}}
            """);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("HMAC key (HMAC_256)").contains("(it has no alias)");
  }

  @Test
  void check_importedMaterial_isNotApplicable() {
    Finding f = one(RULE, "{\"metadata\": {\"origin\": \"EXTERNAL\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("imported (origin EXTERNAL)");
  }

  @Test
  void check_cloudHsmKey_isNotApplicable() {
    Finding f =
        one(
            RULE,
            """
            {"metadata": {"origin": "AWS_CLOUDHSM", "customKeyStoreId": "cks-1234567890abcdef0"}}
            """);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("AWS CloudHSM key store");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/aws/ebs"], "metadata": {"keyManager": "AWS"}}
            """);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("The AWS managed key aws/ebs is AWS managed");
  }

  @Test
  void check_pendingDeletion_isNotApplicableBecauseKmsReportsFalse() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/old-orders"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-20T00:00:00Z"},
             "rotation": {"enabled": false}}
            """);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("old-orders is pending deletion");
  }

  @Test
  void check_rotationUnreadable_isUnknownWithReason() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-customer-pii"],
             "unreadable": {"ROTATION": "AccessDeniedException: not authorized"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .isEqualTo(
            "The rotation status of the CMK named prod-customer-pii could not be read:"
                + " AccessDeniedException: not authorized");
  }

  @Test
  void check_rotationNotCollected_isUnknown() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/prod-customer-pii\"]}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("was not collected");
  }

  @Test
  void check_replica_isJudgedThroughItsPrimary() {
    // given
    String mr =
        """
        "multiRegion": {"keyType": "%s",
          "primaryKey": {"arn": "arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef", "region": "us-east-1"},
          "replicaKeys": [{"arn": "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef", "region": "eu-west-1"}]}
        """;
    String primary =
        Fixtures.key(
            "mrk-0123456789abcdef0123456789abcdef",
            "{\"aliases\": [\"alias/orders\"], \"rotation\": {\"enabled\": false},"
                + " \"metadata\": {"
                + mr.formatted("PRIMARY")
                + "}}");
    String replica =
        Fixtures.merge(
            primary,
            "{\"arn\": \"arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef\","
                + " \"region\": \"eu-west-1\", \"rotation\": null, \"metadata\": {"
                + mr.formatted("REPLICA")
                + "}}");
    AccountSnapshot s = Fixtures.snapshot(primary, replica);

    // when
    List<Finding> f =
        Fixtures.run(
            RULE,
            PostureConfig.defaults(),
            s,
            "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef");

    // then
    assertThat(f).singleElement().extracting(Finding::status).isEqualTo(Status.FAIL);
    assertThat(f.get(0).message())
        .contains("Rotation is disabled on the CMK named orders")
        .contains("rotation is set on its primary");
  }

  @Test
  void check_replicaWithoutPrimaryInSnapshot_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/orders"], "metadata": {"multiRegion": {"keyType": "REPLICA",
              "primaryKey": {"arn": "arn:aws:kms:us-west-2:111122223333:key/mrk-0123456789abcdef0123456789abcdef", "region": "us-west-2"},
              "replicaKeys": []}}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("which is not in the snapshot");
  }

  @Test
  void check_anyKey_usesNoMoreThanOneFindingPerKey() {
    AccountSnapshot s = Fixtures.snapshot(key("{\"rotation\": {\"enabled\": true}}"));

    assertThat(Fixtures.run(RULE, PostureConfig.defaults(), s, Fixtures.ARN)).hasSize(1);
  }
}

package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.ARN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ResourceServiceRefusedByViaServiceTest {
  private static final ResourceServiceRefusedByViaService RULE =
      new ResourceServiceRefusedByViaService();

  // The key's users may use it only through S3 in us-east-1; administrators cannot use it.
  static final String S3_ONLY =
      "{\"Version\": \"2012-10-17\", \"Statement\": ["
          + "{\"Sid\": \"Admins\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/Admin\"}, \"Action\": [\"kms:Describe*\","
          + " \"kms:PutKeyPolicy\"], \"Resource\": \"*\"},"
          + "{\"Sid\": \"Use\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/App\"}, \"Action\": [\"kms:Decrypt\","
          + " \"kms:GenerateDataKey\"], \"Resource\": \"*\", \"Condition\": {\"StringEquals\":"
          + " {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}}]}";

  // The same, with the root statement that delegates to IAM.
  static final String S3_ONLY_WITH_ROOT =
      S3_ONLY.replace(
          "\"Statement\": [",
          "\"Statement\": [{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
              + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\":"
              + " \"*\"},");

  static ResourceSnapshot resource(String arn, String service, String type) {
    return ResourceSnapshot.builder(arn, service, type, "us-east-1")
        .encryption("KmsKeyId", ResourceProtection.CUSTOMER_MANAGED_KEY)
        .key(KeyReference.resolved("alias/exports", ARN))
        .build();
  }

  static final ResourceSnapshot BUCKET = resource("arn:aws:s3:::exports", "s3", "bucket");
  static final ResourceSnapshot TABLE =
      resource("arn:aws:dynamodb:us-east-1:111122223333:table/orders", "dynamodb", "table");
  static final ResourceSnapshot LOG_GROUP =
      resource("arn:aws:logs:us-east-1:111122223333:log-group:/app", "logs", "log-group");

  /** A key named exports with {@code policy}, or {@code key} itself when it is a key's JSON. */
  static String key(String policyOrKey) {
    if (policyOrKey.contains("\"aliases\"")) {
      return policyOrKey;
    }
    try {
      return "{\"aliases\": [\"alias/exports\"], \"policy\": "
          + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(policyOrKey)
          + "}";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Finding> run(String policyOrKey, @Nullable List<ResourceSnapshot> resources) {
    AccountSnapshot s = Fixtures.snapshot(Fixtures.key(key(policyOrKey)));
    if (resources != null) {
      s =
          s.withInventory(
              ResourceKeyUnusableTest.inventory(List.of("s3", "dynamodb", "logs"), resources));
    }
    return Fixtures.run(RULE, PostureConfig.defaults(), s, ARN);
  }

  @Test
  void check_tableUnderAnS3OnlyKey_failsNamingTheServiceAndTheTable() {
    List<Finding> f = run(S3_ONLY, List.of(BUCKET, TABLE));

    assertThat(f).hasSize(1);
    assertThat(f.get(0).status()).isEqualTo(Status.FAIL);
    assertThat(f.get(0).message())
        .isEqualTo(
            "1 resource of dynamodb uses the CMK named exports"
                + " (arn:aws:dynamodb:us-east-1:111122223333:table/orders), but the key policy"
                + " allows kms:Decrypt with kms:ViaService dynamodb.us-east-1.amazonaws.com to"
                + " none of its principals: its kms:ViaService conditions refuse that service");
  }

  @Test
  void check_onlyTheAllowedService_passes() {
    List<Finding> f = run(S3_ONLY, List.of(BUCKET));

    assertThat(f).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(f.get(0).message()).contains("s3.us-east-1.amazonaws.com");
  }

  @Test
  void check_rootDelegation_leavesTheServiceToIam_andPasses() {
    List<Finding> f = run(S3_ONLY_WITH_ROOT, List.of(BUCKET, TABLE));

    assertThat(f).extracting(Finding::status).containsExactly(Status.PASS);
  }

  @Test
  void check_logGroups_areNotJudged_logsUsesItsOwnServicePrincipal() {
    List<Finding> f = run(S3_ONLY, List.of(LOG_GROUP));

    assertThat(f).extracting(Finding::status).containsExactly(Status.NOT_APPLICABLE);
    assertThat(f.get(0).message()).contains("through a service that kms:ViaService governs");
  }

  @Test
  void check_withoutInventory_isNotApplicable() {
    assertThat(run(S3_ONLY, null))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyWithoutViaService_isNotApplicable() {
    String open =
        "{\"Version\": \"2012-10-17\", \"Statement\":"
            + " [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
            + " \"arn:aws:iam::111122223333:role/App\"}, \"Action\": \"kms:Decrypt\","
            + " \"Resource\": \"*\"}]}";

    List<Finding> f = run(open, List.of(TABLE));

    assertThat(f).extracting(Finding::status).containsExactly(Status.NOT_APPLICABLE);
    assertThat(f.get(0).message()).contains("uses kms:ViaService: it limits no service");
  }

  @Test
  void check_unreadablePolicy_isUnknown() {
    String unreadable =
        "{\"aliases\": [\"alias/exports\"], \"unreadable\": {\"POLICY\": \"AccessDeniedException\"}}";

    assertThat(run(unreadable, List.of(TABLE)))
        .extracting(Finding::status)
        .containsExactly(Status.UNKNOWN);
  }
}

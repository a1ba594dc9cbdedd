package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.mrk;
import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiRegionReplicaInconsistentTest {
  private static final MultiRegionReplicaInconsistent RULE = new MultiRegionReplicaInconsistent();

  private static final String POLICY =
      "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"Root\\\","
          + "\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":"
          + "\\\"arn:aws:iam::111122223333:root\\\"},\\\"Action\\\":\\\"kms:*\\\","
          + "\\\"Resource\\\":\\\"*\\\"}]}";

  private static final String OPEN_POLICY =
      "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"Root\\\","
          + "\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":"
          + "\\\"arn:aws:iam::111122223333:root\\\"},\\\"Action\\\":\\\"kms:*\\\","
          + "\\\"Resource\\\":\\\"*\\\"},{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\","
          + "\\\"Action\\\":\\\"kms:Decrypt\\\",\\\"Resource\\\":\\\"*\\\"}]}";

  private static String parts(String policy, String state) {
    return """
        {"aliases": ["alias/orders"], "tags": {"Owner": "team-orders"},
         "policy": "%s", "metadata": {"keyState": "%s"}}
        """
        .formatted(policy, state);
  }

  private static List<Finding> check(String primary, String replica) {
    AccountSnapshot s = Fixtures.snapshot(mrk("PRIMARY", primary), mrk("REPLICA", replica));
    return Fixtures.run(RULE, PostureConfig.defaults(), s, Fixtures.PRIMARY_ARN);
  }

  @Test
  void check_replicaWithPublicPolicyAndOtherState_failsNamingDifferences() {
    List<Finding> f = check(parts(POLICY, "Enabled"), parts(OPEN_POLICY, "Disabled"));

    assertThat(f).hasSize(1);
    assertThat(f.get(0).status()).isEqualTo(Status.FAIL);
    assertThat(f.get(0).item()).isEqualTo(Fixtures.REPLICA_ARN);
    assertThat(f.get(0).message())
        .startsWith("The replica " + Fixtures.REPLICA_ARN + " in eu-west-1 of the CMK named orders")
        .contains("key policy (the replica allows everyone (*), the primary does not)")
        .contains("state (primary Enabled, replica Disabled)");
  }

  @Test
  void check_replicaWithOtherAliasAndTags_fails() {
    List<Finding> f =
        check(
            parts(POLICY, "Enabled"),
            """
            {"aliases": ["alias/orders-eu"], "tags": {"Owner": "someone-else"},
             "policy": "%s"}
            """
                .formatted(POLICY));

    assertThat(f.get(0).status()).isEqualTo(Status.FAIL);
    assertThat(f.get(0).message())
        .contains("aliases (primary: alias/orders; replica: alias/orders-eu)")
        .contains("tags (Owner)");
  }

  @Test
  void check_identicalReplica_passes() {
    List<Finding> f = check(parts(POLICY, "Enabled"), parts(POLICY, "Enabled"));

    assertThat(f).singleElement().extracting(Finding::status).isEqualTo(Status.PASS);
    assertThat(f.get(0).message()).contains("matches its primary");
  }

  @Test
  void check_replicaPolicyUnreadable_isUnknown() {
    List<Finding> f =
        check(
            parts(POLICY, "Enabled"),
            """
            {"aliases": ["alias/orders"], "tags": {"Owner": "team-orders"},
             "unreadable": {"POLICY": "AccessDeniedException"}}
            """);

    assertThat(f.get(0).status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.get(0).message()).contains("key policy (the key policy could not be read");
  }

  @Test
  void check_replicaMissingFromSnapshot_isUnknown() {
    AccountSnapshot s = Fixtures.snapshot(mrk("PRIMARY", parts(POLICY, "Enabled")));

    List<Finding> f = Fixtures.run(RULE, PostureConfig.defaults(), s, Fixtures.PRIMARY_ARN);

    assertThat(f).singleElement().extracting(Finding::status).isEqualTo(Status.UNKNOWN);
    assertThat(f.get(0).message()).contains("is not in the snapshot");
  }

  @Test
  void check_singleRegionKey_isNotApplicable() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"]}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("orders is a single-Region key");
  }
}

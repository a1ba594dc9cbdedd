package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class KeyPendingDeletionTest {
  private static final KeyPendingDeletion RULE = new KeyPendingDeletion();

  @Test
  void check_pendingDeletionUsedLastWeek_failsWithDaysLeftAndUse() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/legacy-billing"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-10T00:00:00Z"},
             "lastUsage": {"lastUsedAt": "2026-05-25T09:30:00Z", "operation": "Decrypt",
                           "trackingStartDate": "2025-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named legacy-billing is pending deletion: it will be deleted on 2026-06-10,"
                + " 9 days from now; it was used on 2026-05-25 (Decrypt), 6 days ago, so something"
                + " may still depend on it");
  }

  @Test
  void check_pendingReplicaDeletion_failsWaitingForReplicas() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/orders"], "metadata": {"keyState": "PendingReplicaDeletion",
              "multiRegion": {"keyType": "PRIMARY",
                "primaryKey": {"arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "region": "us-east-1"},
                "replicaKeys": [
                  {"arn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "region": "eu-west-1"},
                  {"arn": "arn:aws:kms:ap-south-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "region": "ap-south-1"}]}}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("The CMK named orders is scheduled for deletion and is waiting for 2 replicas");
  }

  @Test
  void check_enabledKey_passes() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"]}");

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).isEqualTo("The CMK named orders is not scheduled for deletion");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    Finding f =
        one(RULE, "{\"aliases\": [\"alias/aws/rds\"], \"metadata\": {\"keyManager\": \"AWS\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("aws/rds is AWS managed");
  }
}

package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.InvalidGrantIdException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;

/**
 * Rules the KMS API reference states in the prose of an operation or a parameter (which parameters
 * go together, what a parameter is valid for, what an error in an operation's error list stands
 * for), each written from the page named in the test.
 */
class DocumentedRulesConformanceTest extends ConformanceTest {
  static final String RETIRER = "arn:aws:iam::" + ACCOUNT + ":role/retirer";
  static final String OTHER_ACCOUNT_KEY = "AKIAOTHERACCOUNT0001";

  // ---- UpdateAlias (errors: LimitExceededException) ----

  @Test
  void updateAlias_toAKeyThatAlreadyHas50Aliases_isLimitExceeded() {
    KmsClient kms = client();
    String full = kms.createKey().keyMetadata().keyId();
    String other = kms.createKey().keyMetadata().keyId();
    for (int i = 0; i < 50; i++) {
      int n = i;
      kms.createAlias(b -> b.aliasName("alias/full-" + n).targetKeyId(full));
    }
    kms.createAlias(b -> b.aliasName("alias/moving").targetKeyId(other));

    error(
        LimitExceededException.class,
        "LimitExceededException",
        () -> kms.updateAlias(b -> b.aliasName("alias/moving").targetKeyId(full)));

    // an alias already on the key can be updated to it again: the key takes no new alias
    kms.updateAlias(b -> b.aliasName("alias/full-0").targetKeyId(full));
    assertThat(kms.listAliases(b -> b.keyId(other)).aliases()).hasSize(1);
  }

  // ---- ListGrants (errors: InvalidGrantIdException) ----

  @Test
  void listGrants_filteredByAGrantIdThatIsNoGrantId_isInvalidGrantId() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.createGrant(b -> b.keyId(id).granteePrincipal(RETIRER).operations(GrantOperation.DECRYPT));

    error(
        InvalidGrantIdException.class,
        "InvalidGrantIdException",
        () -> kms.listGrants(b -> b.keyId(id).grantId("not-a-grant-id")));
    // a well-formed id of no grant of the key filters everything out
    assertThat(kms.listGrants(b -> b.keyId(id).grantId("0".repeat(64))).grants()).isEmpty();
  }
}

package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.InvalidGrantIdException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.OriginType;

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

  // ---- ListRetirableGrants ("include grants for KMS keys in ... other AWS accounts") ----

  @Test
  void listRetirableGrants_includesGrantsOnKeysOfOtherAccounts() {
    KmsClient mine = client();
    KmsClient theirs = client(Region.US_EAST_1, OTHER_ACCOUNT_KEY);
    String myKey = mine.createKey().keyMetadata().keyId();
    var theirKey = theirs.createKey().keyMetadata();
    var myGrant =
        mine.createGrant(
            b ->
                b.keyId(myKey)
                    .granteePrincipal(RETIRER)
                    .retiringPrincipal(RETIRER)
                    .operations(GrantOperation.DECRYPT));
    var theirGrant =
        theirs.createGrant(
            b ->
                b.keyId(theirKey.keyId())
                    .granteePrincipal(RETIRER)
                    .retiringPrincipal(RETIRER)
                    .operations(GrantOperation.ENCRYPT));

    var grants = mine.listRetirableGrants(b -> b.retiringPrincipal(RETIRER)).grants();

    assertThat(grants)
        .extracting(g -> g.grantId(), g -> g.keyId())
        .containsExactly(
            tuple(myGrant.grantId(), keyArn("us-east-1", ACCOUNT, myKey)),
            tuple(theirGrant.grantId(), theirKey.arn()));
    assertThat(grants.get(1).issuingAccount()).isEqualTo("arn:aws:iam::" + OTHER_ACCOUNT + ":root");
    // and the retiring principal can retire the other account's grant by its token or ids
    mine.retireGrant(b -> b.keyId(theirKey.arn()).grantId(theirGrant.grantId()));
    assertThat(theirs.listGrants(b -> b.keyId(theirKey.keyId())).grants()).isEmpty();
  }

  // ---- CreateKey: XksKeyId "is not valid for KMS keys with any other Origin value" ----

  @Test
  void createKey_xksKeyIdWithAnOriginOtherThanExternalKeyStore_isAValidationError() {
    KmsClient kms = client();
    error(
        KmsException.class,
        "ValidationException",
        "XksKeyId is valid only for KMS keys with an Origin value of EXTERNAL_KEY_STORE; this"
            + " request's Origin is AWS_KMS.",
        () -> kms.createKey(b -> b.xksKeyId("ext-key-1")));
    error(
        KmsException.class,
        "ValidationException",
        () -> kms.createKey(b -> b.origin(OriginType.EXTERNAL).xksKeyId("ext-key-1")));
    assertThat(kms.listKeys().keys()).isEmpty();
  }
}

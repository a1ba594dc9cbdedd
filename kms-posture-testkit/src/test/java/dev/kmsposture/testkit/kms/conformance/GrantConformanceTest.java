package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.DryRunOperationException;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.InvalidArnException;
import software.amazon.awssdk.services.kms.model.InvalidGrantIdException;
import software.amazon.awssdk.services.kms.model.InvalidGrantTokenException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** CreateGrant, ListGrants, ListRetirableGrants, RetireGrant and RevokeGrant. */
class GrantConformanceTest extends ConformanceTest {
  static final String APP = "arn:aws:iam::" + ACCOUNT + ":role/app";
  static final String RETIRER = "arn:aws:iam::" + ACCOUNT + ":role/retirer";

  @Test
  void createGrant_isListedWithEveryMember() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();

    CreateGrantResponse g =
        kms.createGrant(
            b ->
                b.keyId(md.keyId())
                    .granteePrincipal(APP)
                    .retiringPrincipal(RETIRER)
                    .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT)
                    .constraints(c -> c.encryptionContextSubset(Map.of("Department", "IT")))
                    .name("app-grant"));

    assertThat(g.grantId()).matches("[0-9a-f]{64}");
    assertThat(g.grantToken()).isNotBlank();
    GrantListEntry e = kms.listGrants(b -> b.keyId(md.keyId())).grants().get(0);
    assertThat(e.keyId()).isEqualTo(md.arn());
    assertThat(e.grantId()).isEqualTo(g.grantId());
    assertThat(e.name()).isEqualTo("app-grant");
    assertThat(e.creationDate()).isEqualTo(START);
    assertThat(e.granteePrincipal()).isEqualTo(APP);
    assertThat(e.retiringPrincipal()).isEqualTo(RETIRER);
    assertThat(e.issuingAccount()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
    assertThat(e.operations()).containsExactly(GrantOperation.ENCRYPT, GrantOperation.DECRYPT);
    assertThat(e.constraints().encryptionContextSubset()).containsEntry("Department", "IT");
    assertThat(e.constraints().hasEncryptionContextEquals()).isFalse();
  }

  @Test
  void createGrant_sameNameAndParameters_returnsTheSameGrantWithANewToken() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();

    var first =
        kms.createGrant(
            b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.DECRYPT).name("n"));
    var retry =
        kms.createGrant(
            b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.DECRYPT).name("n"));
    var other =
        kms.createGrant(
            b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.ENCRYPT).name("n"));

    assertThat(retry.grantId()).isEqualTo(first.grantId());
    assertThat(retry.grantToken()).isNotEqualTo(first.grantToken());
    assertThat(other.grantId()).isNotEqualTo(first.grantId());
    assertThat(kms.listGrants(b -> b.keyId(id)).grants()).hasSize(2);
  }

  @Test
  void createGrant_operationTheKeyCannotDo_isAValidationError() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        KmsException.class,
        "ValidationException",
        () ->
            kms.createGrant(
                b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.SIGN)));
  }

  @Test
  void createGrant_encryptionContextConstraintOnAnAsymmetricKey_isAValidationError() {
    KmsClient kms = client();
    String id =
        kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata()
            .keyId();
    error(
        KmsException.class,
        "ValidationException",
        () ->
            kms.createGrant(
                b ->
                    b.keyId(id)
                        .granteePrincipal(APP)
                        .operations(GrantOperation.SIGN)
                        .constraints(c -> c.encryptionContextEquals(Map.of("a", "b")))));
  }

  @Test
  void createGrant_granteeThatIsNoPrincipalArn_isInvalidArn() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        InvalidArnException.class,
        "InvalidArnException",
        "ARN does not refer to a valid principal: nobody",
        () ->
            kms.createGrant(
                b -> b.keyId(id).granteePrincipal("nobody").operations(GrantOperation.DECRYPT)));
  }

  @Test
  void createGrant_onADisabledKey_isDisabled() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();
    kms.disableKey(b -> b.keyId(md.keyId()));
    error(
        DisabledException.class,
        "DisabledException",
        md.arn() + " is disabled.",
        () ->
            kms.createGrant(
                b -> b.keyId(md.keyId()).granteePrincipal(APP).operations(GrantOperation.DECRYPT)));
  }

  @Test
  void createGrant_dryRun_checksButCreatesNothing() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        DryRunOperationException.class,
        "DryRunOperationException",
        "The request would have succeeded, but the DryRun option is set.",
        () ->
            kms.createGrant(
                b ->
                    b.keyId(id)
                        .granteePrincipal(APP)
                        .operations(GrantOperation.DECRYPT)
                        .dryRun(true)));
    assertThat(kms.listGrants(b -> b.keyId(id)).grants()).isEmpty();
  }

  @Test
  void createGrant_acrossAccountsByKeyArn_isIssuedByTheCallersAccount() {
    var md = client().createKey().keyMetadata();
    KmsClient other = client(Region.US_EAST_1, "AKIAOTHERACCOUNT0001");

    other.createGrant(
        b -> b.keyId(md.arn()).granteePrincipal(APP).operations(GrantOperation.DECRYPT));

    assertThat(client().listGrants(b -> b.keyId(md.keyId())).grants().get(0).issuingAccount())
        .isEqualTo("arn:aws:iam::" + OTHER_ACCOUNT + ":root");
  }

  @Test
  void retireGrant_byTokenOrByKeyAndId_removesIt() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();
    var g1 =
        kms.createGrant(
            b -> b.keyId(md.keyId()).granteePrincipal(APP).operations(GrantOperation.DECRYPT));
    var g2 =
        kms.createGrant(
            b -> b.keyId(md.keyId()).granteePrincipal(APP).operations(GrantOperation.ENCRYPT));

    kms.retireGrant(b -> b.grantToken(g1.grantToken()));
    kms.retireGrant(b -> b.keyId(md.arn()).grantId(g2.grantId()));

    assertThat(kms.listGrants(b -> b.keyId(md.keyId())).grants()).isEmpty();
    error(
        NotFoundException.class,
        "NotFoundException",
        () -> kms.retireGrant(b -> b.grantToken(g1.grantToken())));
  }

  @Test
  void retireGrant_unknownTokenOrMalformedId_areTheirOwnErrors() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();
    error(
        InvalidGrantTokenException.class,
        "InvalidGrantTokenException",
        () -> kms.retireGrant(b -> b.grantToken("not-a-token")));
    error(
        InvalidGrantIdException.class,
        "InvalidGrantIdException",
        () -> kms.retireGrant(b -> b.keyId(md.arn()).grantId("bad")));
  }

  @Test
  void revokeGrant_removesIt_andAnUnknownGrantIsNotFound() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    var g =
        kms.createGrant(b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.DECRYPT));

    kms.revokeGrant(b -> b.keyId(id).grantId(g.grantId()));

    assertThat(kms.listGrants(b -> b.keyId(id)).grants()).isEmpty();
    error(
        NotFoundException.class,
        "NotFoundException",
        () -> kms.revokeGrant(b -> b.keyId(id).grantId(g.grantId())));
  }

  @Test
  void listRetirableGrants_findsTheGrantsOfARetiringPrincipalAcrossKeys() {
    KmsClient kms = client();
    String a = kms.createKey().keyMetadata().keyId();
    String b = kms.createKey().keyMetadata().keyId();
    kms.createGrant(
        r ->
            r.keyId(a)
                .granteePrincipal(APP)
                .retiringPrincipal(RETIRER)
                .operations(GrantOperation.DECRYPT));
    kms.createGrant(
        r ->
            r.keyId(b)
                .granteePrincipal(APP)
                .retiringPrincipal(RETIRER)
                .operations(GrantOperation.DECRYPT));
    kms.createGrant(r -> r.keyId(b).granteePrincipal(APP).operations(GrantOperation.DECRYPT));

    var grants = kms.listRetirableGrants(r -> r.retiringPrincipal(RETIRER)).grants();

    assertThat(grants).hasSize(2);
    assertThat(grants).allMatch(g -> g.retiringPrincipal().equals(RETIRER));
  }

  @Test
  void listGrants_filtersAndPages() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    String other = "arn:aws:iam::" + ACCOUNT + ":role/other";
    for (int i = 0; i < 5; i++) {
      kms.createGrant(b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.DECRYPT));
    }
    var g =
        kms.createGrant(
            b -> b.keyId(id).granteePrincipal(other).operations(GrantOperation.DECRYPT));

    assertThat(kms.listGrants(b -> b.keyId(id).granteePrincipal(other)).grants()).hasSize(1);
    assertThat(kms.listGrants(b -> b.keyId(id).grantId(g.grantId())).grants()).hasSize(1);
    var page = kms.listGrants(b -> b.keyId(id).limit(4));
    assertThat(page.grants()).hasSize(4);
    assertThat(page.truncated()).isTrue();
    assertThat(kms.listGrantsPaginator(b -> b.keyId(id).limit(4)).grants().stream().count())
        .isEqualTo(6);
  }

  @Test
  void grantTokens_unknownToTheKms_areRejected() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    var g =
        kms.createGrant(
            b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.DESCRIBE_KEY));
    assertThat(kms.describeKey(b -> b.keyId(id).grantTokens(g.grantToken())).keyMetadata().keyId())
        .isEqualTo(id);
    error(
        InvalidGrantTokenException.class,
        "InvalidGrantTokenException",
        () -> kms.describeKey(b -> b.keyId(id).grantTokens("forged")));
  }
}

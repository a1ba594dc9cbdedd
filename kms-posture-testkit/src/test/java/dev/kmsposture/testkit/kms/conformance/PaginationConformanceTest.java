package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.Tag;

/** A configured small page size makes every List operation page, and the SDK paginators follow. */
class PaginationConformanceTest extends ConformanceTest {
  @Test
  void maxPageSize_capsEveryListOperation_whateverLimitIsAsked() {
    kms(b -> b.maxPageSize(2));
    KmsClient kms = client();
    String id = null;
    for (int i = 0; i < 5; i++) {
      int n = i;
      String key =
          kms.createKey(b -> b.tags(Tag.builder().tagKey("t" + n).tagValue("v").build()))
              .keyMetadata()
              .keyId();
      id = id == null ? key : id;
    }
    String first = id;
    for (int i = 0; i < 5; i++) {
      String name = "alias/page" + i;
      kms.createAlias(b -> b.aliasName(name).targetKeyId(first));
      kms.createGrant(
          b ->
              b.keyId(first)
                  .granteePrincipal("arn:aws:iam::" + ACCOUNT + ":role/r")
                  .retiringPrincipal("arn:aws:iam::" + ACCOUNT + ":role/retirer")
                  .operations(GrantOperation.DECRYPT));
      kms.tagResource(
          b ->
              b.keyId(first)
                  .tags(
                      Tag.builder().tagKey("extra" + name.length() + name).tagValue("v").build()));
      kms.rotateKeyOnDemand(b -> b.keyId(first));
      clock.advance(java.time.Duration.ofSeconds(1));
    }

    var keys = kms.listKeys(b -> b.limit(1000));
    var aliases = kms.listAliases(b -> b.keyId(first).limit(100));
    var grants = kms.listGrants(b -> b.keyId(first).limit(100));
    var retirable =
        kms.listRetirableGrants(
            b -> b.retiringPrincipal("arn:aws:iam::" + ACCOUNT + ":role/retirer"));
    var tags = kms.listResourceTags(b -> b.keyId(first).limit(50));
    var rotations = kms.listKeyRotations(b -> b.keyId(first));

    for (List<?> page :
        List.of(
            keys.keys(),
            aliases.aliases(),
            grants.grants(),
            retirable.grants(),
            tags.tags(),
            rotations.rotations())) {
      assertThat(page).hasSize(2);
    }
    assertThat(
            List.of(
                keys.truncated(),
                aliases.truncated(),
                grants.truncated(),
                retirable.truncated(),
                tags.truncated(),
                rotations.truncated()))
        .containsOnly(true);
    assertThat(kms.listKeysPaginator().keys().stream().count()).isEqualTo(5);
    assertThat(kms.listAliasesPaginator(b -> b.keyId(first)).aliases().stream().count())
        .isEqualTo(5);
    assertThat(kms.listGrantsPaginator(b -> b.keyId(first)).grants().stream().count()).isEqualTo(5);
    assertThat(kms.listResourceTagsPaginator(b -> b.keyId(first)).tags().stream().count())
        .isEqualTo(6);
    assertThat(kms.listKeyRotationsPaginator(b -> b.keyId(first)).rotations().stream().count())
        .isEqualTo(5);
    assertThat(
            kms
                .listRetirableGrantsPaginator(
                    b -> b.retiringPrincipal("arn:aws:iam::" + ACCOUNT + ":role/retirer"))
                .grants()
                .stream()
                .count())
        .isEqualTo(5);
  }
}

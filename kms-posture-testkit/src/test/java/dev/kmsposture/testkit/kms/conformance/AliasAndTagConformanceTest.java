package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.TagException;

/**
 * CreateAlias, UpdateAlias, DeleteAlias, ListAliases, TagResource, UntagResource, ListResourceTags.
 */
class AliasAndTagConformanceTest extends ConformanceTest {

  private static List<Tag> tags(String... keyValues) {
    List<Tag> tags = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      tags.add(Tag.builder().tagKey(keyValues[i]).tagValue(keyValues[i + 1]).build());
    }
    return tags;
  }

  // ---- aliases ----

  @Test
  void listAliases_includesThePredefinedAwsAliasesWithoutTarget_andCustomerAliasesWithOne() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.createAlias(b -> b.aliasName("alias/app").targetKeyId(id));

    List<AliasListEntry> aliases = kms.listAliasesPaginator().aliases().stream().toList();

    assertThat(aliases)
        .filteredOn(a -> a.aliasName().equals("alias/aws/ebs"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.aliasArn())
                  .isEqualTo("arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/aws/ebs");
              assertThat(a.targetKeyId()).isNull();
              assertThat(a.creationDate()).isNull();
            });
    assertThat(aliases)
        .filteredOn(a -> a.aliasName().equals("alias/app"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.targetKeyId()).isEqualTo(id);
              assertThat(a.creationDate()).isEqualTo(START);
              assertThat(a.lastUpdatedDate()).isEqualTo(START);
            });
    assertThat(kms.listAliases(b -> b.keyId(id)).aliases())
        .extracting(AliasListEntry::aliasName)
        .containsExactly("alias/app");
  }

  @Test
  void createAlias_withoutPrefix_isTheRecordedValidationError() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        KmsException.class,
        "ValidationException",
        "Alias must start with the prefix \"alias/\". Please see"
            + " https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
        () -> kms.createAlias(b -> b.aliasName("app").targetKeyId(id)));
  }

  @Test
  void createAlias_reservedAwsPrefixInAnyCase_isRefused() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    for (String name : List.of("alias/aws/ebs", "alias/AWS/mine")) {
      error(
          KmsException.class,
          "NotAuthorizedException",
          () -> kms.createAlias(b -> b.aliasName(name).targetKeyId(id)));
    }
  }

  @Test
  void createAlias_badCharacters_isAPatternValidationError() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value 'alias/a b' at 'aliasName' failed to satisfy"
            + " constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
        () -> kms.createAlias(b -> b.aliasName("alias/a b").targetKeyId(id)));
  }

  @Test
  void createAlias_twice_isAlreadyExists_evenForAnotherKey() {
    KmsClient kms = client();
    String a = kms.createKey().keyMetadata().keyId();
    String b = kms.createKey().keyMetadata().keyId();
    kms.createAlias(r -> r.aliasName("alias/dup").targetKeyId(a));
    error(
        AlreadyExistsException.class,
        "AlreadyExistsException",
        "An alias with the name arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/dup already exists",
        () -> kms.createAlias(r -> r.aliasName("alias/dup").targetKeyId(b)));
  }

  @Test
  void createAlias_sameNameInAnotherRegionOrAccount_isFine() {
    String a = client().createKey().keyMetadata().keyId();
    client().createAlias(r -> r.aliasName("alias/same").targetKeyId(a));
    KmsClient west = client(software.amazon.awssdk.regions.Region.US_WEST_2);
    String b = west.createKey().keyMetadata().keyId();
    west.createAlias(r -> r.aliasName("alias/same").targetKeyId(b));
    assertThat(west.describeKey(r -> r.keyId("alias/same")).keyMetadata().keyId()).isEqualTo(b);
  }

  @Test
  void createAlias_targetingAnAlias_isInvalidKeyId() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.createAlias(b -> b.aliasName("alias/one").targetKeyId(id));
    error(
        NotFoundException.class,
        "NotFoundException",
        "Invalid keyId 'alias/one'",
        () -> kms.createAlias(b -> b.aliasName("alias/two").targetKeyId("alias/one")));
  }

  @Test
  void createAlias_51stAliasOfAKey_isLimitExceeded() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    for (int i = 0; i < 50; i++) {
      String name = "alias/a" + i;
      kms.createAlias(b -> b.aliasName(name).targetKeyId(id));
    }
    error(
        LimitExceededException.class,
        "LimitExceededException",
        () -> kms.createAlias(b -> b.aliasName("alias/a50").targetKeyId(id)));
  }

  @Test
  void updateAlias_toAKeyOfTheSameTypeAndUsage_movesIt() {
    KmsClient kms = client();
    String a = kms.createKey().keyMetadata().keyId();
    String b = kms.createKey().keyMetadata().keyId();
    kms.createAlias(r -> r.aliasName("alias/moving").targetKeyId(a));
    clock.advance(Duration.ofMinutes(5));

    kms.updateAlias(r -> r.aliasName("alias/moving").targetKeyId(b));

    AliasListEntry alias = kms.listAliases(r -> r.keyId(b)).aliases().get(0);
    assertThat(alias.targetKeyId()).isEqualTo(b);
    assertThat(alias.creationDate()).isEqualTo(START);
    assertThat(alias.lastUpdatedDate()).isEqualTo(START.plus(Duration.ofMinutes(5)));
  }

  @Test
  void updateAlias_toAnotherKeyTypeOrUsage_isRefused() {
    KmsClient kms = client();
    String symmetric = kms.createKey().keyMetadata().keyId();
    String rsaEncrypt =
        kms.createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
            .keyMetadata()
            .keyId();
    kms.createAlias(r -> r.aliasName("alias/typed").targetKeyId(symmetric));
    error(
        KmsException.class,
        "ValidationException",
        () -> kms.updateAlias(r -> r.aliasName("alias/typed").targetKeyId(rsaEncrypt)));
  }

  @Test
  void updateAlias_toAKeyPendingDeletion_isInvalidState_butFromOneIsFine() {
    KmsClient kms = client();
    var a = kms.createKey().keyMetadata();
    var b = kms.createKey().keyMetadata();
    kms.createAlias(r -> r.aliasName("alias/x").targetKeyId(a.keyId()));
    kms.scheduleKeyDeletion(r -> r.keyId(b.keyId()));

    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        b.arn() + " is pending deletion.",
        () -> kms.updateAlias(r -> r.aliasName("alias/x").targetKeyId(b.keyId())));

    kms.scheduleKeyDeletion(r -> r.keyId(a.keyId()));
    var c = kms.createKey().keyMetadata();
    kms.updateAlias(r -> r.aliasName("alias/x").targetKeyId(c.keyId()));
    assertThat(kms.describeKey(r -> r.keyId("alias/x")).keyMetadata().keyId()).isEqualTo(c.keyId());
  }

  @Test
  void deleteAlias_removesIt_andAnUnknownAliasIsNotFound() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.createAlias(b -> b.aliasName("alias/gone").targetKeyId(id));

    kms.deleteAlias(b -> b.aliasName("alias/gone"));

    assertThat(kms.listAliases(b -> b.keyId(id)).aliases()).isEmpty();
    error(
        NotFoundException.class,
        "NotFoundException",
        "Alias arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/gone is not found.",
        () -> kms.deleteAlias(b -> b.aliasName("alias/gone")));
  }

  @Test
  void listAliases_pages() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    for (int i = 0; i < 7; i++) {
      String name = "alias/p" + i;
      kms.createAlias(b -> b.aliasName(name).targetKeyId(id));
    }
    var first = kms.listAliases(b -> b.keyId(id).limit(3));
    assertThat(first.aliases()).hasSize(3);
    assertThat(first.truncated()).isTrue();
    assertThat(kms.listAliasesPaginator(b -> b.keyId(id).limit(3)).aliases().stream().count())
        .isEqualTo(7);
  }

  // ---- tags ----

  @Test
  void tags_areAddedReplacedRemovedAndListedByKey() {
    KmsClient kms = client();
    String id =
        kms.createKey(b -> b.tags(tags("tag1", "value1", "tag2", "value2", "tag3", "value3")))
            .keyMetadata()
            .keyId();

    kms.tagResource(
        b -> b.keyId(id).tags(tags("tag4", "value4", "tag2", "updated_value2", "tag5", "value5")));
    kms.untagResource(b -> b.keyId(id).tagKeys("tag3", "missing"));

    assertThat(kms.listResourceTags(b -> b.keyId(id)).tags())
        .extracting(Tag::tagKey, Tag::tagValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tag1", "value1"),
            org.assertj.core.groups.Tuple.tuple("tag2", "updated_value2"),
            org.assertj.core.groups.Tuple.tuple("tag4", "value4"),
            org.assertj.core.groups.Tuple.tuple("tag5", "value5"));
  }

  @Test
  void tags_recordedErrors_forDuplicatesTooManyAndTheAwsPrefix() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        TagException.class,
        "TagException",
        "Duplicate tag keys",
        () -> kms.tagResource(b -> b.keyId(id).tags(tags("tag1", "v1", "tag1", "v2"))));
    List<Tag> many = new ArrayList<>();
    for (int i = 0; i <= 50; i++) {
      many.add(Tag.builder().tagKey("key" + i).tagValue("value" + i).build());
    }
    error(
        TagException.class,
        "TagException",
        "Too many tags",
        () -> kms.createKey(b -> b.tags(many)));
    for (String reserved : List.of("aws:key1", "AWS:key1")) {
      error(
          TagException.class,
          "TagException",
          "Tags beginning with aws: are reserved",
          () -> kms.createKey(b -> b.tags(tags(reserved, "value1"))));
    }
    error(
        TagException.class,
        "TagException",
        "Tags beginning with aws: are reserved",
        () -> kms.untagResource(b -> b.keyId(id).tagKeys("aws:x")));
  }

  @Test
  void tags_overTheLengthLimits_areValidationErrorsNamingTheMember() {
    KmsClient kms = client();
    String longKey = "a".repeat(129);
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '"
            + longKey
            + "' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length"
            + " less than or equal to 128",
        () -> kms.createKey(b -> b.tags(tags(longKey, "v"))));
    String longValue = "v".repeat(257);
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '"
            + longValue
            + "' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length"
            + " less than or equal to 256",
        () -> kms.createKey(b -> b.tags(tags("tag1", longValue))));
  }

  @Test
  void tagResource_beyond50TagsOnTheKey_isLimitExceeded() {
    KmsClient kms = client();
    List<Tag> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fifty.add(Tag.builder().tagKey("k" + i).tagValue("v").build());
    }
    String id = kms.createKey(b -> b.tags(fifty)).keyMetadata().keyId();
    error(
        LimitExceededException.class,
        "LimitExceededException",
        () -> kms.tagResource(b -> b.keyId(id).tags(tags("one-more", "v"))));
    // replacing an existing tag's value does not add one
    kms.tagResource(b -> b.keyId(id).tags(tags("k0", "new")));
  }

  @Test
  void tagResource_onAKeyPendingDeletion_isInvalidState() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();
    kms.scheduleKeyDeletion(b -> b.keyId(md.keyId()));
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        md.arn() + " is pending deletion.",
        () -> kms.tagResource(b -> b.keyId(md.keyId()).tags(tags("a", "b"))));
  }

  @Test
  void listResourceTags_pagesBy50AtMost() {
    KmsClient kms = client();
    List<Tag> ten = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ten.add(Tag.builder().tagKey(String.format("k%02d", i)).tagValue("v").build());
    }
    String id = kms.createKey(b -> b.tags(ten)).keyMetadata().keyId();

    var first = kms.listResourceTags(b -> b.keyId(id).limit(4));
    var rest = kms.listResourceTags(b -> b.keyId(id).marker(first.nextMarker()));

    assertThat(first.tags()).extracting(Tag::tagKey).containsExactly("k00", "k01", "k02", "k03");
    assertThat(rest.tags()).hasSize(6);
    assertThat(rest.truncated()).isFalse();
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member"
            + " must have value less than or equal to 50",
        () -> kms.listResourceTags(b -> b.keyId(id).limit(51)));
    assertThat(Map.of()).isEmpty();
  }
}

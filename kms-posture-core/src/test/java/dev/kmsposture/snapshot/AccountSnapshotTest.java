package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccountSnapshotTest {

  private static String fullJson() {
    return SnapshotFixtures.full().toJson();
  }

  @Test
  void toJson_parseThenWrite_isByteIdentical() {
    String json = fullJson();

    assertThat(AccountSnapshot.parse(json).toJson()).isEqualTo(json);
  }

  @Test
  void parse_ofWrittenSnapshot_equalsTheOriginal() {
    AccountSnapshot original = SnapshotFixtures.full();

    assertThat(AccountSnapshot.parse(original.toJson())).isEqualTo(original);
  }

  @Test
  void toJson_tagsAndEncryptionContext_areSortedByKey() {
    String json = fullJson();

    assertThat(json.indexOf("\"Environment\"")).isLessThan(json.indexOf("\"Owner\""));
    assertThat(json.indexOf("\"a\" : \"1\"")).isLessThan(json.indexOf("\"b\" : \"2\""));
  }

  @Test
  void toJson_absentParts_areLeftOutNotWrittenAsNull() {
    AccountSnapshot s =
        AccountSnapshot.of(
            "111122223333",
            SnapshotFixtures.NOW,
            List.of(
                KeySnapshot.builder(
                        "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111",
                        SnapshotFixtures.metadata())
                    .build()));

    String json = s.toJson();

    assertThat(json)
        .doesNotContain("null")
        .doesNotContain("\"policy\"")
        .doesNotContain("\"trails\"");
    assertThat(AccountSnapshot.parse(json).keys().get(0).policy()).isNull();
  }

  @Test
  void parse_schemaVersion4_isRejectedNamingTheVersion() {
    String json = fullJson().replaceFirst("\"schemaVersion\" : 3", "\"schemaVersion\" : 4");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).isEqualTo("/schemaVersion"))
        .hasMessage(
            "invalid snapshot at [/schemaVersion]: snapshot schemaVersion [4] is not supported;"
                + " this version of kms-posture reads 1 to 3");
  }

  @Test
  void parse_version1Snapshot_isReadAndWrittenBackByteIdentical() {
    // given: a snapshot written before version 2 (no callers, no METADATA or CALLERS parts)
    String json =
        AccountSnapshot.of(
                "111122223333",
                SnapshotFixtures.NOW,
                List.of(
                    KeySnapshot.builder(
                            "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111",
                            SnapshotFixtures.metadata())
                        .unreadable(KeyPart.GRANTS, "AccessDeniedException")
                        .build()))
            .toJson()
            .replaceFirst("\"schemaVersion\" : 3", "\"schemaVersion\" : 1");

    // when
    AccountSnapshot s = AccountSnapshot.parse(json);

    // then
    assertThat(s.schemaVersion()).isEqualTo(1);
    assertThat(s.toJson()).isEqualTo(json);
  }

  @Test
  void parse_version1SnapshotWithCallers_isRejectedNamingTheVersionNeeded() {
    // Without the inventory (version 3), which the reader meets first, before the keys.
    AccountSnapshot full = AccountSnapshot.parse(fullJson());
    String json =
        full.withInventory(null)
            .toJson()
            .replaceFirst("\"schemaVersion\" : 3", "\"schemaVersion\" : 1");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOf(SnapshotParseException.class)
        .hasMessageContaining(
            "has [callers], which needs snapshot schemaVersion 2; this snapshot says"
                + " schemaVersion 1");
  }

  @Test
  void parse_version1SnapshotWithMetadataUnreadable_isRejected() {
    String json =
        AccountSnapshot.of(
                "111122223333",
                SnapshotFixtures.NOW,
                List.of(
                    KeySnapshot.builder(
                            "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111",
                            KeyMetadata.unknown())
                        .unreadable(KeyPart.METADATA, "AccessDeniedException")
                        .build()))
            .toJson()
            .replaceFirst("\"schemaVersion\" : 3", "\"schemaVersion\" : 1");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .hasMessageContaining(
            "has unreadable part [METADATA], which needs snapshot schemaVersion 2");
  }

  @Test
  void parse_keyWithUnknownMetadata_roundTrips() {
    AccountSnapshot s =
        AccountSnapshot.of(
            "111122223333",
            SnapshotFixtures.NOW,
            List.of(
                KeySnapshot.builder(
                        "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111",
                        KeyMetadata.unknown())
                    .unreadable(KeyPart.METADATA, "ThrottlingException: rate exceeded")
                    .build()));

    AccountSnapshot read = AccountSnapshot.parse(s.toJson());

    assertThat(read).isEqualTo(s);
    assertThat(read.keys().get(0).unreadableReason(KeyPart.METADATA))
        .contains("ThrottlingException: rate exceeded");
  }

  @Test
  void parse_unknownField_isRejectedWithItsPointer() {
    String json = fullJson().replaceFirst("\"keyId\"", "\"colour\" : \"red\",\n    \"keyId\"");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).isEqualTo("/keys/0/colour"))
        .hasMessageStartingWith("invalid snapshot at [/keys/0/colour]: ");
  }

  @Test
  void parse_wrongType_namesThePointerOfTheValue() {
    String json =
        fullJson()
            .replaceFirst(
                "\"creationDate\" : \"2025-01-01T00:00:00Z\"", "\"creationDate\" : \"yesterday\"");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class,
            e -> assertThat(e.pointer()).isEqualTo("/keys/0/metadata/creationDate"));
  }

  @Test
  void parse_missingRequiredField_isRejectedNamingTheField() {
    String json = fullJson().replaceFirst("\"keyState\" : \"Enabled\",", "");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class,
            e -> assertThat(e.pointer()).isEqualTo("/keys/0/metadata/keyState"))
        .hasMessage(
            "invalid snapshot at [/keys/0/metadata/keyState]: required field [keyState] is missing");
  }

  @Test
  void parse_badValueInNestedList_namesTheIndex() {
    String json =
        fullJson()
            .replaceFirst("\"alias/orders\",\n", "\"alias/orders\",\n")
            .replace("\"aliasName\" : \"alias/aws/s3\"", "\"aliasName\" : \"aws/s3\"");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).startsWith("/aliases/1"))
        .hasMessageContaining("alias name [aws/s3] must start with alias/");
  }

  @Test
  void parse_duplicateField_isRejected() {
    String json =
        fullJson()
            .replaceFirst(
                "\"account\" : \"111122223333\",", "\"account\" : \"1\", \"account\" : \"2\",");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOf(SnapshotParseException.class)
        .hasMessageContaining("account");
  }

  @Test
  void parse_malformedJson_pointsAtTheDocument() {
    assertThatThrownBy(() -> AccountSnapshot.parse("{\"schemaVersion\": 1,"))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).isEmpty())
        .hasMessageStartingWith("invalid snapshot at [/]");
  }

  @Test
  void parse_unknownKeyPartInUnreadable_isRejectedWithItsPointer() {
    String json = fullJson().replaceFirst("\"RESOURCES\"", "\"EVERYTHING\"");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class,
            e -> assertThat(e.pointer()).startsWith("/keys/0/unreadable"));
  }

  @Test
  void key_byArnOrId_findsTheKey() {
    AccountSnapshot s = SnapshotFixtures.full();
    String arn = s.keys().get(0).arn();

    assertThat(s.key(arn)).isPresent();
    assertThat(s.key("mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6")).isPresent();
    assertThat(s.key("nope")).isEmpty();
  }

  @Test
  void of_keys_derivesSortedDistinctRegions() {
    KeySnapshot west =
        KeySnapshot.builder(
                "arn:aws:kms:us-west-2:111122223333:key/11111111-1111-4111-8111-111111111111",
                SnapshotFixtures.metadata())
            .build();
    KeySnapshot east =
        KeySnapshot.builder(
                "arn:aws:kms:us-east-1:111122223333:key/22222222-2222-4222-8222-222222222222",
                SnapshotFixtures.metadata())
            .build();

    AccountSnapshot s =
        AccountSnapshot.of("111122223333", SnapshotFixtures.NOW, List.of(west, east));

    assertThat(s.regions()).containsExactly("us-east-1", "us-west-2");
  }

  @Test
  void keySnapshot_displayName_isFirstAliasOrArn() {
    KeySnapshot k =
        KeySnapshot.builder(
                "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111",
                SnapshotFixtures.metadata())
            .aliases(List.of("alias/zeta", "alias/alpha"))
            .build();

    assertThat(k.displayName()).isEqualTo("alpha");
    assertThat(k.toBuilder().aliases(List.of()).build().displayName()).isEqualTo(k.arn());
  }

  @Test
  void keySnapshot_invalidArn_isRejected() {
    assertThatThrownBy(() -> KeySnapshot.builder("1234abcd", SnapshotFixtures.metadata()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key ARN [1234abcd] is not valid");
  }

  @Test
  void inventory_roundTripsAndAnswersBothLookUps() {
    AccountSnapshot original = SnapshotFixtures.full();

    AccountSnapshot read = AccountSnapshot.parse(original.toJson());

    assertThat(read).isEqualTo(original);
    assertThat(read.schemaVersion()).isEqualTo(3);
    String key = original.keys().get(0).arn();
    assertThat(read.resourcesUsing(key))
        .extracting(ResourceSnapshot::arn)
        .containsExactly("arn:aws:s3:::orders-data");
    assertThat(read.inventory()).isNotNull();
  }

  @Test
  void parse_version2Snapshot_isReadWithoutInventoryAndWrittenBackByteIdentical() {
    String json =
        SnapshotFixtures.full()
            .withInventory(null)
            .toJson()
            .replaceFirst("\"schemaVersion\" : 3", "\"schemaVersion\" : 2");

    AccountSnapshot s = AccountSnapshot.parse(json);

    assertThat(s.inventory()).isNull();
    assertThat(s.resourcesUsing(s.keys().get(0).arn())).isEmpty();
    assertThat(s.toJson()).isEqualTo(json);
  }

  @Test
  void parse_version2SnapshotWithInventory_isRejectedNamingTheVersionNeeded() {
    String json =
        SnapshotFixtures.full()
            .withInventory(SnapshotFixtures.inventory(SnapshotFixtures.full().keys().get(0).arn()))
            .toJson()
            .replaceFirst("\"schemaVersion\" : 3", "\"schemaVersion\" : 2");

    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOf(SnapshotParseException.class)
        .hasMessageContaining("[inventory] needs snapshot schemaVersion 3");
  }

  @Test
  void keySnapshot_toJsonThenParse_givesAnEqualKey_onOneLine() {
    for (KeySnapshot key : SnapshotFixtures.full().keys()) {
      String json = key.toJson();
      assertThat(json).doesNotContain("\n");
      assertThat(KeySnapshot.parse(json)).isEqualTo(key);
    }
  }

  @Test
  void keySnapshot_parse_wrongType_namesTheMemberFromTheKey() {
    String json =
        SnapshotFixtures.full()
            .keys()
            .get(0)
            .toJson()
            .replace("\"region\":\"us-east-1\"", "\"region\":[1]");
    assertThatThrownBy(() -> KeySnapshot.parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).isEqualTo("/region"));
  }
}

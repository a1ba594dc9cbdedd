package dev.kmsposture.snapshot;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The snapshot reader: one key at a time, the size limit per key, and the checks the schema
 * document promises, each rejected with its JSON Pointer.
 */
class SnapshotReaderTest {
  private static final String ACCOUNT = "111122223333";
  private static final String NOW = "2026-11-28T09:00:00Z";

  private static String key(String arn) {
    return key(arn, "");
  }

  private static String key(String arn, String metadataExtra) {
    String id = arn.substring(arn.indexOf(":key/") + 5);
    return "{\"arn\": \""
        + arn
        + "\", \"keyId\": \""
        + id
        + "\", \"region\": \"us-east-1\", \"metadata\": {\"keyManager\": \"CUSTOMER\","
        + " \"keySpec\": \"SYMMETRIC_DEFAULT\", \"keyUsage\": \"ENCRYPT_DECRYPT\", \"origin\":"
        + " \"AWS_KMS\", \"keyState\": \"Enabled\", \"creationDate\": \"2025-01-01T00:00:00Z\","
        + " \"description\": \"\""
        + metadataExtra
        + "}}";
  }

  private static String arn(int i) {
    return String.format(
        "arn:aws:kms:us-east-1:%s:key/%08d-1111-4111-8111-111111111111", ACCOUNT, i);
  }

  private static String snapshot(String header, String... keys) {
    return "{\"schemaVersion\": 1, \"account\": \""
        + ACCOUNT
        + "\", \"partition\": \"aws\", \"capturedAt\": \""
        + NOW
        + "\""
        + header
        + ", \"keys\": ["
        + String.join(", ", keys)
        + "]}";
  }

  private static AccountSnapshot parse(String json) {
    return AccountSnapshot.parse(json);
  }

  private static void assertRejected(String json, String pointer, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).isEqualTo(pointer))
        .hasMessageStartingWith(
            "invalid snapshot at [" + (pointer.isEmpty() ? "/" : pointer) + "]: ")
        .hasMessageContaining(message);
    // The streaming reader says the same.
    assertThatThrownBy(() -> stream(json, new ArrayList<>()))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).isEqualTo(pointer))
        .hasMessageContaining(message);
  }

  private static AccountSnapshot stream(String json, List<KeySnapshot> keys) {
    return stream(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        SnapshotReader.create(),
        keys,
        new ArrayList<>());
  }

  private static AccountSnapshot stream(
      InputStream in, SnapshotReader reader, List<KeySnapshot> keys, List<String> events) {
    return reader.read(
        in,
        new SnapshotReader.KeyConsumer() {
          @Override
          public void start(AccountSnapshot header) {
            events.add("start " + header.account() + " " + header.capturedAt());
          }

          @Override
          public void accept(KeySnapshot key) {
            events.add("key " + key.keyId());
            keys.add(key);
          }
        });
  }

  // ---- strictness ------------------------------------------------------------------------------

  @Test
  void read_sameKeyListedTwice_isRejectedAtTheSecond() {
    assertRejected(
        snapshot("", key(arn(1)), key(arn(2)), key(arn(1))),
        "/keys/2/arn",
        "key [" + arn(1) + "] is listed twice, at /keys/0 and here");
  }

  @Test
  void read_schemaVersionAsString_isRejected() {
    assertRejected(
        snapshot("").replace("\"schemaVersion\": 1", "\"schemaVersion\": \"1\""),
        "/schemaVersion",
        "schemaVersion [\"1\"] is not a JSON integer from 1 to 3");
  }

  @Test
  void read_schemaVersionAsFraction_isRejected() {
    assertRejected(
        snapshot("").replace("\"schemaVersion\": 1", "\"schemaVersion\": 1.0"),
        "/schemaVersion",
        "schemaVersion [1.0] is not a JSON integer from 1 to 3");
  }

  @Test
  void read_accountOfTwoDigits_isRejected() {
    assertRejected(
        snapshot("").replace("\"account\": \"" + ACCOUNT + "\"", "\"account\": \"12\""),
        "/account",
        "account [12] is not an AWS account id; expected 12 digits");
  }

  @Test
  void read_keyOfAnotherAccount_isRejected() {
    String other = "arn:aws:kms:us-east-1:444455556666:key/11111111-1111-4111-8111-111111111111";
    assertRejected(
        snapshot("", key(arn(1)), key(other)),
        "/keys/1/arn",
        "key ARN ["
            + other
            + "] is in account [444455556666], not in the snapshot's account ["
            + ACCOUNT
            + "]");
  }

  @Test
  void read_keyOfAnotherPartition_isRejected() {
    String cn = arn(1).replace("arn:aws:", "arn:aws-cn:");
    assertRejected(snapshot("", key(cn)), "/keys/0/arn", "is in partition [aws-cn]");
  }

  @Test
  void read_capturedAtWithOffset_isRejectedNotConverted() {
    assertRejected(
        snapshot("").replace(NOW, "2026-11-28T10:00:00+01:00"),
        "/capturedAt",
        "instant [2026-11-28T10:00:00+01:00] is not in UTC; expected ISO-8601 ending in Z");
  }

  @Test
  void read_nestedInstantWithOffset_isRejectedWithItsPointer() {
    String json =
        snapshot("", key(arn(1)).replace("2025-01-01T00:00:00Z", "2025-01-01T00:00:00-05:00"));

    assertRejected(json, "/keys/0/metadata/creationDate", "is not in UTC");
  }

  @Test
  void read_instantWithoutZoneOrAsNumber_isRejected() {
    assertRejected(
        snapshot("", key(arn(1)).replace("\"2025-01-01T00:00:00Z\"", "\"2025-01-01T00:00:00\"")),
        "/keys/0/metadata/creationDate",
        "is not in UTC");
    assertRejected(
        snapshot("", key(arn(1)).replace("\"2025-01-01T00:00:00Z\"", "1735689600")),
        "/keys/0/metadata/creationDate",
        "an instant must be a string in UTC");
  }

  @Test
  void read_integerMemberAsString_isRejected() {
    assertRejected(
        snapshot(", \"durationMillis\": \"12\""),
        "/durationMillis",
        "durationMillis must be an integer");
  }

  @Test
  void read_multiRegionWithoutReplicaKeys_hasNoReplicasAndLeaksNothing() {
    String primary = arn(1).replace("00000001-1111-4111-8111-111111111111", "mrk-1");
    String mr =
        ", \"multiRegion\": {\"keyType\": \"PRIMARY\", \"primaryKey\": {\"arn\": \""
            + primary
            + "\", \"region\": \"us-east-1\"}}";

    AccountSnapshot s = parse(snapshot("", key(primary, mr)));

    assertThat(requireNonNull(s.keys().get(0).metadata().multiRegion()).replicaKeys()).isEmpty();
  }

  @Test
  void read_multiRegionWithoutPrimaryKey_namesTheMissingField() {
    String mr = ", \"multiRegion\": {\"keyType\": \"PRIMARY\"}";

    assertRejected(
        snapshot("", key(arn(1), mr)),
        "/keys/0/metadata/multiRegion/primaryKey",
        "required field [primaryKey] is missing");
    assertThatThrownBy(() -> parse(snapshot("", key(arn(1), mr))))
        .message()
        .doesNotContain("Cannot invoke")
        .doesNotContain("because");
  }

  @Test
  void read_replicaNamedByAPrimaryButNotMultiRegion_isRejected() {
    String mr =
        ", \"multiRegion\": {\"keyType\": \"PRIMARY\", \"primaryKey\": {\"arn\": \""
            + arn(1)
            + "\", \"region\": \"us-east-1\"}, \"replicaKeys\": [{\"arn\": \""
            + arn(2)
            + "\", \"region\": \"eu-west-1\"}]}";

    assertRejected(
        snapshot("", key(arn(1), mr), key(arn(2))),
        "/keys/1/metadata",
        "is named as part of a multi-Region set (at /keys/0/metadata/multiRegion/replicaKeys/0)");
  }

  @Test
  void read_unknownTopLevelMember_isRejectedWithItsPointer() {
    assertRejected(snapshot(", \"colour\": 1"), "/colour", "unknown member [colour]");
  }

  @Test
  void read_contentAfterTheDocument_isRejected() {
    assertRejected(snapshot("") + " {}", "", "content after the snapshot object");
  }

  // ---- key by key ------------------------------------------------------------------------------

  @Test
  void read_stream_handsOverTheHeaderThenEachKeyInOrder() {
    List<KeySnapshot> keys = new ArrayList<>();
    List<String> events = new ArrayList<>();
    String json =
        snapshot(", \"regions\": [\"us-east-1\"]", key(arn(1)), key(arn(2)))
            .replace("]}", "], \"collectionErrors\": [], \"durationMillis\": 7}");

    AccountSnapshot account =
        stream(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
            SnapshotReader.create(),
            keys,
            events);

    assertThat(events)
        .containsExactly(
            "start " + ACCOUNT + " " + NOW,
            "key 00000001-1111-4111-8111-111111111111",
            "key 00000002-1111-4111-8111-111111111111");
    assertThat(account.keys()).isEmpty();
    assertThat(account.durationMillis()).isEqualTo(7L);
    assertThat(account.regions()).containsExactly("us-east-1");
    assertThat(keys).isEqualTo(parse(json).keys());
  }

  @Test
  void read_stream_handsOverEachKeyBeforeReadingTheNext() {
    // given: input that fails after the first key
    byte[] head =
        ("{\"schemaVersion\": 1, \"account\": \""
                + ACCOUNT
                + "\", \"partition\": \"aws\", \"capturedAt\": \""
                + NOW
                + "\", \"keys\": ["
                + key(arn(1))
                + ", ")
            .getBytes(StandardCharsets.UTF_8);
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("the disk went away");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("the disk went away");
          }
        };
    InputStream in =
        new SequenceInputStream(
            Collections.enumeration(List.of(new ByteArrayInputStream(head), failing)));
    List<KeySnapshot> keys = new ArrayList<>();

    // when / then
    assertThatThrownBy(() -> stream(in, SnapshotReader.create(), keys, new ArrayList<>()))
        .hasMessageContaining("the disk went away");
    assertThat(keys).hasSize(1);
  }

  @Test
  void read_stream_headerAfterTheKeys_stillReadsEveryKey() {
    String json =
        "{\"keys\": ["
            + key(arn(1))
            + "], \"schemaVersion\": 1, \"account\": \""
            + ACCOUNT
            + "\", \"partition\": \"aws\", \"capturedAt\": \""
            + NOW
            + "\"}";
    List<KeySnapshot> keys = new ArrayList<>();
    List<String> events = new ArrayList<>();

    stream(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        SnapshotReader.create(),
        keys,
        events);

    assertThat(events).hasSize(2).first().asString().startsWith("start ");
    assertThat(keys).hasSize(1);
  }

  @Test
  void read_stream_keyOverTheLimit_isRejectedWithItsPointerWithoutReadingIt() {
    // given: a 2 MB description in the second key, with a 1 MB limit per key
    String big =
        key(arn(2))
            .replace("\"description\": \"\"", "\"description\": \"" + "x".repeat(2_000_000) + "\"");
    String json = snapshot("", key(arn(1)), big, key(arn(3)));
    List<KeySnapshot> keys = new ArrayList<>();

    // when / then
    assertThatThrownBy(
            () ->
                stream(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    SnapshotReader.create().withMaxKeyBytes(1_000_000),
                    keys,
                    new ArrayList<>()))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).isEqualTo("/keys/1"))
        .hasMessage(
            "invalid snapshot at [/keys/1]: the key is larger than the limit of 1000000 bytes per"
                + " key");
    assertThat(keys).hasSize(1);
  }

  @Test
  void read_stream_documentLargerThanTheKeyLimit_isFine() {
    // The limit is per key: ten keys of ~300 bytes with a limit of 1,000 bytes.
    String[] keys = new String[10];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key(arn(i));
    }
    String json = snapshot("", keys);
    List<KeySnapshot> read = new ArrayList<>();

    stream(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        SnapshotReader.create().withMaxKeyBytes(1_000),
        read,
        new ArrayList<>());

    assertThat(json.length()).isGreaterThan(3_000);
    assertThat(read).hasSize(10);
  }

  @Test
  void withMaxKeyBytes_notPositive_isRejected() {
    assertThatThrownBy(() -> SnapshotReader.create().withMaxKeyBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxKeyBytes [0] must be positive");
  }

  @Test
  void read_stream_version3InventoryAfterTheKeys_isInTheHeaderBeforeTheFirstKey() {
    AccountSnapshot full =
        SnapshotFixtures.full()
            .withInventory(SnapshotFixtures.inventory(SnapshotFixtures.full().keys().get(0).arn()));
    String written = full.toJson();
    // Our writer puts the inventory before the keys; another writer may put it last.
    assertThat(written.indexOf("\"inventory\"")).isLessThan(written.indexOf("\"keys\""));
    com.fasterxml.jackson.databind.node.ObjectNode tree;
    try {
      tree =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              new com.fasterxml.jackson.databind.ObjectMapper().readTree(written);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    com.fasterxml.jackson.databind.JsonNode inventory = tree.remove("inventory");
    tree.set("inventory", inventory);
    String last = tree.toString();
    assertThat(last.indexOf("\"inventory\"")).isGreaterThan(last.indexOf("\"keys\""));

    for (String json : List.of(written, last)) {
      List<AccountSnapshot> headers = new ArrayList<>();
      List<KeySnapshot> keys = new ArrayList<>();
      SnapshotReader.create()
          .read(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
              new SnapshotReader.KeyConsumer() {
                @Override
                public void start(AccountSnapshot header) {
                  assertThat(keys).isEmpty();
                  headers.add(header);
                }

                @Override
                public void accept(KeySnapshot key) {
                  keys.add(key);
                }
              });
      assertThat(headers).hasSize(1);
      assertThat(headers.get(0).inventory()).isEqualTo(full.inventory());
      assertThat(keys).isEqualTo(full.keys());
    }
  }
}

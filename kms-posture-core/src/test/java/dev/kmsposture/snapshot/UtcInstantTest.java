package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a snapshot reads an instant ({@code SnapshotCodec.UtcInstant}): UTC text, with or without a
 * fraction of a second, comes back as the same instant and is written back as it was; anything else
 * is refused with the pointer of the member and what was expected.
 */
class UtcInstantTest {
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/00000001-1111-4111-8111-111111111111";

  private static String snapshot(String capturedAt, String creationDate) {
    return "{\"schemaVersion\": 1, \"account\": \"111122223333\", \"partition\": \"aws\","
        + " \"capturedAt\": "
        + capturedAt
        + ", \"keys\": [{\"arn\": \""
        + KEY_ARN
        + "\", \"keyId\": \"00000001-1111-4111-8111-111111111111\", \"region\": \"us-east-1\","
        + " \"metadata\": {\"keyManager\": \"CUSTOMER\", \"keySpec\": \"SYMMETRIC_DEFAULT\","
        + " \"keyUsage\": \"ENCRYPT_DECRYPT\", \"origin\": \"AWS_KMS\", \"keyState\":"
        + " \"Enabled\", \"creationDate\": "
        + creationDate
        + ", \"description\": \"\"}}]}";
  }

  private static void assertRejected(String json, String pointer, String message) {
    assertThatThrownBy(() -> AccountSnapshot.parse(json))
        .isInstanceOfSatisfying(
            SnapshotParseException.class, e -> assertThat(e.pointer()).isEqualTo(pointer))
        .hasMessageStartingWith("invalid snapshot at [" + pointer + "]: ")
        .hasMessageContaining(message);
  }

  @Test
  void read_utcInstantsWithAndWithoutAFraction_roundTrip() {
    // the text read, and the text written: ISO-8601 with the fraction in groups of three digits
    Map<String, String> written =
        Map.of(
            "2026-11-28T09:00:00Z", "2026-11-28T09:00:00Z",
            "2026-11-28T09:00:00.5Z", "2026-11-28T09:00:00.500Z",
            "2026-11-28T09:00:00.123456789Z", "2026-11-28T09:00:00.123456789Z",
            "2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z");
    written.forEach(
        (text, out) -> {
          String json = snapshot("\"" + text + "\"", "\"" + text + "\"");

          AccountSnapshot s = AccountSnapshot.parse(json);

          Instant expected = Instant.parse(text);
          assertThat(s.capturedAt()).as(text).isEqualTo(expected);
          assertThat(s.keys().get(0).metadata().creationDate()).as(text).isEqualTo(expected);
          String again = s.toJson();
          assertThat(again).as(text).contains("\"capturedAt\" : \"" + out + "\"");
          assertThat(AccountSnapshot.parse(again)).as(text).isEqualTo(s);
        });
  }

  @Test
  void read_dateThatDoesNotExist_isRejectedWithItsPointer() {
    assertRejected(
        snapshot("\"2026-02-30T00:00:00Z\"", "\"2025-01-01T00:00:00Z\""),
        "/capturedAt",
        "[2026-02-30T00:00:00Z] is not a date-time; expected ISO 8601 in UTC");
    // With a fraction, the text takes the general path: the same answer.
    assertRejected(
        snapshot("\"2026-11-28T09:00:00Z\"", "\"2025-02-29T00:00:00.5Z\""),
        "/keys/0/metadata/creationDate",
        "[2025-02-29T00:00:00.5Z] is not a date-time; expected ISO 8601 in UTC");
  }

  @Test
  void read_instantInAnotherShape_isRejectedWithItsPointer() {
    for (String text :
        List.of(
            "2026-11-28 09:00:00Z",
            "2026-11-28T09:00Z",
            "2026-11-28T09:00:00.1234567890Z",
            "2026-11-28T09:00:00z",
            "")) {
      assertRejected(
          snapshot("\"2026-11-28T09:00:00Z\"", "\"" + text + "\""),
          "/keys/0/metadata/creationDate",
          "instant [" + text + "] is not in UTC; expected ISO-8601 ending in Z");
    }
  }

  @Test
  void read_instantThatIsNotAString_isRejectedWithItsPointer() {
    for (String value : List.of("true", "{\"at\": \"2026-11-28T09:00:00Z\"}", "[]", "1.5")) {
      assertRejected(
          snapshot(value, "\"2025-01-01T00:00:00Z\""),
          "/capturedAt",
          "an instant must be a string in UTC such as 2026-11-28T09:00:00Z");
    }
  }
}

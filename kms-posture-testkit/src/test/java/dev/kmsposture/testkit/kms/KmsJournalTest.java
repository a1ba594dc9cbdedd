package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GrantOperation;

/**
 * The request journal: every call recorded, succeeded or failed, with what CloudTrail logs and
 * never a secret.
 */
class KmsJournalTest {
  static final String SECRET = "top secret plaintext 0123456789";

  private static boolean containsAnywhere(JournalEntry e, String text) {
    return e.toString().contains(text) || e.requestParametersJson().contains(text);
  }

  @Test
  void journal_recordsEveryCallWithCloudTrailParameters_andNoSecret() {
    // given
    LocalKms kms =
        LocalKms.builder()
            .clock(Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC))
            .build();
    List<String> secrets;
    try (KmsClient client = kms.kmsClient(Region.US_EAST_1)) {
      String id = client.createKey(b -> b.description("journal")).keyMetadata().keyId();
      var enc =
          client.encrypt(
              b ->
                  b.keyId(id)
                      .plaintext(SdkBytes.fromUtf8String(SECRET))
                      .encryptionContext(Map.of("purpose", "audit")));
      var dec =
          client.decrypt(
              b ->
                  b.ciphertextBlob(enc.ciphertextBlob())
                      .encryptionContext(Map.of("purpose", "audit")));
      var dk = client.generateDataKey(b -> b.keyId(id).keySpec(DataKeySpec.AES_256));
      var grant =
          client.createGrant(
              b ->
                  b.keyId(id)
                      .granteePrincipal("arn:aws:iam::123456789012:role/a")
                      .operations(GrantOperation.DECRYPT));
      client.describeKey(b -> b.keyId(id).grantTokens(grant.grantToken()));
      var unused = catchThrowable(() -> client.describeKey(b -> b.keyId("alias/missing")));
      secrets =
          List.of(
              Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)),
              Base64.getEncoder().encodeToString(enc.ciphertextBlob().asByteArray()),
              Base64.getEncoder().encodeToString(dk.plaintext().asByteArray()),
              Base64.getEncoder().encodeToString(dk.ciphertextBlob().asByteArray()),
              grant.grantToken(),
              SECRET);
      assertThat(dec.plaintext().asUtf8String()).isEqualTo(SECRET);
    }

    // when
    List<JournalEntry> entries = kms.journal().entries();

    // then
    assertThat(entries)
        .extracting(JournalEntry::operation)
        .containsExactly(
            "CreateKey",
            "Encrypt",
            "Decrypt",
            "GenerateDataKey",
            "CreateGrant",
            "DescribeKey",
            "DescribeKey");
    for (JournalEntry e : entries) {
      for (String secret : secrets) {
        assertThat(containsAnywhere(e, secret)).as("%s contains a secret", e.operation()).isFalse();
      }
    }
    JournalEntry encrypt = entries.get(1);
    assertThat(encrypt.requestParametersJson())
        .contains("\"encryptionContext\":{\"purpose\":\"audit\"}");
    assertThat(encrypt.readOnly()).isTrue();
    assertThat(encrypt.keyArns())
        .singleElement()
        .asString()
        .startsWith("arn:aws:kms:us-east-1:123456789012:key/");
    assertThat(entries.get(0).requestParametersJson()).isEqualTo("{\"description\":\"journal\"}");
    assertThat(entries.get(0).readOnly()).isFalse();
    JournalEntry failed = entries.get(6);
    assertThat(failed.errorCode()).isEqualTo("NotFoundException");
    assertThat(failed.succeeded()).isFalse();
    assertThat(entries).allMatch(e -> e.eventType().equals("AwsApiCall"));
    assertThat(new HashSet<>(entries.stream().map(JournalEntry::eventId).toList()))
        .hasSize(entries.size());
  }

  @Test
  void idSeed_makesIdsDeterministic() {
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
    List<String> first = run(LocalKms.builder().clock(clock).idSeed(42).build());
    List<String> second = run(LocalKms.builder().clock(clock).idSeed(42).build());
    assertThat(first).isEqualTo(second);
  }

  private static List<String> run(LocalKms kms) {
    try (KmsClient client = kms.kmsClient(Region.US_EAST_1)) {
      String a = client.createKey().keyMetadata().keyId();
      String b = client.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
      String g =
          client
              .createGrant(
                  r ->
                      r.keyId(a)
                          .granteePrincipal("arn:aws:iam::123456789012:role/a")
                          .operations(GrantOperation.DECRYPT))
              .grantId();
      return List.of(a, b, g, kms.journal().entries().get(0).eventId());
    }
  }
}

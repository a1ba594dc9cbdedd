package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading seeds from YAML and JSON, strictly. */
class KmsSeedFileTest {
  static final String YAML =
      """
      trackingStartDate: 2026-01-01T00:00:00Z
      keys:
        - keyId: 1234abcd-12ab-34cd-56ef-1234567890ab
          account: 111122223333
          region: eu-west-1
          creationDate: 2025-06-01T00:00:00Z
          description: orders
          aliases: [alias/orders]
          tags: {env: prod, tier: 1}
          policy:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Principal: {AWS: 'arn:aws:iam::111122223333:root'}
                Action: 'kms:*'
                Resource: '*'
          rotation:
            enabled: true
            periodInDays: 180
            history:
              - {date: 2025-12-01T00:00:00Z, type: AUTOMATIC}
          grants:
            - granteePrincipal: arn:aws:iam::111122223333:role/app
              operations: [Decrypt, GenerateDataKey]
              encryptionContextSubset: {app: orders}
          lastUsed: {operation: Decrypt, at: 2026-02-01T00:00:00Z}
        - keyId: mrk-0123456789abcdef0123456789abcdef
          multiRegion: true
          replicas:
            - {region: eu-west-1, state: Disabled}
      """;

  @Test
  void parse_yaml_readsEveryField() {
    KmsSeed seed = KmsSeedFile.parse(YAML, "seed.yaml");

    assertThat(seed.trackingStartDate()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    SeedKey key = seed.keys().get(0);
    assertThat(key.account()).isEqualTo("111122223333");
    assertThat(key.region()).isEqualTo("eu-west-1");
    assertThat(key.tags()).containsEntry("tier", "1");
    assertThat(key.policy())
        .hasValueSatisfying(p -> assertThat(p).startsWith("{\"Version\":\"2012-10-17\""));
    assertThat(key.rotationPeriodInDays()).isEqualTo(180);
    assertThat(key.rotations()).hasSize(1);
    assertThat(key.grants().get(0).encryptionContextSubset()).containsEntry("app", "orders");
    assertThat(key.lastUsedOperation()).contains("Decrypt");
    assertThat(seed.keys().get(1).replicas().get(0).state()).isEqualTo("Disabled");
  }

  @Test
  void read_json_file(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("seed.json");
    Files.writeString(file, "{\"keys\":[{\"description\":\"from json\",\"state\":\"Disabled\"}]}");

    KmsSeed seed = KmsSeed.read(file);

    assertThat(seed.keys())
        .singleElement()
        .satisfies(k -> assertThat(k.state()).isEqualTo("Disabled"));
  }

  @Test
  void unknownField_namesItsPathAndTheKnownFields() {
    assertThatThrownBy(() -> KmsSeedFile.parse("keys:\n  - rotation: {enabld: true}\n", "s.yaml"))
        .isInstanceOf(KmsSeedException.class)
        .hasMessage(
            "keys[0].rotation.enabld: s.yaml: is not a known field; expected one of [enabled,"
                + " history, nextRotationDate, periodInDays]");
  }

  @Test
  void badValue_namesItsPathAndWhatIsAccepted() {
    assertThatThrownBy(
            () ->
                KmsSeedFile.parse(
                    "keys:\n  - rotation: {enabled: true, periodInDays: 30}\n", "s.yaml"))
        .isInstanceOf(KmsSeedException.class)
        .hasMessage(
            "keys[0].rotation.periodInDays: s.yaml: rotation period [30] days is not valid;"
                + " expected 90 to 2560")
        .extracting(e -> ((KmsSeedException) e).field())
        .isEqualTo("keys[0].rotation.periodInDays");
  }

  @Test
  void wrongType_andBadDate_andMissingField_areNamed() {
    assertThatThrownBy(() -> KmsSeedFile.parse("keys:\n  - aliases: alias/x\n", "s.yaml"))
        .hasMessage("keys[0].aliases: s.yaml: is a string [alias/x]; expected a list");
    assertThatThrownBy(() -> KmsSeedFile.parse("keys:\n  - creationDate: yesterday\n", "s.yaml"))
        .hasMessage(
            "keys[0].creationDate: s.yaml: value [yesterday] is not an ISO-8601 instant; expected"
                + " e.g. 2026-03-01T10:00:00Z");
    assertThatThrownBy(
            () -> KmsSeedFile.parse("keys:\n  - lastUsed: {operation: Decrypt}\n", "s.yaml"))
        .hasMessage("keys[0].lastUsed.at: s.yaml: is missing");
  }

  @Test
  void accountWrittenAsANumberWithALeadingZero_isExplained() {
    assertThatThrownBy(() -> KmsSeedFile.parse("keys:\n  - account: 12345678901\n", "s.yaml"))
        .hasMessageContaining("leading zeros are lost; quote it");
  }

  @Test
  void notYaml_isAnErrorWithItsPlace() {
    assertThatThrownBy(() -> KmsSeedFile.parse("keys: [\n", "s.yaml"))
        .isInstanceOf(KmsSeedException.class)
        .hasMessageStartingWith("s.yaml: not valid YAML or JSON at line");
  }

  @Test
  void duplicateField_isRejected() {
    assertThatThrownBy(() -> KmsSeedFile.parse("keys: []\nkeys: []\n", "s.yaml"))
        .isInstanceOf(KmsSeedException.class)
        .hasMessageContaining("Duplicate field 'keys'");
  }

  @Test
  void rotationHistoryBeforeTheKeyExisted_namesTheFileField() {
    assertThatThrownBy(
            () ->
                LocalKms.builder()
                    .seed(
                        KmsSeedFile.parse(
                            """
                            keys:
                              - creationDate: 2026-01-01T00:00:00Z
                                rotation: {history: [{date: 2025-01-01T00:00:00Z, type: AUTOMATIC}]}
                            """,
                            "s.yaml"))
                    .build())
        .isInstanceOf(KmsSeedException.class)
        .hasMessageStartingWith(
            "keys[0].rotation.history[0]: rotation date 2025-01-01T00:00:00Z is not between the"
                + " key's creation (2026-01-01T00:00:00Z) and now");
  }

  @Test
  void parsedSeed_appliesToAKms() {
    LocalKms kms =
        LocalKms.builder()
            .clock(
                java.time.Clock.fixed(
                    Instant.parse("2026-02-15T00:00:00Z"), java.time.ZoneOffset.UTC))
            .seed(KmsSeedFile.parse(YAML, "seed.yaml"))
            .build();
    kms.catchUp();
    // the next automatic rotation (2025-12-01 + 180 days) is not due yet
    assertThat(kms.journal().entries()).isEmpty();
  }
}

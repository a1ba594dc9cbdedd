package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyMetadataBuilderTest {
  private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
  private static final String ARN =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6";

  private static KeyMetadata.Builder required() {
    return KeyMetadata.builder()
        .keyManager("CUSTOMER")
        .keySpec("SYMMETRIC_DEFAULT")
        .keyUsage("ENCRYPT_DECRYPT")
        .origin("AWS_KMS")
        .keyState(KeyMetadata.ENABLED)
        .creationDate(CREATED);
  }

  @Test
  void build_everyPart_equalsTheCanonicalConstructor() {
    // given
    MultiRegionConfiguration mr =
        new MultiRegionConfiguration(
            "PRIMARY", new MultiRegionConfiguration.MultiRegionKey(ARN, "us-east-1"), List.of());

    // when
    KeyMetadata built =
        KeyMetadata.builder()
            .keyManager("CUSTOMER")
            .keySpec("SYMMETRIC_DEFAULT")
            .keyUsage("ENCRYPT_DECRYPT")
            .origin("EXTERNAL")
            .customKeyStoreId("cks-1234567890abcdef0")
            .keyState(KeyMetadata.PENDING_DELETION)
            .creationDate(CREATED)
            .deletionDate(Instant.parse("2026-12-01T00:00:00Z"))
            .pendingDeletionWindowInDays(30)
            .description("orders")
            .multiRegion(mr)
            .expirationModel("KEY_MATERIAL_EXPIRES")
            .validTo(Instant.parse("2027-01-01T00:00:00Z"))
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new KeyMetadata(
                "CUSTOMER",
                "SYMMETRIC_DEFAULT",
                "ENCRYPT_DECRYPT",
                "EXTERNAL",
                "cks-1234567890abcdef0",
                KeyMetadata.PENDING_DELETION,
                CREATED,
                Instant.parse("2026-12-01T00:00:00Z"),
                30,
                "orders",
                mr,
                "KEY_MATERIAL_EXPIRES",
                Instant.parse("2027-01-01T00:00:00Z")));
  }

  @Test
  void build_requiredOnly_hasAnEmptyDescriptionAndNothingElse() {
    KeyMetadata m = required().build();

    assertThat(m.description()).isEmpty();
    assertThat(m.customKeyStoreId()).isNull();
    assertThat(m.deletionDate()).isNull();
    assertThat(m.pendingDeletionWindowInDays()).isNull();
    assertThat(m.multiRegion()).isNull();
    assertThat(m.expirationModel()).isNull();
    assertThat(m.validTo()).isNull();
    assertThat(m.isCustomerManaged()).isTrue();
  }

  @Test
  void toBuilder_build_roundTripsAndChangesOnlyWhatIsSet() {
    KeyMetadata m = required().description("orders").build();

    assertThat(m.toBuilder().build()).isEqualTo(m);
    KeyMetadata disabled = m.toBuilder().keyState(KeyMetadata.DISABLED).build();
    assertThat(disabled.keyState()).isEqualTo(KeyMetadata.DISABLED);
    assertThat(disabled.description()).isEqualTo("orders");
    assertThat(m.keyState()).isEqualTo(KeyMetadata.ENABLED);
  }

  @Test
  void toBuilder_ofUnknown_roundTrips() {
    assertThat(KeyMetadata.unknown().toBuilder().build()).isEqualTo(KeyMetadata.unknown());
  }

  @Test
  void keyManager_blank_failsWithTheValue() {
    assertThatThrownBy(() -> KeyMetadata.builder().keyManager(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key manager [ ] is blank; expected CUSTOMER or AWS");
  }

  @Test
  void keySpec_blank_failsWithTheValue() {
    assertThatThrownBy(() -> KeyMetadata.builder().keySpec(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key spec [] is blank; expected a KMS key spec such as SYMMETRIC_DEFAULT");
  }

  @Test
  void keyUsage_blank_failsWithTheValue() {
    assertThatThrownBy(() -> KeyMetadata.builder().keyUsage(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key usage [] is blank; expected a KMS key usage such as ENCRYPT_DECRYPT");
  }

  @Test
  void origin_blank_failsWithTheValue() {
    assertThatThrownBy(() -> KeyMetadata.builder().origin("\t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "origin [\t] is blank; expected AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE");
  }

  @Test
  void keyState_blank_failsWithTheValue() {
    assertThatThrownBy(() -> KeyMetadata.builder().keyState(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key state [] is blank; expected a key state such as Enabled");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the rejection is the subject
  void setters_null_failNamingTheParameter() {
    assertThatThrownBy(() -> KeyMetadata.builder().creationDate(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("creationDate");
    assertThatThrownBy(() -> KeyMetadata.builder().description(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("description");
    assertThatThrownBy(() -> KeyMetadata.builder().keySpec(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keySpec");
  }

  @Test
  void build_withoutKeyManager_failsNamingTheSetter() {
    assertThatThrownBy(
            () ->
                KeyMetadata.builder()
                    .keySpec("SYMMETRIC_DEFAULT")
                    .keyUsage("ENCRYPT_DECRYPT")
                    .origin("AWS_KMS")
                    .keyState(KeyMetadata.ENABLED)
                    .creationDate(CREATED)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("key metadata has no key manager; set it with keyManager(...) before build()");
  }

  @Test
  void build_withoutEachRequiredPart_failsNamingItsSetter() {
    // Each builder misses exactly one required part.
    assertThatThrownBy(
            () ->
                KeyMetadata.builder()
                    .keyManager("AWS")
                    .keyUsage("ENCRYPT_DECRYPT")
                    .origin("AWS_KMS")
                    .keyState(KeyMetadata.ENABLED)
                    .creationDate(CREATED)
                    .build())
        .hasMessage("key metadata has no key spec; set it with keySpec(...) before build()");
    assertThatThrownBy(
            () ->
                KeyMetadata.builder()
                    .keyManager("AWS")
                    .keySpec("SYMMETRIC_DEFAULT")
                    .origin("AWS_KMS")
                    .keyState(KeyMetadata.ENABLED)
                    .creationDate(CREATED)
                    .build())
        .hasMessage("key metadata has no key usage; set it with keyUsage(...) before build()");
    assertThatThrownBy(
            () ->
                KeyMetadata.builder()
                    .keyManager("AWS")
                    .keySpec("SYMMETRIC_DEFAULT")
                    .keyUsage("ENCRYPT_DECRYPT")
                    .keyState(KeyMetadata.ENABLED)
                    .creationDate(CREATED)
                    .build())
        .hasMessage("key metadata has no origin; set it with origin(...) before build()");
    assertThatThrownBy(
            () ->
                KeyMetadata.builder()
                    .keyManager("AWS")
                    .keySpec("SYMMETRIC_DEFAULT")
                    .keyUsage("ENCRYPT_DECRYPT")
                    .origin("AWS_KMS")
                    .creationDate(CREATED)
                    .build())
        .hasMessage("key metadata has no key state; set it with keyState(...) before build()");
    assertThatThrownBy(
            () ->
                KeyMetadata.builder()
                    .keyManager("AWS")
                    .keySpec("SYMMETRIC_DEFAULT")
                    .keyUsage("ENCRYPT_DECRYPT")
                    .origin("AWS_KMS")
                    .keyState(KeyMetadata.ENABLED)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "key metadata has no creation date; set it with creationDate(...) before build()");
  }
}

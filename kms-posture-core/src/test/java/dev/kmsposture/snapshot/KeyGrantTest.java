package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyGrantTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/app";

  @Test
  void build_everyPart_equalsTheCanonicalConstructor() {
    // when
    KeyGrant built =
        KeyGrant.builder()
            .grantId("g-1")
            .name("ebs")
            .granteePrincipal(ROLE)
            .retiringPrincipal("arn:aws:iam::111122223333:role/ops")
            .issuingAccount("arn:aws:iam::111122223333:root")
            .operations(List.of("Decrypt"))
            .addOperation("CreateGrant")
            .encryptionContextEquals(Map.of("b", "2", "a", "1"))
            .encryptionContextSubset(Map.of())
            .creationDate(Instant.parse("2026-02-01T00:00:00Z"))
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new KeyGrant(
                "g-1",
                "ebs",
                ROLE,
                "arn:aws:iam::111122223333:role/ops",
                "arn:aws:iam::111122223333:root",
                List.of("Decrypt", "CreateGrant"),
                Map.of("a", "1", "b", "2"),
                Map.of(),
                Instant.parse("2026-02-01T00:00:00Z")));
  }

  @Test
  void toBuilder_build_roundTrips() {
    KeyGrant grant =
        KeyGrant.builder()
            .grantId("g-2")
            .granteePrincipal("dynamodb.amazonaws.com")
            .operations(List.of("Encrypt"))
            .encryptionContextSubset(Map.of("app", "billing"))
            .build();

    assertThat(grant.toBuilder().build()).isEqualTo(grant);
    assertThat(grant.toBuilder().name("renamed").build().name()).isEqualTo("renamed");
    assertThat(grant.name()).isNull();
  }

  @Test
  void build_defaults_areEmptyOrAbsent() {
    KeyGrant grant = KeyGrant.builder().grantId("g-3").granteePrincipal(ROLE).build();

    assertThat(grant.operations()).isEmpty();
    assertThat(grant.hasEncryptionContextConstraint()).isFalse();
    assertThat(grant.creationDate()).isNull();
    assertThat(grant.retiringPrincipal()).isNull();
    assertThat(grant.issuingAccount()).isNull();
  }

  @Test
  void grantId_blank_failsWithTheValue() {
    assertThatThrownBy(() -> KeyGrant.builder().grantId(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grant id [ ] is blank; expected the id ListGrants returns");
  }

  @Test
  void granteePrincipal_blank_failsWithTheValue() {
    assertThatThrownBy(() -> KeyGrant.builder().granteePrincipal(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grantee principal [] is blank; expected an IAM ARN or a service principal");
  }

  @Test
  void addOperation_blank_failsWithTheValue() {
    assertThatThrownBy(() -> KeyGrant.builder().operations(List.of("Decrypt", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grant operation [] is blank; expected an operation such as Decrypt");
  }

  @Test
  void build_withoutGrantId_failsNamingTheSetter() {
    assertThatThrownBy(() -> KeyGrant.builder().granteePrincipal(ROLE).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("grant has no grant id; set it with grantId(...) before build()");
  }

  @Test
  void build_withoutGrantee_failsNamingTheSetter() {
    assertThatThrownBy(() -> KeyGrant.builder().grantId("g-4").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "grant has no grantee principal; set it with granteePrincipal(...) before build()");
  }
}

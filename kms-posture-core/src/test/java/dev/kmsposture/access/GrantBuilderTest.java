package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrantBuilderTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/app";

  @Test
  void build_everyPart_equalsTheCanonicalConstructor() {
    // when
    Grant built =
        Grant.builder()
            .grantId("g-1")
            .name("ebs")
            .granteePrincipal(ROLE)
            .retiringPrincipal("arn:aws:iam::111122223333:role/ops")
            .operations(List.of("Decrypt"))
            .addOperation("CreateGrant")
            .encryptionContextSubset(Map.of("app", "billing"))
            .issuingAccount("111122223333")
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new Grant(
                "g-1",
                "ebs",
                ROLE,
                "arn:aws:iam::111122223333:role/ops",
                List.of("Decrypt", "CreateGrant"),
                Map.of(),
                Map.of("app", "billing"),
                "111122223333"));
  }

  @Test
  void build_requiredOnly_equalsOf() {
    Grant g = Grant.builder().grantId("g-2").granteePrincipal(ROLE).addOperation("Encrypt").build();

    assertThat(g).isEqualTo(Grant.of("g-2", ROLE, List.of("Encrypt")));
  }

  @Test
  void toBuilder_build_roundTrips() {
    Grant g =
        Grant.builder()
            .grantId("g-3")
            .granteePrincipal("dynamodb.amazonaws.com")
            .addOperation("Decrypt")
            .encryptionContextEquals(Map.of("b", "2", "a", "1"))
            .build();

    assertThat(g.toBuilder().build()).isEqualTo(g);
    assertThat(g.toBuilder().name("renamed").build().name()).isEqualTo("renamed");
    assertThat(g.name()).isNull();
  }

  @Test
  void grantId_blank_failsWithTheValue() {
    assertThatThrownBy(() -> Grant.builder().grantId(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grant id [ ] is blank; expected the id CreateGrant returns");
  }

  @Test
  void granteePrincipal_blank_failsWithTheValue() {
    assertThatThrownBy(() -> Grant.builder().granteePrincipal(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "grantee principal [] is blank; expected an IAM ARN, an account or a service"
                + " principal");
  }

  @Test
  void build_withoutGrantId_failsNamingTheSetter() {
    assertThatThrownBy(() -> Grant.builder().granteePrincipal(ROLE).addOperation("Decrypt").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("grant has no grant id; set it with grantId(...) before build()");
  }

  @Test
  void build_withoutGrantee_failsNamingTheSetter() {
    assertThatThrownBy(() -> Grant.builder().grantId("g-4").addOperation("Decrypt").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "grant has no grantee principal; set it with granteePrincipal(...) before build()");
  }

  @Test
  void build_withoutOperations_failsAsTheConstructorDoes() {
    assertThatThrownBy(() -> Grant.builder().grantId("g-5").granteePrincipal(ROLE).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grant [g-5] has no operations; name at least one, such as Decrypt");
  }

  @Test
  void build_unknownOperation_failsAsTheConstructorDoes() {
    assertThatThrownBy(
            () ->
                Grant.builder()
                    .grantId("g-6")
                    .granteePrincipal(ROLE)
                    .addOperation("PutKeyPolicy")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "grant operation [PutKeyPolicy] of grant [g-6] is not a KMS grant operation; expected"
                + " e.g. Decrypt, Encrypt, GenerateDataKey, CreateGrant, DescribeKey");
  }

  @Test
  void build_bothConstraints_failsNamingBoth() {
    assertThatThrownBy(
            () ->
                Grant.builder()
                    .grantId("g-7")
                    .granteePrincipal(ROLE)
                    .addOperation("Decrypt")
                    .encryptionContextEquals(Map.of("a", "1"))
                    .encryptionContextSubset(Map.of("b", "2"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "grant [g-7] sets both EncryptionContextEquals and EncryptionContextSubset; KMS"
                + " accepts only one of them");
  }
}

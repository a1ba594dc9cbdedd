package dev.kmsposture.leastprivilege;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.policy.KmsAction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyKindTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SYMMETRIC_DEFAULT|ENCRYPT_DECRYPT|kms:Decrypt kms:DescribeKey kms:Encrypt"
            + " kms:GenerateDataKey kms:GenerateDataKeyPair kms:GenerateDataKeyPairWithoutPlaintext"
            + " kms:GenerateDataKeyWithoutPlaintext kms:ReEncryptFrom kms:ReEncryptTo",
        "RSA_3072|ENCRYPT_DECRYPT|kms:Decrypt kms:DescribeKey kms:Encrypt kms:GetPublicKey"
            + " kms:ReEncryptFrom kms:ReEncryptTo",
        "RSA_2048|SIGN_VERIFY|kms:DescribeKey kms:GetPublicKey kms:Sign kms:Verify",
        "ECC_NIST_P256|SIGN_VERIFY|kms:DescribeKey kms:GetPublicKey kms:Sign kms:Verify",
        "ML_DSA_65|SIGN_VERIFY|kms:DescribeKey kms:GetPublicKey kms:Sign kms:Verify",
        "SM2|SIGN_VERIFY|kms:DescribeKey kms:GetPublicKey kms:Sign kms:Verify",
        "HMAC_256|GENERATE_VERIFY_MAC|kms:DescribeKey kms:GenerateMac kms:VerifyMac",
        "ECC_NIST_P384|KEY_AGREEMENT|kms:DeriveSharedSecret kms:DescribeKey kms:GetPublicKey",
        "ML_KEM_768|ENCAPSULATE_DECAPSULATE|kms:Decapsulate kms:DescribeKey kms:Encapsulate"
            + " kms:GetPublicKey",
      })
  void userActions_perSpecAndUsage_areTheIssuesList(String spec, String usage, String expected) {
    String actual =
        KeyKind.of(spec, usage).userActions().stream()
            .map(KmsAction::name)
            .collect(Collectors.joining(" "));
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void of_unsupportedUsageForKnownSpec_throwsWithMessage() {
    assertThatThrownBy(() -> KeyKind.of("HMAC_256", "ENCRYPT_DECRYPT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key spec [HMAC_256] does not support key usage [ENCRYPT_DECRYPT]; it supports"
                + " [GENERATE_VERIFY_MAC]");
  }

  @Test
  void of_unknownUsage_throwsWithMessage() {
    assertThatThrownBy(() -> KeyKind.of("SYMMETRIC_DEFAULT", "WRAP"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key usage [WRAP] is not valid; expected one of ENCRYPT_DECRYPT, SIGN_VERIFY,"
                + " GENERATE_VERIFY_MAC, KEY_AGREEMENT, ENCAPSULATE_DECAPSULATE");
  }

  @Test
  void of_unknownSpecWithKnownUsage_isAccepted() {
    assertThat(KeyKind.of("FUTURE_SPEC_1", "SIGN_VERIFY").userActions()).contains(KmsAction.SIGN);
  }

  @Test
  void forSpec_singleUsageSpec_givesTheKind() {
    assertThat(KeyKind.forSpec("HMAC_512")).contains(KeyKind.of("HMAC_512", "GENERATE_VERIFY_MAC"));
  }

  @Test
  void forSpec_rsa_isEmptyBecauseTheUsageMustBeChosen() {
    assertThat(KeyKind.forSpec("RSA_4096")).isEmpty();
  }
}

package dev.kmsposture.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KmsActionTest {

  // Every operation of the SDK KmsClient 2.57.8: the *Request classes in
  // software/amazon/awssdk/services/kms/model of kms-2.57.8.jar. Core has no SDK dependency, so
  // the list is data.
  private static final List<String> SDK_OPERATIONS =
      List.of(
          "CancelKeyDeletion",
          "ConnectCustomKeyStore",
          "CreateAlias",
          "CreateCustomKeyStore",
          "CreateGrant",
          "CreateKey",
          "Decapsulate",
          "Decrypt",
          "DeleteAlias",
          "DeleteCustomKeyStore",
          "DeleteImportedKeyMaterial",
          "DeriveSharedSecret",
          "DescribeCustomKeyStores",
          "DescribeKey",
          "DisableKey",
          "DisableKeyRotation",
          "DisconnectCustomKeyStore",
          "EnableKey",
          "EnableKeyRotation",
          "Encapsulate",
          "Encrypt",
          "GenerateDataKey",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext",
          "GenerateDataKeyWithoutPlaintext",
          "GenerateMac",
          "GenerateRandom",
          "GetKeyLastUsage",
          "GetKeyPolicy",
          "GetKeyRotationStatus",
          "GetParametersForImport",
          "GetPublicKey",
          "ImportKeyMaterial",
          "ListAliases",
          "ListGrants",
          "ListKeyPolicies",
          "ListKeyRotations",
          "ListKeys",
          "ListResourceTags",
          "ListRetirableGrants",
          "PutKeyPolicy",
          "ReEncrypt",
          "ReplicateKey",
          "RetireGrant",
          "RevokeGrant",
          "RotateKeyOnDemand",
          "ScheduleKeyDeletion",
          "Sign",
          "TagResource",
          "UntagResource",
          "UpdateAlias",
          "UpdateCustomKeyStore",
          "UpdateKeyDescription",
          "UpdatePrimaryRegion",
          "Verify",
          "VerifyMac");

  private static Set<String> names(Set<KmsAction> actions) {
    return actions.stream()
        .map(KmsAction::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  @Test
  void sdkOperations_listedAsData_areFiftySix() {
    assertThat(SDK_OPERATIONS).hasSize(56).doesNotHaveDuplicates();
  }

  @Test
  void known_catalog_hasFiftyEightActions() {
    // 56 operations, ReEncrypt split into ReEncryptFrom/ReEncryptTo, plus the permission-only
    // SynchronizeMultiRegionKey.
    assertThat(KmsAction.known()).hasSize(58);
  }

  @Test
  void known_everySdkOperation_hasItsPermission() {
    // given
    List<String> missing = new ArrayList<>();
    // when
    for (String operation : SDK_OPERATIONS) {
      if (operation.equals("ReEncrypt")) {
        continue;
      }
      if (KmsAction.lookup("kms:" + operation).isEmpty()) {
        missing.add(operation);
      }
    }
    // then
    assertThat(missing).isEmpty();
  }

  @Test
  void known_reEncrypt_isAuthorizedByFromAndTo() {
    assertThat(KmsAction.lookup("kms:ReEncrypt")).isEmpty();
    assertThat(KmsAction.known()).contains(KmsAction.RE_ENCRYPT_FROM, KmsAction.RE_ENCRYPT_TO);
    assertThat(KmsAction.of("kms:ReEncrypt*").expand())
        .containsExactly(KmsAction.RE_ENCRYPT_FROM, KmsAction.RE_ENCRYPT_TO);
  }

  @Test
  void known_permissionsWithoutOperation_areOnlySynchronizeMultiRegionKeyAndReEncryptHalves() {
    // given
    Set<String> operations = Set.copyOf(SDK_OPERATIONS);
    // when
    List<String> withoutOperation =
        KmsAction.known().stream()
            .map(a -> a.name().substring(4))
            .filter(n -> !operations.contains(n))
            .collect(Collectors.toList());
    // then
    assertThat(withoutOperation)
        .containsExactlyInAnyOrder("ReEncryptFrom", "ReEncryptTo", "SynchronizeMultiRegionKey");
  }

  @Test
  void known_order_isSortedByNameIgnoringCase() {
    List<String> names = new ArrayList<>(names(KmsAction.known()));
    assertThat(names).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER);
  }

  @Test
  void known_everyName_isCanonicalKmsSpelling() {
    assertThat(KmsAction.known())
        .allSatisfy(
            a -> {
              assertThat(a.name()).matches("kms:[A-Z][A-Za-z]+");
              assertThat(a.isKnown()).isTrue();
              assertThat(a.canonical()).isSameAs(a);
            });
  }

  @Test
  void known_returnedSet_isUnmodifiable() {
    assertThatThrownBy(() -> KmsAction.known().add(KmsAction.of("kms:New")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void constants_decryptAndPutKeyPolicy_haveCanonicalNames() {
    assertThat(KmsAction.DECRYPT.name()).isEqualTo("kms:Decrypt");
    assertThat(KmsAction.PUT_KEY_POLICY.name()).isEqualTo("kms:PutKeyPolicy");
    assertThat(KmsAction.ALL.name()).isEqualTo("kms:*");
    assertThat(KmsAction.ANY.name()).isEqualTo("*");
    assertThat(KmsAction.GET_KEY_LAST_USAGE.name()).isEqualTo("kms:GetKeyLastUsage");
  }

  // Spot checks against the Service Authorization Reference, "Actions defined by AWS Key
  // Management Service" (access level column).
  @ParameterizedTest
  @CsvSource({
    "kms:Decrypt, WRITE",
    "kms:Encrypt, WRITE",
    "kms:GenerateDataKey, WRITE",
    "kms:Sign, WRITE",
    "kms:Verify, WRITE",
    "kms:GenerateRandom, WRITE",
    "kms:CreateKey, WRITE",
    "kms:CreateAlias, WRITE",
    "kms:ScheduleKeyDeletion, WRITE",
    "kms:CreateGrant, PERMISSIONS_MANAGEMENT",
    "kms:PutKeyPolicy, PERMISSIONS_MANAGEMENT",
    "kms:RetireGrant, PERMISSIONS_MANAGEMENT",
    "kms:RevokeGrant, PERMISSIONS_MANAGEMENT",
    "kms:TagResource, TAGGING",
    "kms:UntagResource, TAGGING",
    "kms:DescribeKey, READ",
    "kms:GetKeyPolicy, READ",
    "kms:GetKeyRotationStatus, READ",
    "kms:GetParametersForImport, READ",
    "kms:GetPublicKey, READ",
    "kms:DescribeCustomKeyStores, READ",
    "kms:ListAliases, LIST",
    "kms:ListGrants, LIST",
    "kms:ListKeyPolicies, LIST",
    "kms:ListKeyRotations, LIST",
    "kms:ListKeys, LIST",
    "kms:ListResourceTags, LIST",
    "kms:ListRetirableGrants, LIST",
  })
  void accessLevel_catalogAction_matchesServiceAuthorizationReference(
      String action, AccessLevel level) {
    assertThat(KmsAction.of(action).accessLevel()).contains(level);
  }

  @Test
  void accessLevel_permissionsManagement_isExactlyGrantsAndKeyPolicy() {
    assertThat(
            KmsAction.known().stream()
                .filter(a -> a.accessLevel().orElseThrow() == AccessLevel.PERMISSIONS_MANAGEMENT))
        .containsExactly(
            KmsAction.CREATE_GRANT,
            KmsAction.PUT_KEY_POLICY,
            KmsAction.RETIRE_GRANT,
            KmsAction.REVOKE_GRANT);
  }

  @Test
  void accessLevel_unknownOrWildcard_isEmpty() {
    assertThat(KmsAction.of("kms:Decryp").accessLevel()).isEmpty();
    assertThat(KmsAction.of("kms:Get*").accessLevel()).isEmpty();
  }

  @Test
  void cryptographic_set_isExactlyTheKeyOperations() {
    assertThat(names(KmsAction.cryptographic()))
        .containsExactlyInAnyOrder(
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:GenerateDataKeyPair",
            "kms:GenerateDataKeyPairWithoutPlaintext",
            "kms:Sign",
            "kms:Verify",
            "kms:GenerateMac",
            "kms:VerifyMac",
            "kms:DeriveSharedSecret",
            "kms:Encapsulate",
            "kms:Decapsulate");
  }

  @Test
  void isCryptographic_generateRandom_isFalse() {
    assertThat(KmsAction.GENERATE_RANDOM.isCryptographic()).isFalse();
  }

  @Test
  void crossAccount_set_isCryptographicPlusDocumentedKeyOperations() {
    // given
    Set<KmsAction> expected = new LinkedHashSet<>(KmsAction.cryptographic());
    expected.addAll(
        List.of(
            KmsAction.CREATE_GRANT,
            KmsAction.DESCRIBE_KEY,
            KmsAction.GET_KEY_ROTATION_STATUS,
            KmsAction.GET_PUBLIC_KEY,
            KmsAction.LIST_GRANTS,
            KmsAction.RETIRE_GRANT,
            KmsAction.REVOKE_GRANT));
    // then
    assertThat(KmsAction.crossAccount()).hasSize(22).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kms:GetKeyLastUsage",
        "kms:PutKeyPolicy",
        "kms:GetKeyPolicy",
        "kms:ListResourceTags",
        "kms:ScheduleKeyDeletion",
        "kms:RotateKeyOnDemand",
        "kms:ReplicateKey",
        "kms:CreateKey",
        "kms:ListKeys"
      })
  void isCrossAccount_sameAccountOnlyAction_isFalse(String action) {
    assertThat(KmsAction.of(action).isCrossAccount()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kms:CreateKey",
        "kms:ListAliases",
        "kms:ListKeys",
        "kms:GenerateRandom",
        "kms:ListRetirableGrants",
        "kms:CreateCustomKeyStore",
        "kms:ConnectCustomKeyStore",
        "kms:DisconnectCustomKeyStore",
        "kms:DeleteCustomKeyStore",
        "kms:DescribeCustomKeyStores",
        "kms:UpdateCustomKeyStore"
      })
  void isKeyPolicyAuthorizable_actionWithoutKeyResource_isFalse(String action) {
    assertThat(KmsAction.of(action).isKeyPolicyAuthorizable()).isFalse();
  }

  @Test
  void isKeyPolicyAuthorizable_onlyIamActions_areExactlyEleven() {
    assertThat(KmsAction.known().stream().filter(a -> !a.isKeyPolicyAuthorizable())).hasSize(11);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "kms:CreateAlias",
        "kms:UpdateAlias",
        "kms:DeleteAlias",
        "kms:PutKeyPolicy",
        "kms:Decrypt",
        "kms:GetKeyLastUsage",
        "kms:ReplicateKey"
      })
  void isKeyPolicyAuthorizable_keyResourceAction_isTrue(String action) {
    assertThat(KmsAction.of(action).isKeyPolicyAuthorizable()).isTrue();
  }

  @Test
  void grantOperation_grantableActions_matchGrantOperationEnum() {
    // The 19 GrantOperation values of the SDK 2.57.8 model.
    assertThat(
            KmsAction.known().stream()
                .flatMap(a -> a.grantOperation().stream())
                .collect(Collectors.toList()))
        .containsExactlyInAnyOrder(
            "Decrypt",
            "Encrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncryptFrom",
            "ReEncryptTo",
            "Sign",
            "Verify",
            "GetPublicKey",
            "CreateGrant",
            "RetireGrant",
            "DescribeKey",
            "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext",
            "GenerateMac",
            "VerifyMac",
            "DeriveSharedSecret",
            "Encapsulate",
            "Decapsulate");
  }

  @Test
  void grantOperation_revokeGrantAndUnknown_isEmpty() {
    assertThat(KmsAction.REVOKE_GRANT.grantOperation()).isEmpty();
    assertThat(KmsAction.of("kms:Decryp").grantOperation()).isEmpty();
    assertThat(KmsAction.of("kms:decrypt").grantOperation()).contains("Decrypt");
  }

  @Test
  void of_unknownAction_isNotKnownAndRoundTripsSpelling() {
    // when
    KmsAction action = KmsAction.of("kms:Decryp");
    // then
    assertThat(action.isKnown()).isFalse();
    assertThat(action.name()).isEqualTo("kms:Decryp");
    assertThat(action.toString()).isEqualTo("kms:Decryp");
    assertThat(action.canonical()).isSameAs(action);
    assertThat(action.isCryptographic()).isFalse();
    assertThat(action.isCrossAccount()).isFalse();
    assertThat(action.isKeyPolicyAuthorizable()).isFalse();
    assertThat(action.expand()).isEmpty();
  }

  @Test
  void of_mixedCase_keepsCaseButCanonicalises() {
    // when
    KmsAction action = KmsAction.of("KMS:decrypt");
    // then
    assertThat(action.name()).isEqualTo("KMS:decrypt");
    assertThat(action).isNotEqualTo(KmsAction.DECRYPT);
    assertThat(action.isKnown()).isTrue();
    assertThat(action.canonical()).isEqualTo(KmsAction.DECRYPT);
    assertThat(action.isCryptographic()).isTrue();
  }

  @Test
  void of_emptyName_failsNamingTheValue() {
    assertThatThrownBy(() -> KmsAction.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("action [] is empty; expected service:Action or *");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the rejection is the subject
  void of_nullName_failsWithParameterName() {
    assertThatThrownBy(() -> KmsAction.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }

  @Test
  void lookup_anyCase_returnsCanonicalAction() {
    assertThat(KmsAction.lookup("kms:getpublickey")).containsSame(KmsAction.GET_PUBLIC_KEY);
    assertThat(KmsAction.lookup("KMS:GETPUBLICKEY")).containsSame(KmsAction.GET_PUBLIC_KEY);
  }

  @Test
  void lookup_wildcardOrOtherService_isEmpty() {
    assertThat(KmsAction.lookup("kms:Get*")).isEmpty();
    assertThat(KmsAction.lookup("s3:GetObject")).isEmpty();
    assertThat(KmsAction.lookup("Decrypt")).isEmpty();
  }

  @Test
  void isWildcard_starOrQuestionMark_isTrue() {
    assertThat(KmsAction.of("kms:Get*").isWildcard()).isTrue();
    assertThat(KmsAction.of("kms:?ncrypt").isWildcard()).isTrue();
    assertThat(KmsAction.DECRYPT.isWildcard()).isFalse();
  }

  @Test
  void isKmsNamespace_anyCasePrefixOrStar_isTrue() {
    assertThat(KmsAction.of("KMS:Decrypt").isKmsNamespace()).isTrue();
    assertThat(KmsAction.ANY.isKmsNamespace()).isTrue();
    assertThat(KmsAction.of("s3:GetObject").isKmsNamespace()).isFalse();
    assertThat(KmsAction.of("km").isKmsNamespace()).isFalse();
  }

  @Test
  void matches_concreteAction_ignoresCase() {
    assertThat(KmsAction.DECRYPT.matches("KMS:DECRYPT")).isTrue();
    assertThat(KmsAction.of("kms:decrypt").matches(KmsAction.DECRYPT)).isTrue();
    assertThat(KmsAction.DECRYPT.matches(KmsAction.ENCRYPT)).isFalse();
    assertThat(KmsAction.DECRYPT.matches("kms:Decrypt2")).isFalse();
  }

  @Test
  void matches_star_matchesEveryServiceAction() {
    assertThat(KmsAction.ANY.matches("s3:GetObject")).isTrue();
    assertThat(KmsAction.ANY.matches(KmsAction.DECRYPT)).isTrue();
    assertThat(KmsAction.ALL.matches("s3:GetObject")).isFalse();
  }

  @Test
  void matches_grantPattern_matchesEveryGrantAction() {
    KmsAction pattern = KmsAction.of("kms:*Grant*");
    assertThat(pattern.matches(KmsAction.CREATE_GRANT)).isTrue();
    assertThat(pattern.matches(KmsAction.LIST_RETIRABLE_GRANTS)).isTrue();
    assertThat(pattern.matches(KmsAction.DECRYPT)).isFalse();
  }

  @Test
  void matches_argumentWithWildcard_isTakenLiterally() {
    assertThat(KmsAction.DECRYPT.matches("kms:*")).isFalse();
    assertThat(KmsAction.ALL.matches("kms:*")).isTrue();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the rejection is the subject
  void matches_nullArgument_failsWithParameterName() {
    assertThatThrownBy(() -> KmsAction.DECRYPT.matches((String) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("actionName");
    assertThatThrownBy(() -> KmsAction.DECRYPT.matches((KmsAction) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("concrete");
  }

  @Test
  void expand_getStar_includesGetPublicKeyAndGetParametersForImport() {
    assertThat(KmsAction.of("kms:Get*").expand())
        .containsExactly(
            KmsAction.GET_KEY_LAST_USAGE,
            KmsAction.GET_KEY_POLICY,
            KmsAction.GET_KEY_ROTATION_STATUS,
            KmsAction.GET_PARAMETERS_FOR_IMPORT,
            KmsAction.GET_PUBLIC_KEY);
  }

  @Test
  void expand_lowerCaseGetStar_sameAsGetStar() {
    assertThat(KmsAction.of("KMS:get*").expand()).isEqualTo(KmsAction.of("kms:Get*").expand());
  }

  @Test
  void expand_grantPattern_isTheFiveGrantActions() {
    assertThat(KmsAction.of("kms:*Grant*").expand())
        .containsExactly(
            KmsAction.CREATE_GRANT,
            KmsAction.LIST_GRANTS,
            KmsAction.LIST_RETIRABLE_GRANTS,
            KmsAction.RETIRE_GRANT,
            KmsAction.REVOKE_GRANT);
  }

  @Test
  void expand_questionMark_matchesExactlyOneCharacter() {
    assertThat(KmsAction.of("kms:?ncrypt").expand()).containsExactly(KmsAction.ENCRYPT);
    assertThat(KmsAction.of("kms:??crypt").expand())
        .containsExactly(KmsAction.DECRYPT, KmsAction.ENCRYPT);
  }

  @Test
  void expand_kmsStarAndStar_areTheWholeCatalog() {
    assertThat(KmsAction.ALL.expand()).isEqualTo(KmsAction.known());
    assertThat(KmsAction.ANY.expand()).isEqualTo(KmsAction.known());
    assertThat(KmsAction.of("KMS:*").expand()).isEqualTo(KmsAction.known());
    assertThat(KmsAction.of("k*").expand()).isEqualTo(KmsAction.known());
  }

  @Test
  void expand_concreteMixedCase_isCanonicalAction() {
    assertThat(KmsAction.of("kms:DESCRIBEKEY").expand()).containsExactly(KmsAction.DESCRIBE_KEY);
  }

  @Test
  void expand_otherServiceOrUnknown_isEmpty() {
    assertThat(KmsAction.of("s3:*").expand()).isEmpty();
    assertThat(KmsAction.of("s3:GetObject").expand()).isEmpty();
    assertThat(KmsAction.of("kms:Decryp").expand()).isEmpty();
  }

  @Test
  void expand_generateDataKeyStar_isTheFourDataKeyActions() {
    assertThat(KmsAction.of("kms:GenerateDataKey*").expand())
        .containsExactly(
            KmsAction.GENERATE_DATA_KEY,
            KmsAction.GENERATE_DATA_KEY_PAIR,
            KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT,
            KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT);
  }

  @Test
  void expandAll_severalPatterns_isTheirUnion() {
    // when
    Set<KmsAction> expanded =
        KmsAction.expandAll(
            List.of(
                KmsAction.of("kms:Encrypt"),
                KmsAction.of("kms:Decrypt"),
                KmsAction.of("kms:ReEncrypt*")));
    // then
    assertThat(expanded)
        .containsExactly(
            KmsAction.DECRYPT,
            KmsAction.ENCRYPT,
            KmsAction.RE_ENCRYPT_FROM,
            KmsAction.RE_ENCRYPT_TO);
  }

  @Test
  void complementOf_notActionEncryptDecrypt_coversEverythingElse() {
    // when
    Set<KmsAction> rest = KmsAction.complementOf(List.of(KmsAction.ENCRYPT, KmsAction.DECRYPT));
    // then
    assertThat(rest).hasSize(56).doesNotContain(KmsAction.ENCRYPT, KmsAction.DECRYPT);
  }

  @Test
  void complementOf_star_isEmpty() {
    assertThat(KmsAction.complementOf(List.of(KmsAction.ANY))).isEmpty();
    assertThat(KmsAction.complementOf(List.of())).isEqualTo(KmsAction.known());
  }

  @Test
  void expandAll_nullElement_failsWithParameterName() {
    List<KmsAction> patterns = new ArrayList<>();
    patterns.add(null);
    assertThatThrownBy(() -> KmsAction.expandAll(patterns))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("patterns element");
  }
}

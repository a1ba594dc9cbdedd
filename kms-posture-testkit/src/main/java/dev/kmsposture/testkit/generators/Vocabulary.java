package dev.kmsposture.testkit.generators;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.List;

/**
 * The names, actions and values the generators draw from: realistic enough that the evaluator and
 * the rules have something to decide, few enough that the same names meet in one policy and in the
 * requests made against it.
 */
final class Vocabulary {
  private Vocabulary() {}

  /** Accounts other than the key's: partners and strangers. */
  static final List<AccountId> OTHER_ACCOUNTS =
      List.of(AccountId.of("444455556666"), AccountId.of("777788889999"));

  /** An account that no generated policy names. */
  static final AccountId STRANGER_ACCOUNT = AccountId.of("999999999999");

  static final List<String> ROLE_NAMES =
      List.of("KeyAdmin", "App", "service-role/Reader", "team/app/Batch");

  static final List<String> USER_NAMES = List.of("Alice", "ops/Bob");

  static final List<String> SESSIONS = List.of("App/session-1", "KeyAdmin/i-0abc123");

  static final List<String> SERVICE_PRINCIPALS =
      List.of(
          "logs.us-east-1.amazonaws.com",
          "s3.amazonaws.com",
          "cloudtrail.amazonaws.com",
          "delivery.logs.amazonaws.com");

  /** Action wildcards as policies write them. */
  static final List<KmsAction> ACTION_WILDCARDS =
      List.of(
          KmsAction.ALL,
          KmsAction.ANY,
          KmsAction.of("kms:Get*"),
          KmsAction.of("kms:List*"),
          KmsAction.of("kms:Describe*"),
          KmsAction.of("kms:*Grant*"),
          KmsAction.of("kms:Generate*"),
          KmsAction.of("kms:ReEncrypt*"),
          KmsAction.of("kms:Create*"),
          KmsAction.of("kms:*Key*"));

  /** Every catalog action a key policy can authorize, in catalog order. */
  static final List<KmsAction> KEY_POLICY_ACTIONS = keyPolicyActions();

  private static List<KmsAction> keyPolicyActions() {
    List<KmsAction> out = new ArrayList<>();
    for (KmsAction a : KmsAction.known()) {
      if (a.isKeyPolicyAuthorizable()) {
        out.add(a);
      }
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return List.copyOf(out);
  }

  /** The actions least-privilege statements grant, in the groups the builder uses. */
  static final List<List<KmsAction>> ROLE_ACTIONS =
      List.of(
          List.of(
              KmsAction.ENCRYPT,
              KmsAction.DECRYPT,
              KmsAction.of("kms:ReEncryptFrom"),
              KmsAction.of("kms:ReEncryptTo"),
              KmsAction.GENERATE_DATA_KEY,
              KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
              KmsAction.DESCRIBE_KEY),
          List.of(
              KmsAction.DESCRIBE_KEY,
              KmsAction.PUT_KEY_POLICY,
              KmsAction.of("kms:GetKeyPolicy"),
              KmsAction.ENABLE_KEY,
              KmsAction.DISABLE_KEY,
              KmsAction.of("kms:TagResource"),
              KmsAction.of("kms:UntagResource"),
              KmsAction.of("kms:ScheduleKeyDeletion"),
              KmsAction.CANCEL_KEY_DELETION),
          List.of(
              KmsAction.CREATE_GRANT,
              KmsAction.of("kms:ListGrants"),
              KmsAction.of("kms:RevokeGrant")),
          List.of(
              KmsAction.DESCRIBE_KEY,
              KmsAction.of("kms:GetKeyPolicy"),
              KmsAction.of("kms:GetKeyRotationStatus")));

  /** The grant operations KMS accepts in CreateGrant. */
  static final List<String> GRANT_OPERATIONS =
      List.of(
          "Decrypt",
          "Encrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "ReEncryptFrom",
          "ReEncryptTo",
          "CreateGrant",
          "RetireGrant",
          "DescribeKey",
          "Sign",
          "Verify",
          "GenerateMac",
          "VerifyMac",
          "GetPublicKey",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext",
          "DeriveSharedSecret");

  /** Valid key spec and usage pairs (KMS API Reference, KeyUsage; SDK 2.57.8 adds ML-KEM). */
  static final List<List<String>> KEY_KINDS =
      List.of(
          List.of("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"),
          List.of("RSA_2048", "ENCRYPT_DECRYPT"),
          List.of("RSA_3072", "SIGN_VERIFY"),
          List.of("RSA_4096", "ENCRYPT_DECRYPT"),
          List.of("RSA_4096", "SIGN_VERIFY"),
          List.of("ECC_NIST_P256", "SIGN_VERIFY"),
          List.of("ECC_NIST_P384", "KEY_AGREEMENT"),
          List.of("ECC_NIST_P521", "SIGN_VERIFY"),
          List.of("ECC_NIST_EDWARDS25519", "SIGN_VERIFY"),
          List.of("ECC_SECG_P256K1", "SIGN_VERIFY"),
          List.of("HMAC_224", "GENERATE_VERIFY_MAC"),
          List.of("HMAC_256", "GENERATE_VERIFY_MAC"),
          List.of("HMAC_384", "GENERATE_VERIFY_MAC"),
          List.of("HMAC_512", "GENERATE_VERIFY_MAC"),
          List.of("ML_DSA_44", "SIGN_VERIFY"),
          List.of("ML_DSA_65", "SIGN_VERIFY"),
          List.of("ML_DSA_87", "SIGN_VERIFY"),
          List.of("ML_KEM_512", "ENCAPSULATE_DECAPSULATE"),
          List.of("ML_KEM_768", "ENCAPSULATE_DECAPSULATE"),
          List.of("ML_KEM_1024", "ENCAPSULATE_DECAPSULATE"),
          List.of("SM2", "ENCRYPT_DECRYPT"),
          List.of("SM2", "SIGN_VERIFY"),
          List.of("SM2", "KEY_AGREEMENT"));

  /** Every key state {@code DescribeKey} reports. */
  static final List<String> KEY_STATES =
      List.of(
          "Enabled",
          "Disabled",
          "PendingDeletion",
          "PendingReplicaDeletion",
          "PendingImport",
          "Unavailable",
          "Creating",
          "Updating");

  static final List<String> AWS_MANAGED_ALIASES =
      List.of("aws/s3", "aws/ebs", "aws/rds", "aws/secretsmanager", "aws/acm");

  static final List<String> CUSTOMER_ALIASES =
      List.of("prod-customer-pii", "app-data", "dev-scratch", "backup", "logs-archive");
}

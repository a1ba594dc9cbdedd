package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** GetKeyPolicy, PutKeyPolicy, ListKeyPolicies, and the policy checks of CreateKey. */
class PolicyConformanceTest extends ConformanceTest {
  static final String ROOT_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":\"arn:aws:iam::"
          + ACCOUNT
          + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";

  static final String ALICE_ONLY_USE =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":\"arn:aws:iam::"
          + ACCOUNT
          + ":user/alice\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\"],\"Resource\":\"*\"}]}";

  @Test
  void getKeyPolicy_ofAKeyCreatedWithoutOne_isTheDefaultPolicyAsAwsFormatsIt() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();

    var r = kms.getKeyPolicy(b -> b.keyId(id));

    assertThat(r.policyName()).isEqualTo("default");
    assertThat(r.policy())
        .isEqualTo(
            "{\n"
                + "  \"Version\" : \"2012-10-17\",\n"
                + "  \"Id\" : \"key-default-1\",\n"
                + "  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n"
                + "    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n"
                + "      \"AWS\" : \"arn:aws:iam::"
                + ACCOUNT
                + ":root\"\n"
                + "    },\n"
                + "    \"Action\" : \"kms:*\",\n"
                + "    \"Resource\" : \"*\"\n"
                + "  } ]\n"
                + "}");
  }

  @Test
  void putKeyPolicy_withoutPolicyName_storesThePolicyVerbatim() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    String policy = ROOT_POLICY.replace(",", ", ");

    kms.putKeyPolicy(b -> b.keyId(id).policy(policy));

    assertThat(kms.getKeyPolicy(b -> b.keyId(id).policyName("default")).policy()).isEqualTo(policy);
  }

  @Test
  void putKeyPolicy_statementWithoutActionOrResource_isStoredAsAwsDoes() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    String policy =
        ROOT_POLICY.replace(
            "]}",
            ",{\"Sid\":\"NoAction\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Resource\":\"*\"}]}");

    kms.putKeyPolicy(b -> b.keyId(id).policy(policy));

    assertThat(kms.getKeyPolicy(b -> b.keyId(id)).policy()).isEqualTo(policy);
  }

  @Test
  void putKeyPolicy_otherPolicyName_isNotFound() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        NotFoundException.class,
        "NotFoundException",
        () -> kms.putKeyPolicy(b -> b.keyId(id).policyName("other").policy(ROOT_POLICY)));
    error(
        NotFoundException.class,
        "NotFoundException",
        () -> kms.getKeyPolicy(b -> b.keyId(id).policyName("other")));
  }

  @Test
  void putKeyPolicy_malformedJson_isMalformedPolicyDocument() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        MalformedPolicyDocumentException.class,
        "MalformedPolicyDocumentException",
        () -> kms.putKeyPolicy(b -> b.keyId(id).policy("{\"Version\":\"2012-10-17\",")));
    error(
        MalformedPolicyDocumentException.class,
        "MalformedPolicyDocumentException",
        () ->
            kms.putKeyPolicy(
                b ->
                    b.keyId(id)
                        .policy(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}")));
  }

  @Test
  void putKeyPolicy_over32768Bytes_isLimitExceeded() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    String padding = "x".repeat(33_000);
    String policy = ROOT_POLICY.replace("\"Sid\":\"Root\"", "\"Sid\":\"" + padding + "\"");
    error(
        LimitExceededException.class,
        "LimitExceededException",
        () -> kms.putKeyPolicy(b -> b.keyId(id).policy(policy)));
  }

  @Test
  void putKeyPolicy_charactersOutsideThePattern_isAValidationError() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    String policy = ROOT_POLICY.replace("Root", "R\u0100");
    KmsException e =
        error(
            KmsException.class,
            "ValidationException",
            () -> kms.putKeyPolicy(b -> b.keyId(id).policy(policy)));
    assertThat(e.awsErrorDetails().errorMessage())
        .contains(
            "at 'policy' failed to satisfy constraint: Member must satisfy regular expression");
  }

  @Test
  void lockoutSafetyCheck_refusesAPolicyTheCallerCouldNotChange_unlessBypassed() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();

    error(
        MalformedPolicyDocumentException.class,
        "MalformedPolicyDocumentException",
        "The new key policy will not allow you to update the key policy in the future.",
        () -> kms.putKeyPolicy(b -> b.keyId(id).policy(ALICE_ONLY_USE)));
    error(
        MalformedPolicyDocumentException.class,
        "MalformedPolicyDocumentException",
        "The new key policy will not allow you to update the key policy in the future.",
        () -> kms.createKey(b -> b.policy(ALICE_ONLY_USE)));

    kms.putKeyPolicy(b -> b.keyId(id).policy(ALICE_ONLY_USE).bypassPolicyLockoutSafetyCheck(true));
    assertThat(kms.getKeyPolicy(b -> b.keyId(id)).policy()).isEqualTo(ALICE_ONLY_USE);
  }

  @Test
  void lockoutSafetyCheck_rootDelegationToTheCallersAccount_counts() {
    // the user alice calls; the policy only names the account root, which delegates to IAM
    KmsClient alice = client(Region.US_EAST_1, "AKIAALICE0000000001");

    String id = alice.createKey(b -> b.policy(ROOT_POLICY)).keyMetadata().keyId();

    assertThat(alice.getKeyPolicy(b -> b.keyId(id)).policy()).isEqualTo(ROOT_POLICY);
  }

  @Test
  void lockoutSafetyCheck_aPolicyNamingOnlyAnotherPrincipal_isRefusedForTheCaller() {
    KmsClient bob = client(Region.US_EAST_1, "AKIABOB00000000001");
    String alicePutsPolicy =
        ALICE_ONLY_USE.replace("[\"kms:Encrypt\",\"kms:Decrypt\"]", "\"kms:*\"");

    error(
        MalformedPolicyDocumentException.class,
        "MalformedPolicyDocumentException",
        "The new key policy will not allow you to update the key policy in the future.",
        () -> bob.createKey(b -> b.policy(alicePutsPolicy)));
    // alice herself may create it
    client(Region.US_EAST_1, "AKIAALICE0000000001").createKey(b -> b.policy(alicePutsPolicy));
  }

  @Test
  void lockoutSafetyCheck_aDenyWhoseNotPrincipalLeavesTheCallerOut_isRefused() {
    // Allows alice, then denies PutKeyPolicy to everyone but bob: alice is locked out.
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::"
            + ACCOUNT
            + ":user/alice\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\","
            + "\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/bob\"},\"Action\":\"kms:PutKeyPolicy\",\"Resource\":\"*\"}]}";
    error(
        MalformedPolicyDocumentException.class,
        "MalformedPolicyDocumentException",
        "The new key policy will not allow you to update the key policy in the future.",
        () -> client(Region.US_EAST_1, "AKIAALICE0000000001").createKey(b -> b.policy(policy)));
  }

  @Test
  void listKeyPolicies_isDefault() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();

    var r = kms.listKeyPolicies(b -> b.keyId(id));

    assertThat(r.policyNames()).containsExactly("default");
    assertThat(r.truncated()).isFalse();
  }

  @Test
  void putKeyPolicy_acrossAccounts_isNotFound() {
    String arn = client().createKey().keyMetadata().arn();
    error(
        NotFoundException.class,
        "NotFoundException",
        () ->
            client(Region.US_EAST_1, "AKIAOTHERACCOUNT0001")
                .putKeyPolicy(b -> b.keyId(arn).policy(ROOT_POLICY)));
  }
}

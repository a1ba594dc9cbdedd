package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.KmsSeed;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KmsException;

/** Optional enforcement of key policies, grants and IAM policies with core's evaluator. */
class EnforcementConformanceTest extends ConformanceTest {
  static final String KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
  static final String BOB = "arn:aws:iam::" + ACCOUNT + ":role/bob";
  static final String ALICE_KEY = "AKIAALICE0000000001";
  static final String BOB_KEY = "AKIABOB00000000001";
  static final String ARN = keyArn("us-east-1", ACCOUNT, KEY);

  private static String policy(String statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
  }

  private static String allow(String principal, String actions) {
    return "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
        + principal
        + "\"},\"Action\":"
        + actions
        + ",\"Resource\":\"*\"}";
  }

  private static final String ROOT_ADMIN = allow("arn:aws:iam::" + ACCOUNT + ":root", "\"kms:*\"");

  private void enforced(String keyPolicy, boolean assumeIamAllows, Map<String, String> iam) {
    kms(
        b -> {
          b.enforcePolicies(true)
              .assumeIamAllowsWhenNoPolicyGiven(assumeIamAllows)
              .seed(KmsSeed.builder().key(k -> k.keyId(KEY).policy(keyPolicy)).build());
          iam.forEach(b::identityPolicy);
          return b;
        });
  }

  @Test
  void keyPolicy_namingTheCallerForAnAction_allowsOnlyThatAction() {
    enforced(policy(allow(ALICE, "[\"kms:Encrypt\",\"kms:DescribeKey\"]")), true, Map.of());
    KmsClient alice = client(Region.US_EAST_1, ALICE_KEY);

    var enc = alice.encrypt(b -> b.keyId(KEY).plaintext(CryptoConformanceTest.HELLO));

    error(
        KmsException.class,
        "AccessDeniedException",
        "User: "
            + ALICE
            + " is not authorized to perform: kms:Decrypt on resource: "
            + ARN
            + " because no resource-based policy allows the kms:Decrypt action",
        () -> alice.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())));
    error(
        KmsException.class,
        "AccessDeniedException",
        "User: "
            + BOB
            + " is not authorized to perform: kms:DescribeKey on resource: "
            + ARN
            + " because no resource-based policy allows the kms:DescribeKey action",
        () -> client(Region.US_EAST_1, BOB_KEY).describeKey(b -> b.keyId(KEY)));
  }

  @Test
  void explicitDenyInTheKeyPolicy_winsOverTheAccountDelegation() {
    enforced(
        policy(
            ROOT_ADMIN
                + ",{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\""
                + ALICE
                + "\"},\"Action\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\"}"),
        true,
        Map.of());
    KmsClient alice = client(Region.US_EAST_1, ALICE_KEY);

    alice.disableKey(b -> b.keyId(KEY));
    error(
        KmsException.class,
        "AccessDeniedException",
        "User: "
            + ALICE
            + " is not authorized to perform: kms:ScheduleKeyDeletion on resource: "
            + ARN
            + " with an explicit deny in a resource-based policy",
        () -> alice.scheduleKeyDeletion(b -> b.keyId(KEY)));
  }

  @Test
  void accountDelegation_withoutAnIamPolicy_followsTheConfiguredAssumption() {
    enforced(policy(ROOT_ADMIN), false, Map.of());
    error(
        KmsException.class,
        "AccessDeniedException",
        "User: "
            + ALICE
            + " is not authorized to perform: kms:DescribeKey on resource: "
            + ARN
            + " because no identity-based policy allows the kms:DescribeKey action",
        () -> client(Region.US_EAST_1, ALICE_KEY).describeKey(b -> b.keyId(KEY)));
    // the account's root user needs no IAM policy
    assertThat(client().describeKey(b -> b.keyId(KEY)).keyMetadata().keyId()).isEqualTo(KEY);
  }

  @Test
  void accountDelegation_decidedByTheSuppliedIamPolicy() {
    enforced(
        policy(ROOT_ADMIN),
        true,
        Map.of(
            ALICE,
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"kms:DescribeKey\",\"kms:Encrypt\"],\"Resource\":\"*\"}]}"));
    KmsClient alice = client(Region.US_EAST_1, ALICE_KEY);

    alice.describeKey(b -> b.keyId(KEY));
    error(
        KmsException.class,
        "AccessDeniedException",
        "User: "
            + ALICE
            + " is not authorized to perform: kms:DisableKey on resource: "
            + ARN
            + " because no identity-based policy allows the kms:DisableKey action",
        () -> alice.disableKey(b -> b.keyId(KEY)));
    error(
        KmsException.class,
        "AccessDeniedException",
        "User: "
            + ALICE
            + " is not authorized to perform: kms:CreateKey on resource: *"
            + " because no identity-based policy allows the kms:CreateKey action",
        () -> alice.createKey());
  }

  @Test
  void grant_allowsItsGranteeUnderItsConstraint() {
    enforced(policy(ROOT_ADMIN), false, Map.of());
    KmsClient root = client();
    root.createGrant(
        b ->
            b.keyId(KEY)
                .granteePrincipal(BOB)
                .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT)
                .constraints(c -> c.encryptionContextSubset(Map.of("app", "orders"))));
    KmsClient bob = client(Region.US_EAST_1, BOB_KEY);

    var enc =
        bob.encrypt(
            b ->
                b.keyId(ARN)
                    .plaintext(CryptoConformanceTest.HELLO)
                    .encryptionContext(Map.of("app", "orders", "extra", "1")));

    assertThat(
            bob.decrypt(
                    b ->
                        b.ciphertextBlob(enc.ciphertextBlob())
                            .encryptionContext(Map.of("app", "orders", "extra", "1")))
                .plaintext())
        .isEqualTo(CryptoConformanceTest.HELLO);
    error(
        KmsException.class,
        "AccessDeniedException",
        () ->
            bob.encrypt(
                b ->
                    b.keyId(ARN)
                        .plaintext(CryptoConformanceTest.HELLO)
                        .encryptionContext(Map.of("app", "other"))));
  }

  @Test
  void crossAccountCaller_needsTheKeyPolicyToNameItsAccount() {
    enforced(policy(ROOT_ADMIN), true, Map.of());
    error(
        KmsException.class,
        "AccessDeniedException",
        () -> client(Region.US_EAST_1, "AKIAOTHERACCOUNT0001").describeKey(b -> b.keyId(ARN)));
  }

  @Test
  void withoutEnforcement_everySignedRequestIsAllowed() {
    kms(
        b ->
            b.seed(
                KmsSeed.builder()
                    .key(k -> k.keyId(KEY).policy(policy(allow(ALICE, "\"kms:Encrypt\""))))
                    .build()));
    assertThat(
            client(Region.US_EAST_1, BOB_KEY).describeKey(b -> b.keyId(KEY)).keyMetadata().keyId())
        .isEqualTo(KEY);
  }
}

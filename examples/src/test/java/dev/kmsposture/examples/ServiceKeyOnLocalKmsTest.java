package dev.kmsposture.examples;

import static dev.kmsposture.testkit.assertj.KmsPostureAssertions.assertThat;
import static dev.kmsposture.testkit.generators.KmsSource.Kind.ACCOUNT_IDS;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.testkit.generators.KmsGenerators;
import dev.kmsposture.testkit.generators.KmsSource;
import dev.kmsposture.testkit.kms.LocalKmsSeed;
import dev.kmsposture.testkit.kms.WithLocalKms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The service's data key on the embedded KMS: created and updated through a real SDK {@code
 * KmsClient} with {@link ServiceKeyPolicy}, read back, and asserted on with the testkit's
 * assertions and generators. {@code @WithLocalKms} gives the class its own KMS, reset before each
 * test to the keys of {@code legacy-keys.yaml}.
 */
// The clients act as the administrator role: the lockout check lets a caller create a key only
// under a policy that lets it change the policy later, and the service's policy names no one else.
@WithLocalKms(caller = ServiceKeyOnLocalKmsTest.ADMIN)
@LocalKmsSeed("legacy-keys.yaml")
class ServiceKeyOnLocalKmsTest {
  static final AccountId ACCOUNT = AccountId.of("123456789012");
  static final String ADMIN = "arn:aws:iam::123456789012:role/KeyAdmin";
  static final String APP = "arn:aws:iam::123456789012:role/App";
  static final String INTERN = "arn:aws:iam::123456789012:user/intern";

  private final KeyPolicy servicePolicy =
      ServiceKeyPolicy.forService(ACCOUNT, "us-east-1", ADMIN, APP);

  private static KeyPolicy storedPolicy(KmsClient kms, String keyId) {
    return KeyPolicy.parse(kms.getKeyPolicy(b -> b.keyId(keyId)).policy());
  }

  @Test
  void createKey_storesTheServicePolicy(KmsClient kms) {
    // when
    String keyId = kms.createKey(b -> b.policy(servicePolicy.toJson())).keyMetadata().keyId();

    // then
    assertThat(storedPolicy(kms, keyId))
        .inAccount(ACCOUNT)
        .isNotPublic()
        .grantsOnly(ADMIN, APP)
        .hasNoFindingsAtLeast(Severity.RECOMMENDED);
  }

  @Test
  void replacingTheLegacyPolicy_grantsNoNewAccessAndEndsPublicAccess(
      KmsClient kms, CloudTrailClient cloudTrail) {
    // given: the seeded key, whose policy lets anyone decrypt
    String keyId = kms.describeKey(b -> b.keyId("alias/orders-legacy")).keyMetadata().keyId();
    KeyPolicy legacy = storedPolicy(kms, keyId);
    org.assertj.core.api.Assertions.assertThat(AccessAnalysis.of(legacy, ACCOUNT).isPublic())
        .isTrue();
    assertThat(legacy).allows(INTERN, "kms:Decrypt");

    // when
    kms.putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy(servicePolicy.toJson()));

    // then
    assertThat(storedPolicy(kms, keyId))
        .grantsNoNewAccessComparedTo(legacy)
        .isNotPublic()
        .denies(INTERN, "kms:Decrypt");
    // and the change is in CloudTrail, as an auditor would look for it
    org.assertj.core.api.Assertions.assertThat(
            cloudTrail.lookupEvents(b -> b.maxResults(50)).events())
        .extracting(e -> e.eventName())
        .contains("PutKeyPolicy");
  }

  // Generated actions against the stored policy: outside S3 the service's role may do nothing.
  @Test
  void storedPolicy_generatedActions_appIsDeniedOutsideS3(KmsClient kms) {
    String keyId = kms.createKey(b -> b.policy(servicePolicy.toJson())).keyMetadata().keyId();
    KeyPolicy stored = storedPolicy(kms, keyId);
    for (KmsAction action : KmsGenerators.kmsActions().withoutWildcards().samples(11L, 40)) {
      assertThat(stored).denies(APP, action).when("kms:ViaService", "ec2.us-east-1.amazonaws.com");
    }
  }

  // @KmsSource arguments first, then the injected client: each invocation gets a reset KMS.
  @ParameterizedTest
  @KmsSource(value = ACCOUNT_IDS, count = 10, seed = 2026L)
  void createKey_partnerAccountsAreNeverGranted(AccountId partner, KmsClient kms) {
    String keyId = kms.createKey(b -> b.policy(servicePolicy.toJson())).keyMetadata().keyId();
    org.assertj.core.api.Assertions.assertThat(kms.listKeys().keys()).hasSize(2);
    assertThat(storedPolicy(kms, keyId))
        .denies("arn:aws:iam::" + partner.value() + ":root", "kms:Decrypt")
        .when("kms:ViaService", "s3.us-east-1.amazonaws.com");
  }
}

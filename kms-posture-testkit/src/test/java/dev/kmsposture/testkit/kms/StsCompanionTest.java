package dev.kmsposture.testkit.kms;

import static dev.kmsposture.testkit.kms.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.AccountId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS through the real SDK {@code StsClient}, in-process and over HTTP. */
class StsCompanionTest {
  private static final AccountId SCANNER_ACCOUNT = AccountId.of("123456789012");
  private static final AccountId TARGET_ACCOUNT = AccountId.of("111122223333");
  private static final String ROLE = "arn:aws:iam::111122223333:role/PostureScanner";
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  private final MutableClock clock = new MutableClock(START);

  private LocalKms kms() {
    return LocalKms.builder()
        .clock(clock)
        .caller("AKIDALICE", Caller.of("arn:aws:iam::123456789012:user/alice"))
        .caller("AKIDMALLORY", Caller.of("arn:aws:iam::123456789012:user/mallory"))
        .caller("AKIDOTHER", Caller.of("arn:aws:iam::444455556666:user/eve"))
        .assumableRole(
            AssumableRole.builder(ROLE)
                .trust(SCANNER_ACCOUNT.value())
                .deny("arn:aws:iam::123456789012:user/mallory")
                .requireExternalId("posture-2026")
                .maxSessionDuration(Duration.ofHours(2))
                .build())
        .build();
  }

  private static AssumeRoleResponse assume(StsClient sts, String externalId, int seconds) {
    return sts.assumeRole(
        b ->
            b.roleArn(ROLE)
                .roleSessionName("scan-1")
                .externalId(externalId)
                .durationSeconds(seconds));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void getCallerIdentity_defaultCaller_isTheDefaultAccountRoot(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        StsClient sts = session.sts(Region.US_EAST_1)) {
      GetCallerIdentityResponse identity = sts.getCallerIdentity();

      assertThat(identity.account()).isEqualTo("123456789012");
      assertThat(identity.arn()).isEqualTo("arn:aws:iam::123456789012:root");
      assertThat(identity.userId()).isEqualTo("123456789012");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void getCallerIdentity_mappedUser_hasAnAidaUserId(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        StsClient sts = session.sts(Region.EU_WEST_1, "AKIDALICE")) {
      GetCallerIdentityResponse identity = sts.getCallerIdentity();

      assertThat(identity.arn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
      assertThat(identity.userId()).matches("AIDA[A-Z2-7]{17}");
      assertThat(sts.getCallerIdentity().userId()).isEqualTo(identity.userId());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void assumeRole_trustedCallerWithExternalId_actsAsTheSession(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        StsClient sts = session.sts(Region.US_EAST_1, "AKIDALICE")) {
      // when
      AssumeRoleResponse assumed = assume(sts, "posture-2026", 3600);

      // then
      Credentials credentials = assumed.credentials();
      assertThat(credentials.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
      assertThat(credentials.secretAccessKey()).isNotBlank();
      assertThat(credentials.sessionToken()).isNotBlank();
      assertThat(credentials.expiration()).isEqualTo(START.plus(Duration.ofHours(1)));
      assertThat(assumed.assumedRoleUser().arn())
          .isEqualTo("arn:aws:sts::111122223333:assumed-role/PostureScanner/scan-1");
      assertThat(assumed.assumedRoleUser().assumedRoleId()).matches("AROA[A-Z2-7]{17}:scan-1");
      try (StsClient asRole = session.sts(Region.US_EAST_1, credentials.accessKeyId())) {
        GetCallerIdentityResponse identity = asRole.getCallerIdentity();
        assertThat(identity.account()).isEqualTo(TARGET_ACCOUNT.value());
        assertThat(identity.arn()).isEqualTo(assumed.assumedRoleUser().arn());
        assertThat(identity.userId()).isEqualTo(assumed.assumedRoleUser().assumedRoleId());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void assumeRole_temporaryCredentials_expireOnTheEmulatorClock(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        StsClient sts = session.sts(Region.US_EAST_1, "AKIDALICE")) {
      // given
      String accessKey = assume(sts, "posture-2026", 900).credentials().accessKeyId();

      // when
      clock.set(START.plus(Duration.ofMinutes(15)));

      // then
      try (StsClient asRole = session.sts(Region.US_EAST_1, accessKey)) {
        StsException error = thrown(StsException.class, asRole::getCallerIdentity);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken");
        assertThat(error.statusCode()).isEqualTo(400);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void assumeRole_refusals_areAccessDeniedAsAwsAnswers(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        StsClient alice = session.sts(Region.US_EAST_1, "AKIDALICE");
        StsClient mallory = session.sts(Region.US_EAST_1, "AKIDMALLORY");
        StsClient eve = session.sts(Region.US_EAST_1, "AKIDOTHER")) {
      String denied = "User: %s is not authorized to perform: sts:AssumeRole on resource: " + ROLE;
      // wrong external id
      StsException wrongId = thrown(StsException.class, () -> assume(alice, "guess", 3600));
      assertThat(wrongId.statusCode()).isEqualTo(403);
      assertThat(wrongId.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
      assertThat(wrongId.awsErrorDetails().errorMessage())
          .isEqualTo(String.format(denied, "arn:aws:iam::123456789012:user/alice"));
      // denied although its account is trusted
      StsException deniedCaller =
          thrown(StsException.class, () -> assume(mallory, "posture-2026", 3600));
      assertThat(deniedCaller.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
      // an untrusted account
      StsException untrusted = thrown(StsException.class, () -> assume(eve, "posture-2026", 3600));
      assertThat(untrusted.awsErrorDetails().errorMessage())
          .isEqualTo(String.format(denied, "arn:aws:iam::444455556666:user/eve"));
      // a role that does not exist
      StsException unknown =
          thrown(
              StsException.class,
              () ->
                  alice.assumeRole(
                      b ->
                          b.roleArn("arn:aws:iam::111122223333:role/Nope")
                              .roleSessionName("scan-1")));
      assertThat(unknown.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void assumeRole_badDurations_areValidationErrors(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        StsClient alice = session.sts(Region.US_EAST_1, "AKIDALICE")) {
      StsException tooShort = thrown(StsException.class, () -> assume(alice, "posture-2026", 899));
      assertThat(tooShort.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
      assertThat(tooShort.awsErrorDetails().errorMessage())
          .startsWith("1 validation error detected: Value '899' at 'durationSeconds'");
      StsException overMax =
          thrown(StsException.class, () -> assume(alice, "posture-2026", 3 * 3600));
      assertThat(overMax.awsErrorDetails().errorMessage())
          .isEqualTo(
              "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
      assertThat(assume(alice, "posture-2026", 2 * 3600).credentials().expiration())
          .isEqualTo(START.plus(Duration.ofHours(2)));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void organizationAccounts_getOrganizationAccountAccessRole(Transport transport) {
    // given
    LocalKms kms =
        LocalKms.builder()
            .organization(
                Organization.builder("o-a1b2c3d4e5", SCANNER_ACCOUNT)
                    .account(OrganizationAccount.builder(TARGET_ACCOUNT).build())
                    .account(
                        OrganizationAccount.builder(AccountId.of("444455556666"))
                            .joinedMethod("INVITED")
                            .build())
                    .build())
            .build();
    try (Transport.Session session = transport.open(kms);
        StsClient management = session.sts(Region.US_EAST_1)) {
      // when
      AssumeRoleResponse created =
          management.assumeRole(
              b ->
                  b.roleArn("arn:aws:iam::111122223333:role/OrganizationAccountAccessRole")
                      .roleSessionName("org-scan"));

      // then
      assertThat(created.assumedRoleUser().arn())
          .isEqualTo(
              "arn:aws:sts::111122223333:assumed-role/OrganizationAccountAccessRole/org-scan");
      StsException invited =
          thrown(
              StsException.class,
              () ->
                  management.assumeRole(
                      b ->
                          b.roleArn("arn:aws:iam::444455556666:role/OrganizationAccountAccessRole")
                              .roleSessionName("org-scan")));
      assertThat(invited.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }
  }
}

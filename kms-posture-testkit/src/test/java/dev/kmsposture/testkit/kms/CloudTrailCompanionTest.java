package dev.kmsposture.testkit.kms;

import static dev.kmsposture.testkit.kms.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.AccountId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.CreateEventDataStoreResponse;
import software.amazon.awssdk.services.cloudtrail.model.CreateTrailResponse;
import software.amazon.awssdk.services.cloudtrail.model.EventDataStoreArnInvalidException;
import software.amazon.awssdk.services.cloudtrail.model.EventDataStoreNotFoundException;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventDataStoreResponse;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.GetTrailStatusResponse;
import software.amazon.awssdk.services.cloudtrail.model.InvalidEventSelectorsException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidHomeRegionException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidTrailNameException;
import software.amazon.awssdk.services.cloudtrail.model.MaximumNumberOfTrailsExceededException;
import software.amazon.awssdk.services.cloudtrail.model.NotOrganizationMasterAccountException;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.cloudtrail.model.TrailAlreadyExistsException;
import software.amazon.awssdk.services.cloudtrail.model.TrailNotFoundException;

/** Trails, selectors and event data stores through the real SDK {@code CloudTrailClient}. */
class CloudTrailCompanionTest {
  private static final AccountId MANAGEMENT = AccountId.of("123456789012");
  private static final AccountId MEMBER = AccountId.of("111122223333");
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);

  private LocalKms kms() {
    return LocalKms.builder()
        .clock(clock)
        .caller("AKIDMEMBER", Caller.root(MEMBER))
        .caller("AKIDOUTSIDER", Caller.root(AccountId.of("444455556666")))
        .organization(
            Organization.builder("o-a1b2c3d4e5", MANAGEMENT)
                .account(OrganizationAccount.builder(MEMBER).build())
                .build())
        .build();
  }

  private static CreateTrailResponse createTrail(CloudTrailClient cloudTrail, String name) {
    return cloudTrail.createTrail(b -> b.name(name).s3BucketName("audit-logs"));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void createTrail_startsStoppedWithSelectorsForEveryManagementEvent(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      // when
      CreateTrailResponse created = createTrail(cloudTrail, "audit");

      // then
      assertThat(created.trailARN())
          .isEqualTo("arn:aws:cloudtrail:us-east-1:123456789012:trail/audit");
      assertThat(created.isMultiRegionTrail()).isFalse();
      assertThat(created.includeGlobalServiceEvents()).isTrue();
      assertThat(cloudTrail.getTrailStatus(b -> b.name("audit")).isLogging()).isFalse();
      GetEventSelectorsResponse selectors = cloudTrail.getEventSelectors(b -> b.trailName("audit"));
      assertThat(selectors.hasAdvancedEventSelectors()).isFalse();
      assertThat(selectors.eventSelectors())
          .containsExactly(
              EventSelector.builder()
                  .readWriteType(ReadWriteType.ALL)
                  .includeManagementEvents(true)
                  .dataResources(List.of())
                  .excludeManagementEventSources(List.of())
                  .build());
      Trail trail = cloudTrail.describeTrails().trailList().get(0);
      assertThat(trail.homeRegion()).isEqualTo("us-east-1");
      assertThat(trail.hasCustomEventSelectors()).isFalse();
      assertThat(trail.s3BucketName()).isEqualTo("audit-logs");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void startAndStopLogging_showInTrailStatus(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      createTrail(cloudTrail, "audit");

      cloudTrail.startLogging(b -> b.name("audit"));
      GetTrailStatusResponse started = cloudTrail.getTrailStatus(b -> b.name("audit"));
      clock.advance(java.time.Duration.ofMinutes(5));
      cloudTrail.stopLogging(b -> b.name("audit"));
      GetTrailStatusResponse stopped = cloudTrail.getTrailStatus(b -> b.name("audit"));

      assertThat(started.isLogging()).isTrue();
      assertThat(started.startLoggingTime()).isEqualTo(NOW);
      assertThat(stopped.isLogging()).isFalse();
      assertThat(stopped.stopLoggingTime()).isEqualTo(NOW.plusSeconds(300));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void multiRegionTrail_isAShadowTrailInOtherRegions(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        CloudTrailClient home = session.cloudTrail(Region.US_EAST_1);
        CloudTrailClient other = session.cloudTrail(Region.AP_SOUTHEAST_1)) {
      // given
      String arn =
          home.createTrail(
                  b -> b.name("everywhere").s3BucketName("audit-logs").isMultiRegionTrail(true))
              .trailARN();
      home.startLogging(b -> b.name("everywhere"));

      // then
      assertThat(other.describeTrails().trailList())
          .singleElement()
          .satisfies(
              trail -> {
                assertThat(trail.trailARN()).isEqualTo(arn);
                assertThat(trail.homeRegion()).isEqualTo("us-east-1");
                assertThat(trail.isMultiRegionTrail()).isTrue();
              });
      assertThat(other.describeTrails(b -> b.includeShadowTrails(false)).trailList()).isEmpty();
      assertThat(other.getTrailStatus(b -> b.name(arn)).isLogging()).isTrue();
      thrown(TrailNotFoundException.class, () -> other.getTrailStatus(b -> b.name("everywhere")));
      InvalidHomeRegionException wrongRegion =
          thrown(InvalidHomeRegionException.class, () -> other.stopLogging(b -> b.name(arn)));
      assertThat(wrongRegion.awsErrorDetails().errorMessage()).contains("us-east-1");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void putEventSelectors_basicThenAdvanced_neverAnswersBoth(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      createTrail(cloudTrail, "audit");

      // basic selectors that drop KMS
      cloudTrail.putEventSelectors(
          b ->
              b.trailName("audit")
                  .eventSelectors(
                      EventSelector.builder()
                          .readWriteType(ReadWriteType.ALL)
                          .includeManagementEvents(true)
                          .excludeManagementEventSources("kms.amazonaws.com")
                          .build()));
      GetEventSelectorsResponse basic = cloudTrail.getEventSelectors(b -> b.trailName("audit"));
      assertThat(basic.eventSelectors().get(0).excludeManagementEventSources())
          .containsExactly("kms.amazonaws.com");
      assertThat(basic.hasAdvancedEventSelectors()).isFalse();
      assertThat(cloudTrail.describeTrails().trailList().get(0).hasCustomEventSelectors()).isTrue();

      // advanced selectors replace them
      AdvancedEventSelector management =
          AdvancedEventSelector.builder()
              .name("management without KMS")
              .fieldSelectors(
                  AdvancedFieldSelector.builder()
                      .field("eventCategory")
                      .equalsValue("Management")
                      .build(),
                  AdvancedFieldSelector.builder()
                      .field("eventSource")
                      .notEquals("kms.amazonaws.com")
                      .build())
              .build();
      cloudTrail.putEventSelectors(b -> b.trailName("audit").advancedEventSelectors(management));
      GetEventSelectorsResponse advanced = cloudTrail.getEventSelectors(b -> b.trailName("audit"));
      assertThat(advanced.advancedEventSelectors()).containsExactly(management);
      assertThat(advanced.hasEventSelectors()).isFalse();

      // never both in one request
      InvalidParameterCombinationException both =
          thrown(
              InvalidParameterCombinationException.class,
              () ->
                  cloudTrail.putEventSelectors(
                      b ->
                          b.trailName("audit")
                              .advancedEventSelectors(management)
                              .eventSelectors(EventSelector.builder().build())));
      assertThat(both.statusCode()).isEqualTo(400);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void putEventSelectors_invalidSelectors_areRejected(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      createTrail(cloudTrail, "audit");

      InvalidEventSelectorsException excluded =
          thrown(
              InvalidEventSelectorsException.class,
              () ->
                  cloudTrail.putEventSelectors(
                      b ->
                          b.trailName("audit")
                              .eventSelectors(
                                  EventSelector.builder()
                                      .excludeManagementEventSources("s3.amazonaws.com")
                                      .build())));
      assertThat(excluded.awsErrorDetails().errorMessage()).contains("s3.amazonaws.com");
      InvalidEventSelectorsException noCategory =
          thrown(
              InvalidEventSelectorsException.class,
              () ->
                  cloudTrail.putEventSelectors(
                      b ->
                          b.trailName("audit")
                              .advancedEventSelectors(
                                  AdvancedEventSelector.builder()
                                      .fieldSelectors(
                                          AdvancedFieldSelector.builder()
                                              .field("readOnly")
                                              .equalsValue("true")
                                              .build())
                                      .build())));
      assertThat(noCategory.awsErrorDetails().errorMessage()).contains("eventCategory");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void createTrail_refusesWhatCloudTrailRefuses(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      thrown(InvalidTrailNameException.class, () -> createTrail(cloudTrail, "a"));
      thrown(InvalidTrailNameException.class, () -> createTrail(cloudTrail, "my-_trail"));
      thrown(
          InvalidParameterCombinationException.class,
          () ->
              cloudTrail.createTrail(
                  b ->
                      b.name("global")
                          .s3BucketName("audit-logs")
                          .isMultiRegionTrail(true)
                          .includeGlobalServiceEvents(false)));
      for (int i = 1; i <= 5; i++) {
        createTrail(cloudTrail, "trail-" + i);
      }
      thrown(TrailAlreadyExistsException.class, () -> createTrail(cloudTrail, "trail-1"));
      MaximumNumberOfTrailsExceededException sixth =
          thrown(
              MaximumNumberOfTrailsExceededException.class,
              () -> createTrail(cloudTrail, "trail-6"));
      assertThat(sixth.awsErrorDetails().errorMessage()).contains("5 trails in us-east-1");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void organizationTrail_appearsInMemberAccountsAndOnlyTheManagementAccountMakesIt(
      Transport transport) {
    try (Transport.Session session = transport.open(kms());
        CloudTrailClient management = session.cloudTrail(Region.US_EAST_1);
        CloudTrailClient member = session.cloudTrail(Region.EU_WEST_1, "AKIDMEMBER");
        CloudTrailClient outsider = session.cloudTrail(Region.EU_WEST_1, "AKIDOUTSIDER")) {
      // given
      String arn =
          management
              .createTrail(
                  b ->
                      b.name("org-trail")
                          .s3BucketName("org-audit")
                          .isMultiRegionTrail(true)
                          .isOrganizationTrail(true))
              .trailARN();

      // then
      assertThat(member.describeTrails().trailList())
          .singleElement()
          .satisfies(
              trail -> {
                assertThat(trail.trailARN()).isEqualTo(arn);
                assertThat(trail.isOrganizationTrail()).isTrue();
              });
      assertThat(outsider.describeTrails().trailList()).isEmpty();
      thrown(TrailNotFoundException.class, () -> member.stopLogging(b -> b.name(arn)));
      thrown(
          NotOrganizationMasterAccountException.class,
          () ->
              member.createTrail(
                  b -> b.name("mine").s3BucketName("member-audit").isOrganizationTrail(true)));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void eventDataStores_areCreatedListedAndFound(Transport transport) {
    try (Transport.Session session = transport.open(kms());
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      // given
      AdvancedEventSelector noKms =
          AdvancedEventSelector.builder()
              .name("no KMS")
              .fieldSelectors(
                  AdvancedFieldSelector.builder()
                      .field("eventCategory")
                      .equalsValue("Management")
                      .build(),
                  AdvancedFieldSelector.builder()
                      .field("eventSource")
                      .notEquals("kms.amazonaws.com")
                      .build())
              .build();
      CreateEventDataStoreResponse created =
          cloudTrail.createEventDataStore(b -> b.name("lake").advancedEventSelectors(noKms));
      CreateEventDataStoreResponse defaults =
          cloudTrail.createEventDataStore(b -> b.name("lake-defaults"));

      // then
      assertThat(created.eventDataStoreArn())
          .matches("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/[0-9a-f-]{36}");
      assertThat(created.statusAsString()).isEqualTo("ENABLED");
      assertThat(created.multiRegionEnabled()).isTrue();
      assertThat(created.retentionPeriod()).isEqualTo(2557);
      assertThat(defaults.advancedEventSelectors().get(0).fieldSelectors().get(0).equalsValue())
          .containsExactly("Management");
      assertThat(cloudTrail.listEventDataStores(b -> {}).eventDataStores())
          .extracting(store -> store.name())
          .containsExactly("lake", "lake-defaults");
      GetEventDataStoreResponse byArn =
          cloudTrail.getEventDataStore(b -> b.eventDataStore(created.eventDataStoreArn()));
      assertThat(byArn.advancedEventSelectors()).containsExactly(noKms);
      String id =
          created.eventDataStoreArn().substring(created.eventDataStoreArn().lastIndexOf('/') + 1);
      assertThat(cloudTrail.getEventDataStore(b -> b.eventDataStore(id)).name()).isEqualTo("lake");
      thrown(
          EventDataStoreNotFoundException.class,
          () ->
              cloudTrail.getEventDataStore(
                  b -> b.eventDataStore("00000000-0000-0000-0000-000000000000")));
      thrown(
          EventDataStoreArnInvalidException.class,
          () -> cloudTrail.getEventDataStore(b -> b.eventDataStore("arn:aws:s3:::bucket")));
    }
  }
}

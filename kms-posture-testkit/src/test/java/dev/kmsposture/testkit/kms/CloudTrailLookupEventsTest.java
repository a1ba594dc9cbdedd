package dev.kmsposture.testkit.kms;

import static dev.kmsposture.testkit.kms.Thrown.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.policy.AccountId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidMaxResultsException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidTimeRangeException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/** CloudTrail event history ({@code LookupEvents}) fed from the KMS request journal. */
class CloudTrailLookupEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AccountId OWNER = AccountId.of("123456789012");
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final String KEY =
      "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private final MutableClock clock = new MutableClock(NOW);
  private final LocalKms kms =
      LocalKms.builder()
          .clock(clock)
          .caller("AKIDOTHER", Caller.of("arn:aws:sts::111122223333:assumed-role/App/worker-7"))
          .build();

  private static JournalEntry entry(
      Instant time, String operation, Caller caller, String region, @Nullable String errorCode) {
    return new JournalEntry(
        time,
        "event-" + time.toEpochMilli() + "-" + operation,
        "request-" + time.toEpochMilli(),
        "AwsApiCall",
        "kms",
        operation,
        region,
        caller,
        List.of(KEY),
        errorCode,
        KmsCallRecordsTestAccess.readOnly(operation),
        "aws-sdk-java/2.57.8",
        "192.0.2.10",
        "{\"keyId\":\"" + KEY + "\",\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}",
        errorCode == null ? null : "the key is disabled");
  }

  /** 120 Decrypt calls a minute apart, the newest one minute ago. */
  private void record120Decrypts() {
    for (int i = 120; i >= 1; i--) {
      kms.journal()
          .record(
              entry(
                  NOW.minus(Duration.ofMinutes(i)),
                  "Decrypt",
                  Caller.root(OWNER),
                  "us-east-1",
                  null));
    }
  }

  private static List<Event> all(CloudTrailClient cloudTrail) {
    List<Event> events = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      LookupEventsResponse page = cloudTrail.lookupEvents(b -> b.nextToken(next));
      assertThat(page.events()).hasSizeLessThanOrEqualTo(50);
      events.addAll(page.events());
      token = page.nextToken();
    } while (token != null);
    return events;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void lookupEvents_pagesNewestFirstAtMost50(Transport transport) {
    record120Decrypts();
    try (Transport.Session session = transport.open(kms);
        CloudTrailClient cloudTrail = session.cloudTrail(Region.US_EAST_1)) {
      // when
      LookupEventsResponse first = cloudTrail.lookupEvents(b -> {});
      List<Event> events = all(cloudTrail);

      // then
      assertThat(first.events()).hasSize(50);
      assertThat(first.nextToken()).isNotNull();
      assertThat(events).hasSize(120);
      assertThat(events.get(0).eventTime()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
      assertThat(events.get(119).eventTime()).isEqualTo(NOW.minus(Duration.ofHours(2)));
      for (int i = 1; i < events.size(); i++) {
        assertThat(events.get(i).eventTime()).isBefore(events.get(i - 1).eventTime());
      }
    }
  }

  @Test
  void lookupEvents_newEventsDuringPaging_doNotShiftPages() {
    record120Decrypts();
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      LookupEventsResponse first = cloudTrail.lookupEvents(b -> b.maxResults(10));
      kms.journal().record(entry(NOW, "Encrypt", Caller.root(OWNER), "us-east-1", null));

      LookupEventsResponse second =
          cloudTrail.lookupEvents(b -> b.maxResults(10).nextToken(first.nextToken()));

      assertThat(second.events().get(0).eventTime())
          .isEqualTo(first.events().get(9).eventTime().minus(Duration.ofMinutes(1)));
    }
  }

  @Test
  void lookupEvents_onlyTheLast90DaysOfTheCallersAccountAndRegion() {
    // given
    kms.journal()
        .record(
            entry(
                NOW.minus(Duration.ofDays(91)), "Decrypt", Caller.root(OWNER), "us-east-1", null));
    kms.journal()
        .record(
            entry(
                NOW.minus(Duration.ofDays(89)), "Decrypt", Caller.root(OWNER), "us-east-1", null));
    kms.journal()
        .record(entry(NOW.minusSeconds(5), "Decrypt", Caller.root(OWNER), "eu-west-1", null));
    kms.journal()
        .record(
            entry(
                NOW.minusSeconds(4),
                "Decrypt",
                Caller.root(AccountId.of("444455556666")),
                "us-east-1",
                null));

    // when
    List<Event> events;
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      events = all(cloudTrail);
    }

    // then the 89-day-old call, and the other account's call on this account's key
    assertThat(events)
        .extracting(Event::eventTime)
        .containsExactly(NOW.minusSeconds(4), NOW.minus(Duration.ofDays(89)));
  }

  @Test
  void lookupEvents_awsLimits_areEnforced() {
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      InvalidLookupAttributesException twoAttributes =
          thrown(
              InvalidLookupAttributesException.class,
              () ->
                  cloudTrail.lookupEvents(
                      b ->
                          b.lookupAttributes(
                              LookupAttribute.builder()
                                  .attributeKey(LookupAttributeKey.EVENT_NAME)
                                  .attributeValue("Decrypt")
                                  .build(),
                              LookupAttribute.builder()
                                  .attributeKey(LookupAttributeKey.READ_ONLY)
                                  .attributeValue("true")
                                  .build())));
      assertThat(twoAttributes.awsErrorDetails().errorMessage())
          .isEqualTo("You can specify only one lookup attribute per request.");
      thrown(
          InvalidMaxResultsException.class, () -> cloudTrail.lookupEvents(b -> b.maxResults(51)));
      thrown(
          InvalidTimeRangeException.class,
          () -> cloudTrail.lookupEvents(b -> b.startTime(NOW).endTime(NOW.minusSeconds(1))));
      thrown(
          InvalidNextTokenException.class,
          () -> cloudTrail.lookupEvents(b -> b.nextToken("bogus")));
    }
  }

  @Test
  void lookupEvents_tokenFromOtherParameters_isInvalid() {
    record120Decrypts();
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      String token = cloudTrail.lookupEvents(b -> b.maxResults(5)).nextToken();

      thrown(
          InvalidNextTokenException.class,
          () ->
              cloudTrail.lookupEvents(
                  b ->
                      b.nextToken(token)
                          .lookupAttributes(
                              LookupAttribute.builder()
                                  .attributeKey(LookupAttributeKey.EVENT_NAME)
                                  .attributeValue("Decrypt")
                                  .build())));
    }
  }

  @Test
  void lookupEvents_filtersByOneAttribute() {
    // given
    kms.journal()
        .record(entry(NOW.minusSeconds(3), "Decrypt", Caller.root(OWNER), "us-east-1", null));
    kms.journal()
        .record(entry(NOW.minusSeconds(2), "DisableKey", Caller.root(OWNER), "us-east-1", null));
    kms.journal()
        .record(entry(NOW.minusSeconds(1), "Encrypt", Caller.root(OWNER), "us-east-1", null));

    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      // then
      assertThat(lookup(cloudTrail, LookupAttributeKey.EVENT_NAME, "DisableKey"))
          .extracting(Event::eventName)
          .containsExactly("DisableKey");
      assertThat(lookup(cloudTrail, LookupAttributeKey.READ_ONLY, "false"))
          .extracting(Event::eventName)
          .containsExactly("DisableKey");
      assertThat(lookup(cloudTrail, LookupAttributeKey.RESOURCE_NAME, KEY)).hasSize(3);
      assertThat(lookup(cloudTrail, LookupAttributeKey.RESOURCE_TYPE, "AWS::KMS::Key")).hasSize(3);
      assertThat(lookup(cloudTrail, LookupAttributeKey.EVENT_SOURCE, "kms.amazonaws.com"))
          .hasSize(3);
      assertThat(lookup(cloudTrail, LookupAttributeKey.USERNAME, "root")).hasSize(3);
      assertThat(lookup(cloudTrail, LookupAttributeKey.EVENT_SOURCE, "s3.amazonaws.com")).isEmpty();
    }
  }

  private static List<Event> lookup(
      CloudTrailClient cloudTrail, LookupAttributeKey key, String value) {
    return cloudTrail
        .lookupEvents(
            b ->
                b.lookupAttributes(
                    LookupAttribute.builder().attributeKey(key).attributeValue(value).build()))
        .events();
  }

  @Test
  void cloudTrailEvent_failedCrossAccountCall_isShapedLikeKmsRecords() throws Exception {
    // given: a session of account 111122223333 decrypts with a key of 123456789012, and fails
    Caller session = Caller.of("arn:aws:sts::111122223333:assumed-role/App/worker-7");
    kms.journal()
        .record(entry(NOW.minusSeconds(30), "Decrypt", session, "us-east-1", "DisabledException"));

    // when: the key owner looks it up
    Event event;
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      event = cloudTrail.lookupEvents(b -> {}).events().get(0);
    }

    // then
    assertThat(event.eventName()).isEqualTo("Decrypt");
    assertThat(event.eventSource()).isEqualTo("kms.amazonaws.com");
    assertThat(event.readOnly()).isEqualTo("true");
    assertThat(event.username()).isEqualTo("worker-7");
    assertThat(event.resources())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.resourceType()).isEqualTo("AWS::KMS::Key");
              assertThat(r.resourceName()).isEqualTo(KEY);
            });
    JsonNode record = JSON.readTree(event.cloudTrailEvent());
    assertThat(record.get("eventVersion").asText()).isEqualTo("1.08");
    JsonNode identity = record.get("userIdentity");
    assertThat(identity.get("type").asText()).isEqualTo("AssumedRole");
    assertThat(identity.get("arn").asText()).isEqualTo(session.principalArn());
    assertThat(identity.get("accountId").asText()).isEqualTo("111122223333");
    assertThat(identity.get("principalId").asText()).matches("AROA[A-Z2-7]{17}:worker-7");
    assertThat(identity.at("/sessionContext/sessionIssuer/arn").asText())
        .isEqualTo("arn:aws:iam::111122223333:role/App");
    assertThat(record.get("eventTime").asText()).isEqualTo("2026-03-01T09:59:30Z");
    assertThat(record.get("eventSource").asText()).isEqualTo("kms.amazonaws.com");
    assertThat(record.get("awsRegion").asText()).isEqualTo("us-east-1");
    assertThat(record.get("sourceIPAddress").asText()).isEqualTo("192.0.2.10");
    assertThat(record.get("userAgent").asText()).isEqualTo("aws-sdk-java/2.57.8");
    assertThat(record.get("errorCode").asText()).isEqualTo("DisabledException");
    assertThat(record.get("errorMessage").asText()).isEqualTo("the key is disabled");
    assertThat(record.get("requestParameters").get("keyId").asText()).isEqualTo(KEY);
    assertThat(record.get("responseElements").isNull()).isTrue();
    assertThat(record.get("requestID").asText()).startsWith("request-");
    assertThat(record.get("eventID").asText()).isEqualTo(event.eventId());
    assertThat(record.get("readOnly").asBoolean()).isTrue();
    assertThat(record.get("resources").get(0).get("ARN").asText()).isEqualTo(KEY);
    assertThat(record.get("resources").get(0).get("accountId").asText()).isEqualTo("123456789012");
    assertThat(record.get("resources").get(0).get("type").asText()).isEqualTo("AWS::KMS::Key");
    assertThat(record.get("eventType").asText()).isEqualTo("AwsApiCall");
    assertThat(record.get("managementEvent").asBoolean()).isTrue();
    assertThat(record.get("recipientAccountId").asText()).isEqualTo("123456789012");
    assertThat(record.get("eventCategory").asText()).isEqualTo("Management");

    // and the caller's account sees the same call with itself as recipient
    try (CloudTrailClient callerTrail = kms.cloudTrailClient(Region.US_EAST_1, "AKIDOTHER")) {
      JsonNode callerCopy =
          JSON.readTree(callerTrail.lookupEvents(b -> {}).events().get(0).cloudTrailEvent());
      assertThat(callerCopy.get("recipientAccountId").asText()).isEqualTo("111122223333");
    }
  }

  @Test
  void cloudTrailEvent_serviceEvent_hasNoCallerAndCarriesServiceEventDetails() throws Exception {
    // given
    kms.journal()
        .record(
            new JournalEntry(
                NOW.minusSeconds(60),
                "rotation-1",
                "",
                "AwsServiceEvent",
                "kms",
                "RotateKey",
                "us-east-1",
                Caller.root(OWNER),
                List.of(KEY),
                null,
                false,
                "",
                "",
                "{\"rotationType\":\"AUTOMATIC\"}"));

    // when
    Event event;
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      event = cloudTrail.lookupEvents(b -> {}).events().get(0);
    }

    // then
    assertThat(event.username()).isNull();
    JsonNode record = JSON.readTree(event.cloudTrailEvent());
    assertThat(record.get("eventType").asText()).isEqualTo("AwsServiceEvent");
    assertThat(record.get("userIdentity").get("invokedBy").asText()).isEqualTo("AWS Internal");
    assertThat(record.get("userIdentity").get("accountId").asText()).isEqualTo("123456789012");
    assertThat(record.get("requestParameters").isNull()).isTrue();
    assertThat(record.has("requestID")).isFalse();
    assertThat(record.get("serviceEventDetails").get("keyId").asText())
        .isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
    assertThat(record.get("serviceEventDetails").get("rotationType").asText())
        .isEqualTo("AUTOMATIC");
    assertThat(record.has("errorCode")).isFalse();
  }

  @Test
  void kmsCallsThroughTheSdk_reachEventHistory() {
    // given: a KMS call the SDK makes (refused here, so the engine is not involved)
    kms.faults().add(Fault.throttling().forOperations("ListKeys").times(1));
    try (KmsClient client =
        software.amazon.awssdk.services.kms.KmsClient.builder()
            .httpClient(kms.httpClient())
            .region(Region.US_EAST_1)
            .endpointOverride(java.net.URI.create("http://127.0.0.1"))
            .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
            .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
            .build()) {
      thrown(KmsException.class, () -> client.listKeys());
    }

    // when
    List<Event> events;
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      events = all(cloudTrail);
    }

    // then
    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.eventName()).isEqualTo("ListKeys");
              assertThat(event.readOnly()).isEqualTo("true");
              assertThat(event.cloudTrailEvent()).contains("\"errorCode\":\"ThrottlingException\"");
            });
  }

  @Test
  void realKmsCalls_appearWithTheEventIdsGetKeyLastUsageReports() throws Exception {
    // given
    String keyId;
    String lastUsedEventId;
    try (KmsClient client = kms.kmsClient(Region.US_EAST_1)) {
      keyId = client.createKey(b -> b.description("orders")).keyMetadata().keyId();
      client.encrypt(
          b ->
              b.keyId(keyId)
                  .plaintext(software.amazon.awssdk.core.SdkBytes.fromUtf8String("secret-value"))
                  .encryptionContext(java.util.Map.of("app", "orders")));
      lastUsedEventId =
          client.getKeyLastUsage(b -> b.keyId(keyId)).keyLastUsage().cloudTrailEventId();
    }

    // when
    List<Event> events;
    try (CloudTrailClient cloudTrail = kms.cloudTrailClient(Region.US_EAST_1)) {
      events = all(cloudTrail);
    }

    // then: newest first, and the Encrypt event is the one GetKeyLastUsage names
    assertThat(events)
        .extracting(Event::eventName)
        .containsExactly("GetKeyLastUsage", "Encrypt", "CreateKey");
    Event encrypt = events.get(1);
    assertThat(encrypt.eventId()).isEqualTo(lastUsedEventId);
    JsonNode record = JSON.readTree(encrypt.cloudTrailEvent());
    assertThat(record.at("/requestParameters/encryptionContext/app").asText()).isEqualTo("orders");
    assertThat(record.get("responseElements").isNull()).isTrue();
    assertThat(record.get("resources").get(0).get("ARN").asText()).endsWith(":key/" + keyId);
    assertThat(encrypt.cloudTrailEvent()).doesNotContain("secret-value");
    assertThat(
            JSON.readTree(events.get(2).cloudTrailEvent())
                .at("/requestParameters/description")
                .asText())
        .isEqualTo("orders");
  }
}

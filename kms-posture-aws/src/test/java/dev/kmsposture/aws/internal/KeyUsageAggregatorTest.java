package dev.kmsposture.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.snapshot.KeyCaller;
import dev.kmsposture.snapshot.KeyEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records shaped as the KMS Developer Guide's CloudTrail examples (ct-decrypt, ct-*). */
class KeyUsageAggregatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String OTHER =
      "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";

  private static JsonNode record(String fields) {
    try {
      return JSON.readTree(
          "{\"eventVersion\":\"1.08\",\"eventSource\":\"kms.amazonaws.com\",\"awsRegion\":"
              + "\"us-east-1\",\"resources\":[{\"accountId\":\"111122223333\",\"type\":"
              + "\"AWS::KMS::Key\",\"ARN\":\""
              + KEY
              + "\"}],"
              + fields
              + "}");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static final String ROLE_SESSION =
      "\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:app\","
          + "\"arn\":\"arn:aws:sts::111122223333:assumed-role/app/i-0abc\",\"accountId\":"
          + "\"111122223333\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":"
          + "\"arn:aws:iam::111122223333:role/service/app\",\"accountId\":\"111122223333\","
          + "\"userName\":\"app\"}}}";

  @Test
  void add_sessionsOfOneRole_areOneCallerNamedByTheIssuingRole() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);

    usage.add(
        record(
            ROLE_SESSION
                + ",\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"Decrypt\","
                + "\"sourceIPAddress\":\"203.0.113.5\",\"userAgent\":\"aws-sdk-java/2.57.8\""));
    usage.add(
        record(
            ROLE_SESSION.replace("i-0abc", "i-0def")
                + ",\"eventTime\":\"2026-11-03T10:00:00Z\",\"eventName\":\"GenerateDataKey\","
                + "\"sourceIPAddress\":\"203.0.113.6\",\"userAgent\":\"aws-sdk-java/2.57.8\""));

    assertThat(usage.callers(KEY))
        .containsExactly(
            KeyCaller.builder()
                .principalArn("arn:aws:iam::111122223333:role/service/app")
                .operations(List.of("Decrypt", "GenerateDataKey"))
                .eventCount(2)
                .firstSeen(Instant.parse("2026-11-01T10:00:00Z"))
                .lastSeen(Instant.parse("2026-11-03T10:00:00Z"))
                .build());
  }

  @Test
  void add_invokedByAService_namesTheServiceActingForThePrincipal() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);

    usage.add(
        record(
            ROLE_SESSION.replace("}}}", "}},\"invokedBy\":\"secretsmanager.amazonaws.com\"}")
                + ",\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"Decrypt\","
                + "\"sourceIPAddress\":\"secretsmanager.amazonaws.com\",\"userAgent\":"
                + "\"secretsmanager.amazonaws.com\""));

    KeyCaller caller = usage.callers(KEY).get(0);
    assertThat(caller.service()).isEqualTo("secretsmanager.amazonaws.com");
    assertThat(caller.serviceEvidence()).isEqualTo("invokedBy");
  }

  @Test
  void add_encryptionContextOfAService_identifiesAnInternalCall() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);

    usage.add(
        record(
            ROLE_SESSION.replace("}}}", "}},\"invokedBy\":\"internal.amazonaws.com\"}")
                + ",\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"GenerateDataKey\","
                + "\"sourceIPAddress\":\"internal.amazonaws.com\",\"userAgent\":"
                + "\"internal.amazonaws.com\",\"requestParameters\":{\"keyId\":\""
                + KEY
                + "\",\"encryptionContext\":{\"aws:ebs:id\":\"vol-0123456789abcdef0\"},"
                + "\"numberOfBytes\":64}"));

    KeyCaller caller = usage.callers(KEY).get(0);
    assertThat(caller.service()).isEqualTo("ec2.amazonaws.com");
    assertThat(caller.serviceEvidence()).isEqualTo("encryptionContext:aws:ebs:id");
    assertThat(caller.isUnidentifiedService()).isFalse();
  }

  @Test
  void add_bareInternalCall_isAnUnidentifiedAwsService() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);

    usage.add(
        record(
            ROLE_SESSION.replace("}}}", "}},\"invokedBy\":\"internal.amazonaws.com\"}")
                + ",\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"Decrypt\","
                + "\"sourceIPAddress\":\"internal.amazonaws.com\",\"userAgent\":"
                + "\"internal.amazonaws.com\""));

    KeyCaller caller = usage.callers(KEY).get(0);
    assertThat(caller.isUnidentifiedService()).isTrue();
    assertThat(caller.principalArn()).isEqualTo("arn:aws:iam::111122223333:role/service/app");
  }

  @Test
  void add_sourceAddressOfAService_identifiesIt() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);

    usage.add(
        record(
            ROLE_SESSION
                + ",\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"Decrypt\","
                + "\"sourceIPAddress\":\"dynamodb.amazonaws.com\",\"userAgent\":"
                + "\"dynamodb.amazonaws.com\""));

    assertThat(usage.callers(KEY).get(0).service()).isEqualTo("dynamodb.amazonaws.com");
    assertThat(usage.callers(KEY).get(0).serviceEvidence()).isEqualTo("sourceIPAddress");
  }

  @Test
  void add_awsServiceOnItsOwn_hasNoPrincipal() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);

    usage.add(
        record(
            "\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"s3.amazonaws.com\"},"
                + "\"eventTime\":\"2026-11-01T10:00:00Z\",\"eventName\":\"Decrypt\","
                + "\"sourceIPAddress\":\"s3.amazonaws.com\",\"userAgent\":\"s3.amazonaws.com\","
                + "\"requestParameters\":{\"encryptionContext\":{\"aws:s3:arn\":"
                + "\"arn:aws:s3:::bucket/object\"}}"));

    KeyCaller caller = usage.callers(KEY).get(0);
    assertThat(caller.principalArn()).isNull();
    assertThat(caller.service()).isEqualTo("s3.amazonaws.com");
  }

  @Test
  void add_crossAccountCall_isTheCallingAccountsRoot() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);

    usage.add(
        record(
            "\"userIdentity\":{\"type\":\"AWSAccount\",\"principalId\":\"AIDAEXAMPLE\","
                + "\"accountId\":\"444455556666\"},\"eventTime\":\"2026-11-01T10:00:00Z\","
                + "\"eventName\":\"Encrypt\",\"sourceIPAddress\":\"198.51.100.7\""));

    assertThat(usage.callers(KEY).get(0).principalArn())
        .isEqualTo("arn:aws:iam::444455556666:root");
  }

  @Test
  void add_keyEvents_keepsLifecycleAndDependencyFailuresOldestFirst() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);
    String admin =
        "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/admin\"}";

    usage.add(
        record(
            admin
                + ",\"eventTime\":\"2026-10-02T00:00:00Z\",\"eventName\":\"ScheduleKeyDeletion\","
                + "\"requestParameters\":{\"keyId\":\""
                + KEY
                + "\",\"pendingWindowInDays\":7}"));
    usage.add(
        record(admin + ",\"eventTime\":\"2026-10-01T00:00:00Z\",\"eventName\":\"DisableKey\""));
    usage.add(
        record(
            ROLE_SESSION
                + ",\"eventTime\":\"2026-10-01T12:00:00Z\",\"eventName\":\"Decrypt\",\"errorCode\":"
                + "\"DisabledException\",\"errorMessage\":\"is disabled.\""));
    usage.add(
        record(
            ROLE_SESSION
                + ",\"eventTime\":\"2026-10-01T13:00:00Z\",\"eventName\":\"Decrypt\",\"errorCode\":"
                + "\"AccessDeniedException\""));
    usage.add(
        record(admin + ",\"eventTime\":\"2026-10-01T14:00:00Z\",\"eventName\":\"DescribeKey\""));

    assertThat(usage.keyEvents(KEY))
        .containsExactly(
            new KeyEvent(
                Instant.parse("2026-10-01T00:00:00Z"),
                "DisableKey",
                null,
                null,
                "arn:aws:iam::111122223333:user/admin"),
            new KeyEvent(
                Instant.parse("2026-10-01T12:00:00Z"),
                "Decrypt",
                "DisabledException",
                null,
                "arn:aws:sts::111122223333:assumed-role/app/i-0abc"),
            new KeyEvent(
                Instant.parse("2026-10-02T00:00:00Z"),
                "ScheduleKeyDeletion",
                null,
                7,
                "arn:aws:iam::111122223333:user/admin"));
    assertThat(usage.callers(KEY)).as("failed calls are not uses").isEmpty();
  }

  @Test
  void add_scheduleWithoutWindow_isKmsDefaultOf30Days() {
    KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);

    usage.add(
        record(
            "\"userIdentity\":{\"type\":\"Root\",\"arn\":\"arn:aws:iam::111122223333:root\"},"
                + "\"eventTime\":\"2026-10-02T00:00:00Z\",\"eventName\":\"ScheduleKeyDeletion\","
                + "\"requestParameters\":{\"keyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\"}"));

    assertThat(usage.keyEvents(KEY).get(0).pendingWindowInDays()).isEqualTo(30);
  }

  @Test
  void add_otherKeysOtherServicesAndOldRecords_areIgnored() {
    KeyUsageAggregator usage =
        new KeyUsageAggregator(KEY::equals, Instant.parse("2026-10-01T00:00:00Z"));

    usage.add(
        record(ROLE_SESSION + ",\"eventTime\":\"2026-09-30T23:59:59Z\",\"eventName\":\"Decrypt\""));
    usage.add(
        record(ROLE_SESSION + ",\"eventTime\":\"2026-10-05T00:00:00Z\",\"eventName\":\"Decrypt\"")
            .deepCopy());
    JsonNode other =
        record(ROLE_SESSION + ",\"eventTime\":\"2026-10-05T00:00:00Z\",\"eventName\":\"Decrypt\"");
    ((com.fasterxml.jackson.databind.node.ObjectNode) other.get("resources").get(0))
        .put("ARN", OTHER);
    usage.add(other);
    JsonNode s3 =
        record(
            ROLE_SESSION + ",\"eventTime\":\"2026-10-05T00:00:00Z\",\"eventName\":\"GetObject\"");
    ((com.fasterxml.jackson.databind.node.ObjectNode) s3).put("eventSource", "s3.amazonaws.com");
    usage.add(s3);

    assertThat(usage.records()).isEqualTo(4);
    assertThat(usage.used()).isEqualTo(1);
    assertThat(usage.callers(KEY).get(0).eventCount()).isEqualTo(1);
    assertThat(usage.callers(OTHER)).isEmpty();
  }

  @Test
  void memory_manyRecords_isBoundedByCallersAndEventCaps() {
    // Property: whatever the number of records, a key keeps one caller per (role, service) and at
    // most MAX_EVENTS lifecycle events and MAX_EVENTS failures.
    qt().withExamples(20)
        .forAll(integers().between(1, 30_000), integers().between(1, 5))
        .checkAssert(
            (records, roles) -> {
              KeyUsageAggregator usage = new KeyUsageAggregator(KEY::equals, null);
              Instant t = Instant.parse("2026-01-01T00:00:00Z");
              for (int i = 0; i < records; i++) {
                String role = ROLE_SESSION.replace("role/service/app", "role/r" + (i % roles));
                String name = i % 3 == 0 ? "DisableKey" : "Decrypt";
                String error = i % 3 == 1 ? ",\"errorCode\":\"DisabledException\"" : "";
                usage.add(
                    record(
                        role
                            + ",\"eventTime\":\""
                            + t.plusSeconds(i)
                            + "\",\"eventName\":\""
                            + name
                            + "\""
                            + error));
              }
              assertThat(usage.callers(KEY).size()).isLessThanOrEqualTo(roles);
              List<KeyEvent> events = usage.keyEvents(KEY);
              assertThat(events.stream().filter(e -> e.errorCode() == null).count())
                  .isLessThanOrEqualTo(KeyUsageAggregator.MAX_EVENTS);
              assertThat(events.stream().filter(e -> e.errorCode() != null).count())
                  .isLessThanOrEqualTo(KeyUsageAggregator.MAX_EVENTS);
              long lifecycle = (records + 2L) / 3;
              assertThat(events.stream().filter(e -> e.errorCode() == null).count())
                  .isEqualTo(Math.min(lifecycle, KeyUsageAggregator.MAX_EVENTS));
              // the newest events are kept
              if (records > 0) {
                assertThat(events.get(events.size() - 1).time())
                    .isAfterOrEqualTo(t.plusSeconds(records - 3L));
              }
            });
  }

  @Test
  void contextService_knownAndConventionalKeys() {
    assertThat(KeyUsageAggregator.contextService("aws:s3:arn")).isEqualTo("s3.amazonaws.com");
    assertThat(KeyUsageAggregator.contextService("aws:logs:arn")).isEqualTo("logs.amazonaws.com");
    assertThat(KeyUsageAggregator.contextService("aws:lambda:FunctionArn"))
        .isEqualTo("lambda.amazonaws.com");
    assertThat(KeyUsageAggregator.contextService("aws:dynamodb:tableName"))
        .isEqualTo("dynamodb.amazonaws.com");
    assertThat(KeyUsageAggregator.contextService("SecretARN"))
        .isEqualTo("secretsmanager.amazonaws.com");
    assertThat(KeyUsageAggregator.contextService("aws:glue:catalog"))
        .isEqualTo("glue.amazonaws.com");
    assertThat(KeyUsageAggregator.contextService("Department")).isNull();
  }
}

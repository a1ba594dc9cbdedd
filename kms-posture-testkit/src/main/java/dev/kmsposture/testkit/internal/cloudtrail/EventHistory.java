package dev.kmsposture.testkit.internal.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.internal.wire.CallerIdentity;
import dev.kmsposture.testkit.kms.JournalEntry;
import dev.kmsposture.testkit.kms.RequestJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * CloudTrail event history ({@code LookupEvents}) over the KMS request journal: the management
 * events of the caller's account and Region from the last 90 days, newest first, at most 50 a page,
 * filtered by at most one lookup attribute — whatever the trails and their selectors say, as in
 * AWS, where event history always includes KMS.
 */
final class EventHistory {
  static final Duration RETENTION = Duration.ofDays(90);
  private static final int MAX_RESULTS = 50;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ATTRIBUTE_KEYS =
      Set.of(
          "EventId",
          "EventName",
          "ReadOnly",
          "Username",
          "ResourceType",
          "ResourceName",
          "EventSource",
          "AccessKeyId");

  private final RequestJournal journal;
  private final Clock clock;

  EventHistory(RequestJournal journal, Clock clock) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One journal entry as seen from one account: its position and the recipient. */
  private record Visible(JournalEntry entry, int index, String recipient) {}

  JsonNode lookupEvents(AwsCall call) {
    JsonNode input = call.input();
    Instant now = clock.instant();
    Instant end = timestamp(input.get("EndTime"), now);
    Instant start = timestamp(input.get("StartTime"), now.minus(RETENTION));
    if (start.isAfter(end)) {
      throw AwsServiceError.client(
          "InvalidTimeRangeException", "Start time must be before or equal to end time.");
    }
    Instant oldest = now.minus(RETENTION);
    if (start.isBefore(oldest)) {
      start = oldest;
    }
    int maxResults = MAX_RESULTS;
    JsonNode max = input.get("MaxResults");
    if (max != null && !max.isNull()) {
      if (!max.canConvertToInt() || max.asInt() < 1 || max.asInt() > MAX_RESULTS) {
        throw AwsServiceError.client(
            "InvalidMaxResultsException",
            String.format("MaxResults [%s] is not between 1 and %d.", max.asText(), MAX_RESULTS));
      }
      maxResults = max.asInt();
    }
    JsonNode category = input.get("EventCategory");
    boolean insights = false;
    if (category != null && !category.isNull()) {
      if (!category.asText().equals("insight")) {
        throw AwsServiceError.client(
            "InvalidEventCategoryException",
            String.format("Event category [%s] is not valid; use insight.", category.asText()));
      }
      insights = true; // no Insights events are emulated
    }
    Predicate<Visible> attribute = attributeFilter(input.get("LookupAttributes"));
    String fingerprint = fingerprint(call);
    Cursor after = cursor(input.get("NextToken"), fingerprint);

    String account = call.caller().account().value();
    List<JournalEntry> entries = journal.entries();
    List<Visible> matching = new ArrayList<>();
    for (int i = 0; i < entries.size() && !insights; i++) {
      JournalEntry entry = entries.get(i);
      if (!entry.service().equals("kms") || !entry.region().equals(call.region())) {
        continue;
      }
      if (entry.eventTime().isBefore(start) || entry.eventTime().isAfter(end)) {
        continue;
      }
      if (!isVisibleTo(entry, account)) {
        continue;
      }
      Visible visible = new Visible(entry, i, account);
      if (attribute.test(visible) && (after == null || after.isBefore(visible))) {
        matching.add(visible);
      }
    }
    matching.sort(NEWEST_FIRST);
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    ArrayNode events = result.putArray("Events");
    for (Visible visible : matching.subList(0, Math.min(maxResults, matching.size()))) {
      events.add(event(visible));
    }
    if (matching.size() > maxResults) {
      Visible last = matching.get(maxResults - 1);
      result.put(
          "NextToken", new Cursor(last.entry().eventTime(), last.index()).encode(fingerprint));
    }
    return result;
  }

  private static final Comparator<Visible> NEWEST_FIRST =
      Comparator.comparing((Visible v) -> v.entry().eventTime())
          .thenComparingInt(Visible::index)
          .reversed();

  /** Where a page ended: the time and journal position of its last event. */
  private record Cursor(Instant eventTime, int index) {
    boolean isBefore(Visible candidate) {
      // candidate comes after this cursor in newest-first order
      int byTime = candidate.entry().eventTime().compareTo(eventTime);
      return byTime < 0 || (byTime == 0 && candidate.index() < index);
    }

    String encode(String fingerprint) {
      String plain =
          String.join(
              "|",
              "v1",
              fingerprint,
              Long.toString(eventTime.getEpochSecond()),
              Integer.toString(eventTime.getNano()),
              Integer.toString(index));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static @Nullable Cursor cursor(@Nullable JsonNode token, String fingerprint) {
    if (token == null || token.isNull()) {
      return null;
    }
    try {
      String plain =
          new String(Base64.getUrlDecoder().decode(token.asText()), StandardCharsets.UTF_8);
      String[] parts = plain.split("\\|", -1);
      if (parts.length == 5 && parts[0].equals("v1") && parts[1].equals(fingerprint)) {
        return new Cursor(
            Instant.ofEpochSecond(Long.parseLong(parts[2]), Integer.parseInt(parts[3])),
            Integer.parseInt(parts[4]));
      }
    } catch (IllegalArgumentException e) {
      // not one of our tokens; answered below
    }
    throw AwsServiceError.client(
        "InvalidNextTokenException",
        "The NextToken is not valid. Pass the token with the same parameters as the original"
            + " request.");
  }

  // A token is valid only with the parameters of the request that produced it (AWS: "This token
  // must be passed in with the same parameters that were specified in the original call").
  private static String fingerprint(AwsCall call) {
    ObjectNode parameters = call.input().deepCopy();
    parameters.remove("NextToken");
    parameters.remove("MaxResults");
    parameters.put("@account", call.caller().account().value());
    parameters.put("@region", call.region());
    return Integer.toHexString(parameters.toString().hashCode());
  }

  private static boolean isVisibleTo(JournalEntry entry, String account) {
    // Cross-account KMS calls are logged in the caller's account and the key owner's account.
    if (entry.caller().account().value().equals(account)) {
      return true;
    }
    return entry.keyArns().stream().anyMatch(arn -> account.equals(arnAccount(arn)));
  }

  private static String arnAccount(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length > 4 ? parts[4] : "";
  }

  private static Predicate<Visible> attributeFilter(@Nullable JsonNode attributes) {
    if (attributes == null || attributes.isNull() || attributes.isEmpty()) {
      return visible -> true;
    }
    if (!attributes.isArray() || attributes.size() > 1) {
      throw AwsServiceError.client(
          "InvalidLookupAttributesException",
          "You can specify only one lookup attribute per request.");
    }
    JsonNode attribute = attributes.get(0);
    String key = attribute.path("AttributeKey").asText();
    String value = attribute.path("AttributeValue").asText();
    if (!ATTRIBUTE_KEYS.contains(key)) {
      throw AwsServiceError.client(
          "InvalidLookupAttributesException",
          String.format(
              "Lookup attribute key [%s] is not valid; use one of %s",
              key, ATTRIBUTE_KEYS.stream().sorted().toList()));
    }
    return switch (key) {
      case "EventId" -> v -> v.entry().eventId().equals(value);
      case "EventName" -> v -> v.entry().operation().equals(value);
      case "ReadOnly" -> v -> Boolean.toString(v.entry().readOnly()).equals(value);
      case "Username" -> v -> username(v.entry()).equals(value);
      case "ResourceType" -> v -> value.equals("AWS::KMS::Key") && !v.entry().keyArns().isEmpty();
      case "ResourceName" ->
          v ->
              v.entry().keyArns().stream()
                  .anyMatch(arn -> arn.equals(value) || arn.endsWith(":key/" + value));
      case "EventSource" -> v -> value.equals("kms.amazonaws.com");
      // access keys are not journaled: no event matches
      default -> v -> false;
    };
  }

  private static String username(JournalEntry entry) {
    return isServiceEvent(entry) ? "" : CallerIdentity.of(entry.caller()).userName();
  }

  private static boolean isServiceEvent(JournalEntry entry) {
    return entry.eventType().equals("AwsServiceEvent");
  }

  private static ObjectNode event(Visible visible) {
    JournalEntry entry = visible.entry();
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("EventId", entry.eventId());
    event.put("EventName", entry.operation());
    event.put("ReadOnly", Boolean.toString(entry.readOnly()));
    event.put("EventTime", epochSeconds(entry.eventTime()));
    event.put("EventSource", "kms.amazonaws.com");
    String username = username(entry);
    if (!username.isEmpty()) {
      event.put("Username", username);
    }
    ArrayNode resources = event.putArray("Resources");
    for (String arn : entry.keyArns()) {
      ObjectNode resource = resources.addObject();
      resource.put("ResourceType", "AWS::KMS::Key");
      resource.put("ResourceName", arn);
    }
    event.put("CloudTrailEvent", cloudTrailEvent(entry, visible.recipient()).toString());
    return event;
  }

  /**
   * The CloudTrail record of {@code entry} as delivered to {@code recipient}, shaped like KMS's
   * records in the CloudTrail documentation (ct-encrypt, ct-rotatekey, ct-delete-key, …).
   */
  static ObjectNode cloudTrailEvent(JournalEntry entry, String recipient) {
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    record.put("eventVersion", "1.08");
    boolean serviceEvent = isServiceEvent(entry);
    if (serviceEvent) {
      ObjectNode identity = record.putObject("userIdentity");
      identity.put("accountId", entry.caller().account().value());
      identity.put("invokedBy", "AWS Internal");
    } else {
      record.set(
          "userIdentity",
          CallerIdentity.of(entry.caller())
              .userIdentityJson(entry.eventTime().truncatedTo(ChronoUnit.SECONDS)));
    }
    record.put("eventTime", entry.eventTime().truncatedTo(ChronoUnit.SECONDS).toString());
    record.put("eventSource", "kms.amazonaws.com");
    record.put("eventName", entry.operation());
    record.put("awsRegion", entry.region());
    record.put("sourceIPAddress", serviceEvent ? "AWS Internal" : entry.sourceIpAddress());
    record.put("userAgent", serviceEvent ? "AWS Internal" : entry.userAgent());
    String errorCode = entry.errorCode();
    if (errorCode != null) {
      record.put("errorCode", errorCode);
      String message = entry.errorMessage();
      record.put("errorMessage", message == null ? errorCode : message);
    }
    JsonNode parameters = parse(entry.requestParametersJson());
    if (serviceEvent || parameters.isEmpty()) {
      record.putNull("requestParameters");
    } else {
      record.set("requestParameters", parameters);
    }
    // Response elements are left out: null for cryptographic operations as in AWS, and not
    // journaled for the others.
    record.putNull("responseElements");
    if (!serviceEvent) {
      record.put("requestID", entry.requestId());
    }
    record.put("eventID", entry.eventId());
    record.put("readOnly", entry.readOnly());
    ArrayNode resources = record.putArray("resources");
    for (String arn : entry.keyArns()) {
      ObjectNode resource = resources.addObject();
      resource.put("accountId", arnAccount(arn));
      resource.put("type", "AWS::KMS::Key");
      resource.put("ARN", arn);
    }
    record.put("eventType", entry.eventType());
    record.put("managementEvent", true);
    record.put("recipientAccountId", recipient);
    if (serviceEvent) {
      ObjectNode details = record.putObject("serviceEventDetails");
      if (!entry.keyArns().isEmpty()) {
        String arn = entry.keyArns().get(0);
        details.put("keyId", arn.substring(arn.lastIndexOf('/') + 1));
      }
      // what the engine journaled for the event (rotationType, keyMaterialId, …)
      if (parameters instanceof ObjectNode extra) {
        details.setAll(extra);
      }
    }
    record.put("eventCategory", "Management");
    return record;
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return node == null ? JsonNodeFactory.instance.objectNode() : node;
    } catch (IOException e) {
      return JsonNodeFactory.instance.objectNode();
    }
  }

  private static Instant timestamp(@Nullable JsonNode value, Instant fallback) {
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (value.isNumber()) {
      double seconds = value.asDouble();
      long whole = (long) Math.floor(seconds);
      return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }
    try {
      return Instant.parse(value.asText());
    } catch (RuntimeException e) {
      throw AwsServiceError.client(
          "InvalidTimeRangeException", String.format("Time [%s] is not valid.", value.asText()));
    }
  }

  static double epochSeconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }
}

package dev.kmsposture.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmsposture.snapshot.KeyCaller;
import dev.kmsposture.snapshot.KeyEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Sums CloudTrail records of KMS calls into, per key, who used it ({@link KeyCaller}) and the key
 * events the deletion rules read ({@link KeyEvent}).
 *
 * <p>Memory grows with distinct (key, principal, service) triples, not with the number of records:
 * an assumed-role session counts as the role that issued it, and each key keeps at most {@value
 * #MAX_EVENTS} lifecycle events and {@value #MAX_EVENTS} failed calls (the newest), so reading a
 * year of logs costs what reading a day does.
 *
 * <p>Not thread-safe; one aggregator per reader.
 */
public final class KeyUsageAggregator {
  /** The most lifecycle events, and separately the most failed calls, kept per key. */
  static final int MAX_EVENTS = 1000;

  /** Operations that use a key (cryptographic operations, and grants that services create). */
  static final Set<String> USES =
      Set.of(
          "Encrypt",
          "Decrypt",
          "ReEncrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext",
          "Sign",
          "Verify",
          "GenerateMac",
          "VerifyMac",
          "DeriveSharedSecret",
          "GetPublicKey",
          "Encapsulate",
          "Decapsulate",
          "CreateGrant");

  /** Key state changes the deletion rules read. */
  static final Set<String> LIFECYCLE =
      Set.of("DisableKey", "EnableKey", "ScheduleKeyDeletion", "CancelKeyDeletion");

  /** Failed calls that show something still depends on a disabled or deleted key. */
  static final Set<String> DEPENDENCY_ERRORS =
      Set.of("DisabledException", "KMSInvalidStateException", "KmsInvalidStateException");

  // CloudTrail's encryption-context keys set by services that encrypt for a principal (their
  // "Encryption context" sections in the service guides). aws:<service>:… is the convention; a
  // few keys do not follow it.
  private static final Map<String, String> CONTEXT_SERVICES =
      Map.ofEntries(
          Map.entry("ebs", "ec2.amazonaws.com"),
          Map.entry("s3", "s3.amazonaws.com"),
          Map.entry("logs", "logs.amazonaws.com"),
          Map.entry("lambda", "lambda.amazonaws.com"),
          Map.entry("rds", "rds.amazonaws.com"),
          Map.entry("dynamodb", "dynamodb.amazonaws.com"),
          Map.entry("sqs", "sqs.amazonaws.com"),
          Map.entry("sns", "sns.amazonaws.com"),
          Map.entry("cloudtrail", "cloudtrail.amazonaws.com"),
          Map.entry("elasticfilesystem", "elasticfilesystem.amazonaws.com"),
          Map.entry("fsx", "fsx.amazonaws.com"),
          Map.entry("secretsmanager", "secretsmanager.amazonaws.com"));

  private static final Pattern AWS_CONTEXT_KEY = Pattern.compile("aws:([a-z0-9-]+):.*");
  private static final Pattern SERVICE_HOST = Pattern.compile("[a-z0-9.-]+\\.amazonaws\\.com");
  private static final Set<String> UNIDENTIFIED = Set.of("internal.amazonaws.com", "AWS Internal");

  private final Predicate<String> keyFilter;
  private final @Nullable Instant since;
  private final Map<String, PerKey> keys = new HashMap<>();
  private long records;
  private long used;

  /**
   * Creates an aggregator.
   *
   * @param keyFilter which key ARNs to keep (the keys of the snapshot)
   * @param since records older than this are ignored, or null for none
   */
  public KeyUsageAggregator(Predicate<String> keyFilter, @Nullable Instant since) {
    this.keyFilter = Objects.requireNonNull(keyFilter, "keyFilter");
    this.since = since;
  }

  private static final class PerKey {
    final Map<String, Caller> callers = new HashMap<>();
    final List<KeyEvent> lifecycle = new ArrayList<>();
    final List<KeyEvent> failures = new ArrayList<>();
  }

  private static final class Caller {
    final @Nullable String principal;
    final @Nullable String service;
    @Nullable String evidence;
    int evidenceRank;
    final Set<String> operations = new TreeSet<>();
    long count;
    Instant first;
    Instant last;

    Caller(@Nullable String principal, @Nullable String service, Instant at) {
      this.principal = principal;
      this.service = service;
      this.first = at;
      this.last = at;
    }
  }

  /** Records read. */
  public long records() {
    return records;
  }

  /** Records that were a use or key event of a kept key. */
  public long used() {
    return used;
  }

  /**
   * Adds one CloudTrail record (the JSON of one element of a log file's {@code Records}, or a
   * {@code LookupEvents} event's {@code CloudTrailEvent}). Records of other services, of keys the
   * filter drops, or older than the window are ignored; malformed ones too.
   */
  public void add(JsonNode record) {
    records++;
    if (!"kms.amazonaws.com".equals(text(record, "eventSource"))) {
      return;
    }
    String eventName = text(record, "eventName");
    Instant time = instant(text(record, "eventTime"));
    if (eventName == null || time == null || (since != null && time.isBefore(since))) {
      return;
    }
    String errorCode = text(record, "errorCode");
    boolean use = errorCode == null && USES.contains(eventName);
    boolean lifecycle = LIFECYCLE.contains(eventName);
    boolean failure = errorCode != null && DEPENDENCY_ERRORS.contains(errorCode);
    if (!use && !lifecycle && !failure) {
      return;
    }
    List<String> arns = keyArns(record);
    if (arns.isEmpty()) {
      return;
    }
    JsonNode identity = record.path("userIdentity");
    String principal = principal(identity);
    for (String arn : arns) {
      if (!keyFilter.test(arn)) {
        continue;
      }
      used++;
      PerKey perKey = keys.computeIfAbsent(arn, k -> new PerKey());
      if (use) {
        addUse(perKey, record, identity, principal, eventName, time);
      }
      if (lifecycle || failure) {
        String sessionArn = text(identity, "arn");
        KeyEvent event =
            new KeyEvent(
                time,
                eventName,
                errorCode,
                eventName.equals("ScheduleKeyDeletion") && errorCode == null
                    ? pendingWindow(record)
                    : null,
                sessionArn != null ? sessionArn : principal);
        List<KeyEvent> list = lifecycle ? perKey.lifecycle : perKey.failures;
        list.add(event);
        if (list.size() > 2 * MAX_EVENTS) {
          trim(list);
        }
      }
    }
  }

  private void addUse(
      PerKey perKey,
      JsonNode record,
      JsonNode identity,
      @Nullable String principal,
      String eventName,
      Instant time) {
    Service service = service(record, identity);
    if (principal == null && service == null) {
      return;
    }
    String key = principal + "|" + (service == null ? "" : service.name);
    Caller caller =
        perKey.callers.computeIfAbsent(
            key, k -> new Caller(principal, service == null ? null : service.name, time));
    caller.operations.add(eventName);
    caller.count++;
    if (time.isBefore(caller.first)) {
      caller.first = time;
    }
    if (time.isAfter(caller.last)) {
      caller.last = time;
    }
    if (service != null && (caller.evidence == null || service.rank < caller.evidenceRank)) {
      caller.evidence = service.evidence;
      caller.evidenceRank = service.rank;
    }
  }

  private static void trim(List<KeyEvent> list) {
    list.sort(Comparator.comparing(KeyEvent::time));
    list.subList(0, list.size() - MAX_EVENTS).clear();
  }

  /** The callers of {@code keyArn}, sorted by principal then service; empty when none. */
  public List<KeyCaller> callers(String keyArn) {
    PerKey perKey = keys.get(keyArn);
    if (perKey == null) {
      return List.of();
    }
    List<KeyCaller> out = new ArrayList<>();
    for (Caller c : perKey.callers.values()) {
      out.add(
          KeyCaller.builder()
              .principalArn(c.principal)
              .service(c.service)
              .serviceEvidence(c.evidence)
              .operations(List.copyOf(c.operations))
              .eventCount(c.count)
              .firstSeen(c.first)
              .lastSeen(c.last)
              .build());
    }
    out.sort(
        Comparator.comparing((KeyCaller c) -> c.principalArn() == null ? "" : c.principalArn())
            .thenComparing(c -> c.service() == null ? "" : c.service()));
    return out;
  }

  /** The key events of {@code keyArn}, oldest first; empty when none. */
  public List<KeyEvent> keyEvents(String keyArn) {
    PerKey perKey = keys.get(keyArn);
    if (perKey == null) {
      return List.of();
    }
    List<KeyEvent> out = new ArrayList<>(newest(perKey.lifecycle));
    out.addAll(newest(perKey.failures));
    out.sort(
        Comparator.comparing(KeyEvent::time)
            .thenComparing(KeyEvent::eventName)
            .thenComparing(e -> e.errorCode() == null ? "" : e.errorCode()));
    return out;
  }

  private static Collection<KeyEvent> newest(List<KeyEvent> events) {
    List<KeyEvent> copy = new ArrayList<>(events);
    if (copy.size() > MAX_EVENTS) {
      trim(copy);
    }
    return copy;
  }

  // ---- reading a record

  /** The key ARNs a record names: its resources of type AWS::KMS::Key. */
  static List<String> keyArns(JsonNode record) {
    List<String> arns = new ArrayList<>();
    for (JsonNode resource : record.path("resources")) {
      String arn = text(resource, "ARN");
      if (arn == null) {
        arn = text(resource, "arn");
      }
      if (arn != null && arn.contains(":key/") && !arns.contains(arn)) {
        arns.add(arn);
      }
    }
    return arns;
  }

  /**
   * Who called: for an assumed-role session the role that issued it, otherwise the identity's ARN;
   * for a cross-account call logged in the key owner's account (type AWSAccount, no ARN) that
   * account's root; null for an AWS service acting on its own.
   */
  static @Nullable String principal(JsonNode identity) {
    String type = text(identity, "type");
    if ("AssumedRole".equals(type)) {
      String issuer = text(identity.path("sessionContext").path("sessionIssuer"), "arn");
      if (issuer != null) {
        return issuer;
      }
    }
    String arn = text(identity, "arn");
    if (arn != null) {
      return arn;
    }
    if ("AWSService".equals(type)) {
      return null;
    }
    String account = text(identity, "accountId");
    if (account != null && account.matches("\\d{12}") && "AWSAccount".equals(type)) {
      return "arn:aws:iam::" + account + ":root";
    }
    return null;
  }

  private record Service(String name, String evidence, int rank) {}

  /**
   * The AWS service that made the call, strongest evidence first: {@code invokedBy} naming a
   * service, an encryption-context key only that service sets, a {@code sourceIPAddress} or {@code
   * userAgent} that is a service's host name; a bare {@code internal.amazonaws.com} (or {@code AWS
   * Internal}) in any of them means "an AWS service, unidentified". Null when a principal called
   * KMS itself.
   */
  private static @Nullable Service service(JsonNode record, JsonNode identity) {
    String unidentified = null;
    String invokedBy = text(identity, "invokedBy");
    if (invokedBy != null) {
      if (UNIDENTIFIED.contains(invokedBy)) {
        unidentified = "invokedBy";
      } else if (SERVICE_HOST.matcher(invokedBy).matches()) {
        return new Service(invokedBy, "invokedBy", 0);
      }
    }
    JsonNode context = record.path("requestParameters").path("encryptionContext");
    for (Iterator<String> names = context.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      String service = contextService(name);
      if (service != null) {
        return new Service(service, "encryptionContext:" + name, 1);
      }
    }
    String source = text(record, "sourceIPAddress");
    if (source != null) {
      if (UNIDENTIFIED.contains(source)) {
        unidentified = unidentified == null ? "sourceIPAddress" : unidentified;
      } else if (SERVICE_HOST.matcher(source).matches()) {
        return new Service(source, "sourceIPAddress", 2);
      }
    }
    String agent = text(record, "userAgent");
    if (agent != null) {
      if (UNIDENTIFIED.contains(agent)) {
        unidentified = unidentified == null ? "userAgent" : unidentified;
      } else if (SERVICE_HOST.matcher(agent).matches()) {
        return new Service(agent, "userAgent", 3);
      }
    }
    return unidentified == null
        ? null
        : new Service(KeyCaller.UNIDENTIFIED_SERVICE, unidentified, 4);
  }

  /** The service whose encryption-context key {@code name} is, if it is one. */
  static @Nullable String contextService(String name) {
    if (name.equals("SecretARN")) {
      return "secretsmanager.amazonaws.com"; // Secrets Manager's context: SecretARN,
      // SecretVersionId
    }
    if (name.startsWith("aws:dynamodb:")) {
      return "dynamodb.amazonaws.com";
    }
    Matcher m = AWS_CONTEXT_KEY.matcher(name);
    if (!m.matches()) {
      return null;
    }
    String prefix = m.group(1);
    String known = CONTEXT_SERVICES.get(prefix);
    return known != null ? known : prefix + ".amazonaws.com";
  }

  /**
   * The waiting period of a ScheduleKeyDeletion: the request's {@code pendingWindowInDays}, or the
   * response's, or KMS's default of 30 days when the caller gave none.
   */
  private static Integer pendingWindow(JsonNode record) {
    for (String part : List.of("requestParameters", "responseElements")) {
      JsonNode days = record.path(part).path("pendingWindowInDays");
      if (days.canConvertToInt()) {
        return days.asInt();
      }
      if (days.isTextual() && days.asText().matches("\\d{1,3}")) {
        return Integer.parseInt(days.asText());
      }
    }
    // ScheduleKeyDeletion API reference: "If you do not specify a value, it defaults to 30."
    return 30;
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
  }

  private static @Nullable Instant instant(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

package dev.kmsposture.testkit.internal.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.internal.wire.AwsServiceHandler;
import dev.kmsposture.testkit.internal.wire.KmsCallRecords;
import dev.kmsposture.testkit.kms.Organization;
import dev.kmsposture.testkit.kms.RequestJournal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The CloudTrail companion (AWS JSON 1.1, target prefix {@value #TARGET_PREFIX}): trails with their
 * logging status and basic or advanced event selectors, shadow trails (multi-Region trails in other
 * Regions, organization trails in member accounts), event data stores, and event history ({@code
 * LookupEvents}) fed from the KMS request journal. Nothing is delivered anywhere: S3 buckets, SNS
 * topics and CloudWatch Logs are recorded as given, not checked.
 */
public final class CloudTrailService implements AwsServiceHandler {
  /** The {@code X-Amz-Target} prefix of CloudTrail requests. */
  public static final String TARGET_PREFIX =
      "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";

  private static final int MAX_TRAILS_PER_REGION = 5;
  private static final int MAX_DATA_STORES_PER_REGION = 10;
  private static final Set<String> READ_WRITE_TYPES = Set.of("ReadOnly", "WriteOnly", "All");
  private static final Set<String> EXCLUDABLE_SOURCES =
      Set.of("kms.amazonaws.com", "rdsdata.amazonaws.com");
  private static final Set<String> DATA_RESOURCE_TYPES =
      Set.of("AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table");
  private static final Set<String> ADVANCED_FIELDS =
      Set.of(
          "eventCategory",
          "eventSource",
          "eventName",
          "eventType",
          "readOnly",
          "resources.type",
          "resources.ARN",
          "errorCode",
          "sessionCredentialFromConsole",
          "userIdentity.arn",
          "vpcEndpointId");
  private static final List<String> OPERATORS =
      List.of("Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith", "NotEndsWith");

  private static final class Trail {
    final String name;
    final String account;
    final String homeRegion;
    final String arn;
    final ObjectNode settings;
    boolean logging;
    @Nullable Instant startedAt;
    @Nullable Instant stoppedAt;
    @Nullable ArrayNode eventSelectors;
    @Nullable ArrayNode advancedEventSelectors;
    boolean customSelectors;

    Trail(String name, String account, String homeRegion, ObjectNode settings) {
      this.name = name;
      this.account = account;
      this.homeRegion = homeRegion;
      this.arn =
          String.format(
              "arn:%s:cloudtrail:%s:%s:trail/%s",
              KmsCallRecords.partitionOf(homeRegion), homeRegion, account, name);
      this.settings = settings;
    }

    boolean multiRegion() {
      return settings.path("IsMultiRegionTrail").asBoolean(false);
    }

    boolean organization() {
      return settings.path("IsOrganizationTrail").asBoolean(false);
    }
  }

  private static final class DataStore {
    final String arn;
    final String account;
    final String region;
    final ObjectNode settings;

    DataStore(String arn, String account, String region, ObjectNode settings) {
      this.arn = arn;
      this.account = account;
      this.region = region;
      this.settings = settings;
    }
  }

  private final Object lock = new Object();
  private final Map<String, Trail> trails = new LinkedHashMap<>();
  private final Map<String, DataStore> dataStores = new LinkedHashMap<>();
  private final Clock clock;
  private final Function<AccountId, Optional<Organization>> organizations;
  private final EventHistory history;

  /**
   * Creates the service.
   *
   * @param clock the emulator's clock
   * @param journal the KMS request journal that event history reads
   * @param organizations the organization of an account, for organization trails
   */
  public CloudTrailService(
      Clock clock,
      RequestJournal journal,
      Function<AccountId, Optional<Organization>> organizations) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.organizations = Objects.requireNonNull(organizations, "organizations");
    this.history = new EventHistory(journal, clock);
  }

  @Override
  public JsonNode handle(AwsCall call) {
    if (call.operation().equals("LookupEvents")) {
      return history.lookupEvents(call);
    }
    synchronized (lock) {
      return switch (call.operation()) {
        case "CreateTrail" -> createTrail(call);
        case "DeleteTrail" -> deleteTrail(call);
        case "DescribeTrails" -> describeTrails(call);
        case "GetTrail" -> getTrail(call);
        case "GetTrailStatus" -> getTrailStatus(call);
        case "StartLogging" -> setLogging(call, true);
        case "StopLogging" -> setLogging(call, false);
        case "GetEventSelectors" -> getEventSelectors(call);
        case "PutEventSelectors" -> putEventSelectors(call);
        case "CreateEventDataStore" -> createEventDataStore(call);
        case "ListEventDataStores" -> listEventDataStores(call);
        case "GetEventDataStore" -> getEventDataStore(call);
        default ->
            throw AwsServiceError.client(
                "UnknownOperationException",
                String.format(
                    "operation [%s] is not supported by the embedded CloudTrail; supported:"
                        + " CreateTrail, DeleteTrail, DescribeTrails, GetTrail, GetTrailStatus,"
                        + " StartLogging, StopLogging, GetEventSelectors, PutEventSelectors,"
                        + " CreateEventDataStore, ListEventDataStores, GetEventDataStore,"
                        + " LookupEvents",
                    call.operation()));
      };
    }
  }

  // ---- trails

  private JsonNode createTrail(AwsCall call) {
    JsonNode input = call.input();
    String name = requiredText(input, "Name", "name");
    validateTrailName(name);
    String bucket = requiredText(input, "S3BucketName", "s3BucketName");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw AwsServiceError.client(
          "InvalidS3BucketNameException", String.format("Bucket name [%s] is not valid.", bucket));
    }
    String account = account(call);
    boolean multiRegion = input.path("IsMultiRegionTrail").asBoolean(false);
    boolean globalEvents = input.path("IncludeGlobalServiceEvents").asBoolean(true);
    if (multiRegion && !globalEvents) {
      throw AwsServiceError.client(
          "InvalidParameterCombinationException",
          "Multi-Region trail must include global service events.");
    }
    boolean organizationTrail = input.path("IsOrganizationTrail").asBoolean(false);
    if (organizationTrail) {
      requireOrganizationManagement(call);
    }
    for (Trail trail : trails.values()) {
      if (trail.account.equals(account)
          && trail.name.equals(name)
          && (trail.homeRegion.equals(call.region()) || trail.multiRegion() || multiRegion)) {
        throw AwsServiceError.client(
            "TrailAlreadyExistsException",
            String.format("Trail %s already exists for customer: %s", name, account));
      }
    }
    long inRegion =
        trails.values().stream()
            .filter(t -> t.account.equals(account))
            .filter(t -> t.homeRegion.equals(call.region()) || t.multiRegion())
            .count();
    if (inRegion >= MAX_TRAILS_PER_REGION) {
      throw AwsServiceError.client(
          "MaximumNumberOfTrailsExceededException",
          String.format(
              "User: %s already has %d trails in %s.",
              account, MAX_TRAILS_PER_REGION, call.region()));
    }
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    settings.put("S3BucketName", bucket);
    copyText(input, settings, "S3KeyPrefix");
    copyText(input, settings, "SnsTopicName");
    settings.put("IncludeGlobalServiceEvents", globalEvents);
    settings.put("IsMultiRegionTrail", multiRegion);
    settings.put(
        "LogFileValidationEnabled", input.path("EnableLogFileValidation").asBoolean(false));
    copyText(input, settings, "CloudWatchLogsLogGroupArn");
    copyText(input, settings, "CloudWatchLogsRoleArn");
    JsonNode kmsKeyId = input.get("KmsKeyId");
    if (kmsKeyId != null && !kmsKeyId.asText().isEmpty()) {
      settings.put("KmsKeyId", keyArn(kmsKeyId.asText(), call.region(), account));
    }
    settings.put("IsOrganizationTrail", organizationTrail);
    Trail trail = new Trail(name, account, call.region(), settings);
    if (settings.has("SnsTopicName")) {
      settings.put(
          "SnsTopicARN",
          String.format(
              "arn:%s:sns:%s:%s:%s",
              KmsCallRecords.partitionOf(call.region()),
              call.region(),
              account,
              settings.get("SnsTopicName").asText()));
    }
    // A new trail logs every management event (read and write), KMS included, once started.
    ArrayNode selectors = JsonNodeFactory.instance.arrayNode();
    ObjectNode all = selectors.addObject();
    all.put("ReadWriteType", "All");
    all.put("IncludeManagementEvents", true);
    all.putArray("DataResources");
    all.putArray("ExcludeManagementEventSources");
    trail.eventSelectors = selectors;
    trails.put(trail.arn, trail);

    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("Name", name);
    result.setAll(settings);
    result.remove("HomeRegion");
    result.put("TrailARN", trail.arn);
    return result;
  }

  private JsonNode deleteTrail(AwsCall call) {
    Trail trail = ownedTrail(call, requiredText(call.input(), "Name", "name"));
    trails.remove(trail.arn);
    return JsonNodeFactory.instance.objectNode();
  }

  private JsonNode describeTrails(AwsCall call) {
    JsonNode names = call.input().get("trailNameList");
    boolean shadows = call.input().path("includeShadowTrails").asBoolean(true);
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    ArrayNode list = result.putArray("trailList");
    for (Trail trail : visibleTrails(call, shadows)) {
      if (names == null || names.isNull() || names.isEmpty() || listed(names, trail)) {
        list.add(trailJson(trail));
      }
    }
    return result;
  }

  private static boolean listed(JsonNode names, Trail trail) {
    for (JsonNode name : names) {
      if (name.asText().equals(trail.name) || name.asText().equals(trail.arn)) {
        return true;
      }
    }
    return false;
  }

  private JsonNode getTrail(AwsCall call) {
    Trail trail = visibleTrail(call, requiredText(call.input(), "Name", "name"));
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.set("Trail", trailJson(trail));
    return result;
  }

  private JsonNode getTrailStatus(AwsCall call) {
    Trail trail = visibleTrail(call, requiredText(call.input(), "Name", "name"));
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("IsLogging", trail.logging);
    Instant started = trail.startedAt;
    if (started != null) {
      result.put("StartLoggingTime", EventHistory.epochSeconds(started));
      result.put("TimeLoggingStarted", started.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    Instant stopped = trail.stoppedAt;
    if (stopped != null) {
      result.put("StopLoggingTime", EventHistory.epochSeconds(stopped));
      result.put("TimeLoggingStopped", stopped.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return result;
  }

  private JsonNode setLogging(AwsCall call, boolean logging) {
    Trail trail = ownedTrail(call, requiredText(call.input(), "Name", "name"));
    trail.logging = logging;
    if (logging) {
      trail.startedAt = clock.instant();
    } else {
      trail.stoppedAt = clock.instant();
    }
    return JsonNodeFactory.instance.objectNode();
  }

  private JsonNode getEventSelectors(AwsCall call) {
    Trail trail = visibleTrail(call, requiredText(call.input(), "TrailName", "trailName"));
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("TrailARN", trail.arn);
    putSelectors(result, trail);
    return result;
  }

  private static void putSelectors(ObjectNode result, Trail trail) {
    // GetEventSelectors answers either EventSelectors or AdvancedEventSelectors, never both.
    ArrayNode advanced = trail.advancedEventSelectors;
    ArrayNode basic = trail.eventSelectors;
    if (advanced != null) {
      result.set("AdvancedEventSelectors", advanced.deepCopy());
    } else if (basic != null) {
      result.set("EventSelectors", basic.deepCopy());
    }
  }

  private JsonNode putEventSelectors(AwsCall call) {
    Trail trail = ownedTrail(call, requiredText(call.input(), "TrailName", "trailName"));
    JsonNode basic = call.input().get("EventSelectors");
    JsonNode advanced = call.input().get("AdvancedEventSelectors");
    boolean hasBasic = basic != null && !basic.isNull();
    boolean hasAdvanced = advanced != null && !advanced.isNull();
    if (hasBasic == hasAdvanced) {
      throw AwsServiceError.client(
          "InvalidParameterCombinationException",
          hasBasic
              ? "You can use either AdvancedEventSelectors or EventSelectors, but not both."
              : "You must specify either EventSelectors or AdvancedEventSelectors.");
    }
    if (hasBasic) {
      trail.eventSelectors = basicSelectors(basic);
      trail.advancedEventSelectors = null;
    } else {
      trail.advancedEventSelectors =
          advancedSelectors(advanced, Set.of("Management", "Data", "NetworkActivity"));
      trail.eventSelectors = null;
    }
    trail.customSelectors = true;
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("TrailARN", trail.arn);
    putSelectors(result, trail);
    return result;
  }

  private static ArrayNode basicSelectors(JsonNode selectors) {
    if (!selectors.isArray() || selectors.size() > 5) {
      throw invalidSelectors("A trail can have at most 5 event selectors.");
    }
    ArrayNode normalized = JsonNodeFactory.instance.arrayNode();
    int dataValues = 0;
    for (JsonNode selector : selectors) {
      ObjectNode out = normalized.addObject();
      String readWrite = selector.path("ReadWriteType").asText("All");
      if (!READ_WRITE_TYPES.contains(readWrite)) {
        throw invalidSelectors(
            String.format(
                "ReadWriteType [%s] is not valid; use ReadOnly, WriteOnly or All.", readWrite));
      }
      out.put("ReadWriteType", readWrite);
      out.put("IncludeManagementEvents", selector.path("IncludeManagementEvents").asBoolean(true));
      ArrayNode resources = out.putArray("DataResources");
      for (JsonNode resource : selector.path("DataResources")) {
        String type = resource.path("Type").asText();
        if (!DATA_RESOURCE_TYPES.contains(type)) {
          throw invalidSelectors(
              String.format(
                  "Data resource type [%s] is not valid; basic event selectors support"
                      + " AWS::S3::Object, AWS::Lambda::Function and AWS::DynamoDB::Table.",
                  type));
        }
        dataValues += resource.path("Values").size();
        resources.add(resource.deepCopy());
      }
      ArrayNode excluded = out.putArray("ExcludeManagementEventSources");
      for (JsonNode source : selector.path("ExcludeManagementEventSources")) {
        if (!EXCLUDABLE_SOURCES.contains(source.asText())) {
          throw invalidSelectors(
              String.format(
                  "Management event source [%s] cannot be excluded; only kms.amazonaws.com and"
                      + " rdsdata.amazonaws.com can.",
                  source.asText()));
        }
        excluded.add(source.asText());
      }
    }
    if (dataValues > 250) {
      throw invalidSelectors("A trail can have at most 250 data resources across its selectors.");
    }
    return normalized;
  }

  private static ArrayNode advancedSelectors(JsonNode selectors, Set<String> categories) {
    if (!selectors.isArray() || selectors.isEmpty()) {
      throw invalidSelectors("AdvancedEventSelectors must hold at least one selector.");
    }
    int conditions = 0;
    ArrayNode normalized = JsonNodeFactory.instance.arrayNode();
    for (JsonNode selector : selectors) {
      JsonNode fields = selector.path("FieldSelectors");
      if (!fields.isArray() || fields.isEmpty()) {
        throw invalidSelectors("Each advanced event selector needs at least one field selector.");
      }
      boolean hasCategory = false;
      ObjectNode out = normalized.addObject();
      if (selector.hasNonNull("Name")) {
        out.put("Name", selector.get("Name").asText());
      }
      ArrayNode outFields = out.putArray("FieldSelectors");
      for (JsonNode field : fields) {
        String name = field.path("Field").asText();
        if (!ADVANCED_FIELDS.contains(name)) {
          throw invalidSelectors(
              String.format(
                  "Field [%s] is not valid in an advanced event selector; use one of %s.",
                  name, ADVANCED_FIELDS.stream().sorted().toList()));
        }
        ObjectNode outField = outFields.addObject();
        outField.put("Field", name);
        boolean hasOperator = false;
        for (String operator : OPERATORS) {
          JsonNode values = field.get(operator);
          if (values != null && values.isArray() && !values.isEmpty()) {
            hasOperator = true;
            conditions += values.size();
            outField.set(operator, values.deepCopy());
          }
        }
        if (!hasOperator) {
          throw invalidSelectors(
              String.format("Field selector [%s] has no condition with values.", name));
        }
        if (name.equals("eventCategory")) {
          JsonNode equals = field.get("Equals");
          if (equals == null || equals.isEmpty()) {
            throw invalidSelectors("The eventCategory field selector must use Equals.");
          }
          for (JsonNode category : equals) {
            if (!categories.contains(category.asText())) {
              throw invalidSelectors(
                  String.format(
                      "eventCategory [%s] is not valid here; use one of %s.",
                      category.asText(), categories.stream().sorted().toList()));
            }
          }
          hasCategory = true;
        }
      }
      if (!hasCategory) {
        throw invalidSelectors("Each advanced event selector must have an eventCategory field.");
      }
    }
    if (conditions > 500) {
      throw invalidSelectors("Advanced event selectors can hold at most 500 conditions in all.");
    }
    return normalized;
  }

  private static AwsServiceError invalidSelectors(String message) {
    return AwsServiceError.client("InvalidEventSelectorsException", message);
  }

  private ObjectNode trailJson(Trail trail) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("Name", trail.name);
    json.setAll(trail.settings);
    json.put("HomeRegion", trail.homeRegion);
    json.put("TrailARN", trail.arn);
    json.put("HasCustomEventSelectors", trail.customSelectors);
    json.put("HasInsightSelectors", false);
    return json;
  }

  private List<Trail> visibleTrails(AwsCall call, boolean shadows) {
    String account = account(call);
    Optional<Organization> organization = organizations.apply(call.caller().account());
    List<Trail> visible = new ArrayList<>();
    for (Trail trail : trails.values()) {
      boolean own = trail.account.equals(account);
      boolean home = trail.homeRegion.equals(call.region());
      if (own && home) {
        visible.add(trail);
      } else if (shadows && own && trail.multiRegion()) {
        visible.add(trail);
      } else if (shadows
          && !own
          && trail.organization()
          && (trail.multiRegion() || home)
          && organization
              .map(org -> org.managementAccount().value().equals(trail.account))
              .orElse(false)) {
        visible.add(trail);
      }
    }
    return visible;
  }

  /** A trail the caller can read: by name in its home Region, or by ARN (shadows included). */
  private Trail visibleTrail(AwsCall call, String nameOrArn) {
    for (Trail trail : visibleTrails(call, true)) {
      boolean byName =
          trail.name.equals(nameOrArn)
              && trail.homeRegion.equals(call.region())
              && trail.account.equals(account(call));
      if (byName || trail.arn.equals(nameOrArn)) {
        return trail;
      }
    }
    Trail own = trails.get(nameOrArn);
    if (own != null && own.account.equals(account(call))) {
      return own;
    }
    throw trailNotFound(call, nameOrArn);
  }

  /** A trail the caller owns, for changes, which only its home Region accepts. */
  private Trail ownedTrail(AwsCall call, String nameOrArn) {
    String account = account(call);
    for (Trail trail : trails.values()) {
      if (!trail.account.equals(account)) {
        continue;
      }
      if (trail.arn.equals(nameOrArn)
          || (trail.name.equals(nameOrArn) && trail.homeRegion.equals(call.region()))) {
        if (!trail.homeRegion.equals(call.region())) {
          throw AwsServiceError.client(
              "InvalidHomeRegionException",
              String.format(
                  "This operation must be called from the trail's home Region (%s).",
                  trail.homeRegion));
        }
        return trail;
      }
      if (trail.name.equals(nameOrArn) && trail.multiRegion()) {
        throw AwsServiceError.client(
            "InvalidHomeRegionException",
            String.format(
                "This operation must be called from the trail's home Region (%s).",
                trail.homeRegion));
      }
    }
    throw trailNotFound(call, nameOrArn);
  }

  private static AwsServiceError trailNotFound(AwsCall call, String nameOrArn) {
    return AwsServiceError.client(
        "TrailNotFoundException",
        String.format(
            "Unknown trail: %s for the user: %s", nameOrArn, call.caller().account().value()));
  }

  private static void validateTrailName(String name) {
    if (name.length() < 3
        || name.length() > 128
        || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]")
        || name.matches(".*[._-]{2}.*")
        || name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
      throw AwsServiceError.client(
          "InvalidTrailNameException",
          String.format(
              "Trail name [%s] is not valid: 3 to 128 letters, digits, periods, underscores and"
                  + " hyphens, starting and ending with a letter or digit, without adjacent"
                  + " punctuation, and not an IP address.",
              name));
    }
  }

  private void requireOrganizationManagement(AwsCall call) {
    Organization organization =
        organizations
            .apply(call.caller().account())
            .orElseThrow(
                () ->
                    AwsServiceError.client(
                        "OrganizationsNotInUseException",
                        "This account is not a member of an organization."));
    if (!organization.managementAccount().equals(call.caller().account())) {
      throw AwsServiceError.client(
          "NotOrganizationMasterAccountException",
          "The request was rejected because the caller is not the management account of the"
              + " organization.");
    }
    if (!organization.featureSet().equals("ALL")) {
      throw AwsServiceError.client(
          "OrganizationNotInAllFeaturesModeException",
          "This operation requires that the organization has all features enabled.");
    }
  }

  // ---- event data stores

  private JsonNode createEventDataStore(AwsCall call) {
    JsonNode input = call.input();
    String name = requiredText(input, "Name", "name");
    if (name.length() < 3 || name.length() > 128 || !name.matches("[a-zA-Z0-9._-]+")) {
      throw AwsServiceError.client(
          "InvalidParameterException",
          String.format(
              "Event data store name [%s] is not valid: 3 to 128 letters, digits, periods,"
                  + " underscores and hyphens.",
              name));
    }
    String account = account(call);
    boolean organizationEnabled = input.path("OrganizationEnabled").asBoolean(false);
    if (organizationEnabled) {
      requireOrganizationManagement(call);
    }
    List<DataStore> own = ownDataStores(account, call.region());
    if (own.stream().anyMatch(store -> store.settings.path("Name").asText().equals(name))) {
      throw AwsServiceError.client(
          "EventDataStoreAlreadyExistsException",
          String.format("An event data store named %s already exists.", name));
    }
    if (own.size() >= MAX_DATA_STORES_PER_REGION) {
      throw AwsServiceError.client(
          "EventDataStoreMaxLimitExceededException",
          String.format(
              "Your account has the maximum number of event data stores (%d) in this Region.",
              MAX_DATA_STORES_PER_REGION));
    }
    String billingMode = input.path("BillingMode").asText("EXTENDABLE_RETENTION_PRICING");
    int maxRetention = billingMode.equals("FIXED_RETENTION_PRICING") ? 2557 : 3653;
    int retention = input.path("RetentionPeriod").asInt(2557);
    if (retention < 7 || retention > maxRetention) {
      throw AwsServiceError.client(
          "InvalidParameterException",
          String.format(
              "RetentionPeriod [%d] is not between 7 and %d days for billing mode %s.",
              retention, maxRetention, billingMode));
    }
    JsonNode selectors = input.get("AdvancedEventSelectors");
    ArrayNode advanced;
    if (selectors == null || selectors.isNull()) {
      advanced = JsonNodeFactory.instance.arrayNode();
      ObjectNode management = advanced.addObject();
      management.put("Name", "Default management events");
      ObjectNode category = management.putArray("FieldSelectors").addObject();
      category.put("Field", "eventCategory");
      category.putArray("Equals").add("Management");
    } else {
      advanced =
          advancedSelectors(
              selectors,
              Set.of(
                  "Management",
                  "Data",
                  "NetworkActivity",
                  "ConfigurationItem",
                  "ActivityAuditLog"));
    }
    Instant now = clock.instant();
    String arn =
        String.format(
            "arn:%s:cloudtrail:%s:%s:eventdatastore/%s",
            KmsCallRecords.partitionOf(call.region()), call.region(), account, UUID.randomUUID());
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    settings.put("EventDataStoreArn", arn);
    settings.put("Name", name);
    settings.put(
        "Status", input.path("StartIngestion").asBoolean(true) ? "ENABLED" : "STOPPED_INGESTION");
    settings.set("AdvancedEventSelectors", advanced);
    settings.put("MultiRegionEnabled", input.path("MultiRegionEnabled").asBoolean(true));
    settings.put("OrganizationEnabled", organizationEnabled);
    settings.put("RetentionPeriod", retention);
    settings.put(
        "TerminationProtectionEnabled", input.path("TerminationProtectionEnabled").asBoolean(true));
    settings.put("CreatedTimestamp", EventHistory.epochSeconds(now));
    settings.put("UpdatedTimestamp", EventHistory.epochSeconds(now));
    JsonNode kmsKeyId = input.get("KmsKeyId");
    if (kmsKeyId != null && !kmsKeyId.asText().isEmpty()) {
      settings.put("KmsKeyId", keyArn(kmsKeyId.asText(), call.region(), account));
    }
    settings.put("BillingMode", billingMode);
    dataStores.put(arn, new DataStore(arn, account, call.region(), settings));
    return settings.deepCopy();
  }

  private List<DataStore> ownDataStores(String account, String region) {
    return dataStores.values().stream()
        .filter(store -> store.account.equals(account) && store.region.equals(region))
        .toList();
  }

  private JsonNode listEventDataStores(AwsCall call) {
    List<DataStore> own = ownDataStores(account(call), call.region());
    int maxResults = call.input().path("MaxResults").asInt(1000);
    if (maxResults < 1 || maxResults > 1000) {
      throw AwsServiceError.client(
          "InvalidMaxResultsException",
          String.format("MaxResults [%d] is not between 1 and 1000.", maxResults));
    }
    int start = 0;
    JsonNode token = call.input().get("NextToken");
    if (token != null && !token.isNull()) {
      start = decodeOffset(token.asText(), own.size());
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    ArrayNode list = result.putArray("EventDataStores");
    int end = Math.min(own.size(), start + maxResults);
    for (DataStore store : own.subList(start, end)) {
      ObjectNode summary = list.addObject();
      for (String field :
          List.of(
              "EventDataStoreArn",
              "Name",
              "TerminationProtectionEnabled",
              "Status",
              "AdvancedEventSelectors",
              "MultiRegionEnabled",
              "OrganizationEnabled",
              "RetentionPeriod",
              "CreatedTimestamp",
              "UpdatedTimestamp")) {
        summary.set(field, store.settings.get(field).deepCopy());
      }
    }
    if (end < own.size()) {
      result.put(
          "NextToken",
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(("eds:" + end).getBytes(StandardCharsets.UTF_8)));
    }
    return result;
  }

  private static int decodeOffset(String token, int size) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (plain.startsWith("eds:")) {
        int offset = Integer.parseInt(plain.substring(4));
        if (offset >= 0 && offset <= size) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // not one of our tokens; answered below
    }
    throw AwsServiceError.client("InvalidNextTokenException", "The NextToken is not valid.");
  }

  private JsonNode getEventDataStore(AwsCall call) {
    String id = requiredText(call.input(), "EventDataStore", "eventDataStore");
    String account = account(call);
    DataStore found = null;
    if (id.startsWith("arn:")) {
      if (!id.matches("arn:[\\w-]+:cloudtrail:[a-z0-9-]+:\\d{12}:eventdatastore/[\\w-]+")) {
        throw AwsServiceError.client(
            "EventDataStoreARNInvalidException",
            String.format("The specified event data store ARN [%s] is not valid.", id));
      }
      DataStore store = dataStores.get(id);
      if (store != null && store.account.equals(account)) {
        found = store;
      }
    } else {
      for (DataStore store : ownDataStores(account, call.region())) {
        if (store.arn.endsWith("/" + id)) {
          found = store;
        }
      }
    }
    if (found == null) {
      throw AwsServiceError.client(
          "EventDataStoreNotFoundException",
          String.format("The specified event data store [%s] was not found.", id));
    }
    return found.settings.deepCopy();
  }

  // ---- helpers

  private static String account(AwsCall call) {
    return call.caller().account().value();
  }

  private static String keyArn(String keyId, String region, String account) {
    if (keyId.startsWith("arn:") || keyId.startsWith("alias/")) {
      return keyId;
    }
    return String.format(
        "arn:%s:kms:%s:%s:key/%s", KmsCallRecords.partitionOf(region), region, account, keyId);
  }

  private static void copyText(JsonNode from, ObjectNode to, String field) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull() && !value.asText().isEmpty()) {
      to.put(field, value.asText());
    }
  }

  private static String requiredText(JsonNode input, String member, String wireName) {
    JsonNode value = input.get(member);
    if (value == null || value.isNull() || value.asText().isEmpty()) {
      throw AwsServiceError.client(
          "ValidationException",
          String.format(
              "1 validation error detected: Value null at '%s' failed to satisfy constraint:"
                  + " Member must not be null",
              wireName));
    }
    return value.asText();
  }
}

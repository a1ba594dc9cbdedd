package dev.kmsposture.testkit.internal.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.internal.wire.AwsServiceHandler;
import dev.kmsposture.testkit.internal.wire.CallerDirectory;
import dev.kmsposture.testkit.internal.wire.CallerIdentity;
import dev.kmsposture.testkit.kms.AssumableRole;
import dev.kmsposture.testkit.kms.Caller;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The STS companion (query protocol, version 2011-06-15): {@code GetCallerIdentity} answers from
 * the caller mapping, {@code AssumeRole} hands out temporary credentials for registered {@link
 * AssumableRole}s, whose access key then acts as the assumed-role session until it expires on the
 * emulator's clock.
 */
public final class StsService implements AwsServiceHandler {
  /** The XML namespace of STS answers. */
  public static final String XML_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final Map<String, AssumableRole> roles = new ConcurrentHashMap<>();
  private final Clock clock;
  private final CallerDirectory callers;
  private final SecureRandom random = new SecureRandom();

  /** Creates the service with {@code roles}, registering sessions in {@code callers}. */
  public StsService(Clock clock, CallerDirectory callers, Collection<AssumableRole> roles) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.callers = Objects.requireNonNull(callers, "callers");
    roles.forEach(this::addRole);
  }

  /** Registers {@code role}, replacing a role with the same ARN. */
  public void addRole(AssumableRole role) {
    roles.put(role.roleArn(), role);
  }

  @Override
  public JsonNode handle(AwsCall call) {
    return switch (call.operation()) {
      case "GetCallerIdentity" -> getCallerIdentity(call);
      case "AssumeRole" -> assumeRole(call);
      default ->
          throw AwsServiceError.client(
              "InvalidAction",
              String.format(
                  "Could not find operation %s for version 2011-06-15", call.operation()));
    };
  }

  private static JsonNode getCallerIdentity(AwsCall call) {
    CallerIdentity identity = CallerIdentity.of(call.caller());
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("Arn", call.caller().principalArn());
    result.put("UserId", identity.principalId());
    result.put("Account", identity.accountId());
    return result;
  }

  private JsonNode assumeRole(AwsCall call) {
    String roleArn = required(call, "RoleArn", "roleArn");
    if (roleArn.length() < 20 || roleArn.length() > 2048) {
      throw validation(
          "Value '%s' at 'roleArn' failed to satisfy constraint: Member must have length"
              + " between 20 and 2048",
          roleArn);
    }
    String sessionName = required(call, "RoleSessionName", "roleSessionName");
    if (sessionName.length() < 2
        || sessionName.length() > 64
        || !sessionName.matches("[\\w+=,.@-]*")) {
      throw validation(
          "Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must have length"
              + " between 2 and 64 and match pattern [\\w+=,.@-]*",
          sessionName);
    }
    Duration duration = Duration.ofHours(1);
    JsonNode durationText = call.input().get("DurationSeconds");
    if (durationText != null) {
      long seconds;
      try {
        seconds = Long.parseLong(durationText.asText());
      } catch (NumberFormatException e) {
        throw validation(
            "Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must be a"
                + " number",
            durationText.asText());
      }
      if (seconds < 900 || seconds > 43_200) {
        throw validation(
            "Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value"
                + " between 900 and 43200",
            Long.toString(seconds));
      }
      duration = Duration.ofSeconds(seconds);
    }
    JsonNode externalIdNode = call.input().get("ExternalId");
    String externalId = externalIdNode == null ? null : externalIdNode.asText();
    if (externalId != null
        && (externalId.length() < 2
            || externalId.length() > 1224
            || !externalId.matches("[\\w+=,.@:/-]*"))) {
      throw validation(
          "Value '%s' at 'externalId' failed to satisfy constraint: Member must have length"
              + " between 2 and 1224 and match pattern [\\w+=,.@:\\/-]*",
          externalId);
    }
    Caller caller = call.caller();
    AssumableRole role = roles.get(roleArn);
    boolean externalIdMatches =
        role != null && role.externalId().map(expected -> expected.equals(externalId)).orElse(true);
    if (role == null || !role.admits(caller) || !externalIdMatches) {
      // AWS gives the same answer for an unknown role, an untrusted caller and a wrong external id
      throw AwsServiceError.client(
          403,
          "AccessDenied",
          String.format(
              "User: %s is not authorized to perform: sts:AssumeRole on resource: %s",
              caller.principalArn(), roleArn));
    }
    if (duration.compareTo(role.maxSessionDuration()) > 0) {
      throw AwsServiceError.client(
          "ValidationError",
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    if (CallerIdentity.of(caller).kind() == CallerIdentity.Kind.ASSUMED_ROLE
        && duration.compareTo(Duration.ofHours(1)) > 0) {
      throw AwsServiceError.client(
          "ValidationError",
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by"
              + " role chaining.");
    }
    String partition = roleArn.split(":", 3)[1];
    String sessionArn =
        String.format(
            "arn:%s:sts::%s:assumed-role/%s/%s",
            partition, role.account().value(), role.name(), sessionName);
    Caller session = Caller.of(sessionArn);
    Instant expiration = clock.instant().plus(duration).truncatedTo(ChronoUnit.SECONDS);
    String accessKeyId = "ASIA" + randomKey(16);
    callers.putTemporary(accessKeyId, session, expiration);

    ObjectNode result = JsonNodeFactory.instance.objectNode();
    ObjectNode credentials = result.putObject("Credentials");
    credentials.put("AccessKeyId", accessKeyId);
    credentials.put("SecretAccessKey", randomSecret(30));
    credentials.put("SessionToken", "IQoJb3JpZ2luX2VjE" + randomSecret(240));
    credentials.put("Expiration", expiration.toString());
    ObjectNode user = result.putObject("AssumedRoleUser");
    user.put("AssumedRoleId", CallerIdentity.of(session).principalId());
    user.put("Arn", sessionArn);
    return result;
  }

  private static String required(AwsCall call, String member, String wireName) {
    JsonNode value = call.input().get(member);
    if (value == null || value.asText().isEmpty()) {
      throw validation(
          "Value null at '%s' failed to satisfy constraint: Member must not be null", wireName);
    }
    return value.asText();
  }

  private static AwsServiceError validation(String format, String value) {
    return AwsServiceError.client(
        "ValidationError", "1 validation error detected: " + String.format(format, value));
  }

  private String randomKey(int length) {
    StringBuilder key = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      key.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
    }
    return key.toString();
  }

  private String randomSecret(int bytes) {
    byte[] secret = new byte[bytes];
    random.nextBytes(secret);
    return Base64.getEncoder().withoutPadding().encodeToString(secret);
  }
}

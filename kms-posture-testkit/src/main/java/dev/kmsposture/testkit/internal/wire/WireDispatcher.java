package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.kms.Caller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns raw HTTP requests into {@link AwsCall}s for the registered services and their answers back
 * into AWS-shaped HTTP responses. Both transports (the in-process SDK HTTP client and the loopback
 * server) go through one dispatcher, so they behave the same.
 *
 * <p>AWS JSON 1.1: the operation comes from {@code X-Amz-Target: <prefix>.<Operation>}, the body is
 * a JSON object, errors are {@code {"__type": code, "message": text}} with the HTTP status of the
 * error. The caller's access key and the Region come from the SigV4 credential scope of the {@code
 * Authorization} header; the signature itself is not verified.
 */
public final class WireDispatcher {
  static final String JSON_11 = "application/x-amz-json-1.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Target> byPrefix = new LinkedHashMap<>();
  private final Function<String, Caller> callers;
  private final Supplier<String> requestIds;
  private final Clock clock;

  private record Target(String service, AwsServiceHandler handler) {}

  /**
   * Creates a dispatcher with no services.
   *
   * @param callers maps an access key id to the caller it acts as
   * @param requestIds the source of request ids
   * @param clock the emulator's clock
   */
  public WireDispatcher(
      Function<String, Caller> callers, Supplier<String> requestIds, Clock clock) {
    this.callers = Objects.requireNonNull(callers, "callers");
    this.requestIds = Objects.requireNonNull(requestIds, "requestIds");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Routes JSON 1.1 requests whose {@code X-Amz-Target} starts with {@code targetPrefix + "."} to
   * {@code handler} as service {@code service}.
   */
  public WireDispatcher register(String service, String targetPrefix, AwsServiceHandler handler) {
    byPrefix.put(targetPrefix, new Target(service, handler));
    return this;
  }

  /** Answers one raw request. Never throws for a bad request: it answers with an AWS error. */
  public WireResponse dispatch(WireRequest request) {
    String requestId = requestIds.get();
    try {
      String target = request.header("X-Amz-Target");
      int dot = target.lastIndexOf('.');
      Target service = dot < 0 ? null : byPrefix.get(target.substring(0, dot));
      if (service == null) {
        throw AwsServiceError.client(
            "UnknownOperationException",
            target.isEmpty() ? "Missing X-Amz-Target header" : "Unknown operation " + target);
      }
      Credential credential = Credential.parse(request.header("Authorization"));
      Caller caller = callers.apply(credential.accessKeyId());
      ObjectNode input = parseBody(request.body());
      AwsCall call =
          new AwsCall(
              service.service(),
              target.substring(dot + 1),
              credential.region(),
              caller,
              input,
              requestId,
              clock.instant(),
              request.header("User-Agent"),
              request.sourceIpAddress());
      JsonNode result = service.handler().handle(call);
      return json(200, requestId, JSON.writeValueAsBytes(result));
    } catch (AwsServiceError e) {
      return error(requestId, e);
    } catch (JsonProcessingException e) {
      return error(
          requestId, AwsServiceError.fault(500, "InternalFailure", "could not write response"));
    }
  }

  private static ObjectNode parseBody(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // fall through to the AWS error below
    }
    throw AwsServiceError.client(
        "SerializationException", "Start of structure or map found where not expected.");
  }

  private static WireResponse error(String requestId, AwsServiceError e) {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", e.code());
    body.put("message", String.valueOf(e.getMessage()));
    return json(e.httpStatus(), requestId, body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static WireResponse json(int status, String requestId, byte[] body) {
    return new WireResponse(
        status,
        Map.of(
            "Content-Type", JSON_11,
            "x-amzn-RequestId", requestId,
            "Content-Length", Integer.toString(body.length)),
        body);
  }

  /** The access key and Region of a SigV4 {@code Authorization} header. */
  record Credential(String accessKeyId, String region) {
    static Credential parse(String authorization) {
      // AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/kms/aws4_request, SignedHeaders=...
      int start = authorization.indexOf("Credential=");
      if (start < 0) {
        throw AwsServiceError.client(
            "MissingAuthenticationTokenException", "Request is missing Authentication Token");
      }
      int end = authorization.indexOf(',', start);
      String scope =
          authorization.substring(
              start + "Credential=".length(), end < 0 ? authorization.length() : end);
      String[] parts = scope.split("/", -1);
      if (parts.length != 5 || parts[0].isEmpty() || parts[2].isEmpty()) {
        throw AwsServiceError.client(
            "IncompleteSignatureException",
            "Credential should be scoped to a valid Region, not '" + scope + "'");
      }
      return new Credential(parts[0], parts[2]);
    }
  }
}

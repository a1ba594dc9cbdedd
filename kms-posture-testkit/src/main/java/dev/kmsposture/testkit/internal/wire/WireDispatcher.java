package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.kms.Caller;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns raw HTTP requests into {@link AwsCall}s for the registered services and their answers back
 * into AWS-shaped HTTP responses. Both transports (the in-process SDK HTTP client and the loopback
 * server) go through one dispatcher, so they behave the same.
 *
 * <p>AWS JSON 1.1 (KMS, CloudTrail, Organizations): the operation comes from {@code X-Amz-Target:
 * <prefix>.<Operation>}, the body is a JSON object, errors are {@code {"__type": code, "message":
 * text}} with the HTTP status of the error. Query protocol (STS): a form-encoded body {@code
 * Action=…&Version=…}, XML answers and XML errors. The caller's access key and the Region come from
 * the SigV4 credential scope of the {@code Authorization} header; the signature itself is not
 * verified.
 *
 * <p>Between decoding and the service, every call passes the request quotas and the fault injector,
 * when set; services with a {@link CallJournal} hear of calls refused there and of the errors
 * answered after they ran.
 */
public final class WireDispatcher {
  static final String JSON_11 = "application/x-amz-json-1.1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter WRITER = JSON.writer();

  private final Map<String, Target> byPrefix = new ConcurrentHashMap<>();
  private final Map<String, QueryTarget> queryByService = new ConcurrentHashMap<>();
  private final Map<String, CallJournal> journals = new ConcurrentHashMap<>();
  private final Function<String, Caller> callers;
  private final Supplier<String> requestIds;
  private final Clock clock;
  private volatile @Nullable QuotaEnforcer quotas;
  private volatile @Nullable FaultInjector faults;
  // the operation, the credential scope's parts and the User-Agent repeat from call to call; each
  // journal entry keeps them, so one shared copy of each (see RepeatedText)
  private final RepeatedText operations = new RepeatedText();
  private final RepeatedText scopes = new RepeatedText();
  private final RepeatedText userAgents = new RepeatedText();
  // the credential scope read last, and what it says: a client signs call after call with one
  // scope (it changes with the date), so one comparison replaces the reading
  private volatile @Nullable Scope lastScope;

  /** A credential scope's text and the credential it names. */
  private record Scope(String text, Credential credential) {}

  private record Target(String service, AwsServiceHandler handler) {}

  /**
   * An {@code X-Amz-Target} value, the service it names and its operation (shared text), as routed
   * after {@code registrations} registrations.
   */
  private record Route(String target, Target service, String operation, int registrations) {}

  // the X-Amz-Target routed last: a client sends one operation call after call, so one comparison
  // replaces the cut at the dot, the lookup of the prefix (a new string, hashed each time) and the
  // operation's text; a route made before the latest registration is not handed out again
  private volatile @Nullable Route lastRoute;
  private volatile int registrations;

  private record QueryTarget(String service, String xmlNamespace, AwsServiceHandler handler) {}

  /** Hears of the calls of one service that the service did not answer itself with success. */
  public interface CallJournal {
    /** {@code call} was refused before the service saw it (throttled, or an injected fault). */
    void rejected(AwsCall call, AwsServiceError error);

    /**
     * {@code call} ran and was answered with {@code error}: the service's own error, or an injected
     * fault after the service made its change.
     */
    void failed(AwsCall call, AwsServiceError error);
  }

  /**
   * Creates a dispatcher with no services.
   *
   * @param callers maps an access key id to the caller it acts as; may throw {@link
   *     AwsServiceError} (expired temporary credentials)
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
    synchronized (byPrefix) {
      registrations++;
    }
    return this;
  }

  /**
   * Routes query-protocol requests signed for {@code service} (the service of the SigV4 credential
   * scope, such as {@code sts}) to {@code handler}; its XML answers carry {@code xmlNamespace}.
   */
  public WireDispatcher registerQuery(
      String service, String xmlNamespace, AwsServiceHandler handler) {
    queryByService.put(service, new QueryTarget(service, xmlNamespace, handler));
    return this;
  }

  /** Tells {@code journal} about the refused and failed calls of {@code service}. */
  public WireDispatcher journal(String service, CallJournal journal) {
    journals.put(service, journal);
    return this;
  }

  /** Passes every call through {@code quotas} before its service sees it. */
  public WireDispatcher quotas(QuotaEnforcer quotas) {
    this.quotas = Objects.requireNonNull(quotas, "quotas");
    return this;
  }

  /** Passes every call through {@code faults} before and after its service runs. */
  public WireDispatcher faults(FaultInjector faults) {
    this.faults = Objects.requireNonNull(faults, "faults");
    return this;
  }

  /**
   * Answers one raw request. Never throws for a bad request: it answers with an AWS error, or with
   * {@link WireResponse#noResponse()} when an injected timeout drops the answer.
   */
  public WireResponse dispatch(WireRequest request) {
    String requestId = requestIds.get();
    String target = request.header("X-Amz-Target");
    if (target.isEmpty() && isQuery(request)) {
      return dispatchQuery(request, requestId);
    }
    try {
      Route route = route(target);
      if (route == null) {
        throw AwsServiceError.client(
            "UnknownOperationException",
            target.isEmpty() ? "Missing X-Amz-Target header" : "Unknown operation " + target);
      }
      Target service = route.service();
      Credential credential = credentialOf(request.header("Authorization"));
      Caller caller = callers.apply(credential.accessKeyId());
      ObjectNode input = RequestJson.parseObject(request.body());
      AwsCall call =
          call(service.service(), route.operation(), credential, caller, input, requestId, request);
      JsonNode result = invoke(service.service(), service.handler(), call);
      if (result == null) {
        return WireResponse.noResponse();
      }
      // a body the service wrote itself (Decrypt's) is sent as it is: the same bytes, written once
      byte[] body =
          result instanceof WrittenObject written
              ? written.written()
              : AsciiJson.bytesOrNull(result);
      return json(200, requestId, body != null ? body : WRITER.writeValueAsBytes(result));
    } catch (AwsServiceError e) {
      return error(requestId, e);
    } catch (JsonProcessingException e) {
      return error(
          requestId, AwsServiceError.fault(500, "InternalFailure", "could not write response"));
    } catch (RuntimeException e) {
      return error(requestId, internalError(e));
    }
  }

  /**
   * The registered service {@code target} ({@code <prefix>.<Operation>}) names, with its operation,
   * or null when none is registered for its prefix; the route read last is handed out again for the
   * same text.
   */
  private @Nullable Route route(String target) {
    int seen = registrations;
    Route last = lastRoute;
    if (last != null && last.registrations() == seen && last.target().equals(target)) {
      return last;
    }
    int dot = target.lastIndexOf('.');
    Target service = dot < 0 ? null : byPrefix.get(target.substring(0, dot));
    if (service == null) {
      return null;
    }
    Route made = new Route(target, service, operations.of(target, dot + 1, target.length()), seen);
    lastRoute = made;
    return made;
  }

  /** {@link #route}'s service and operation for {@code target}, or null: for tests. */
  @Nullable List<String> routeOf(String target) {
    Route route = route(target);
    return route == null ? null : List.of(route.service().service(), route.operation());
  }

  private AwsCall call(
      String service,
      String operation,
      Credential credential,
      Caller caller,
      ObjectNode input,
      String requestId,
      WireRequest request) {
    return new AwsCall(
        service,
        operation,
        credential.region(),
        caller,
        input,
        requestId,
        clock.instant(),
        userAgents.of(request.header("User-Agent")),
        request.sourceIpAddress());
  }

  /**
   * {@link Credential#parse}, for the scope read last without reading it again (the same text gives
   * the same credential).
   */
  Credential credentialOf(String authorization) {
    Scope last = lastScope;
    if (last != null) {
      int found = authorization.indexOf("Credential=");
      if (found >= 0) {
        int start = found + "Credential=".length();
        int comma = authorization.indexOf(',', start);
        int end = comma < 0 ? authorization.length() : comma;
        String text = last.text();
        if (end - start == text.length() && authorization.startsWith(text, start)) {
          return last.credential();
        }
      }
    }
    Credential credential = Credential.parse(authorization, scopes);
    int start = authorization.indexOf("Credential=") + "Credential=".length();
    int comma = authorization.indexOf(',', start);
    lastScope =
        new Scope(
            authorization.substring(start, comma < 0 ? authorization.length() : comma), credential);
    return credential;
  }

  private static boolean isQuery(WireRequest request) {
    String contentType = request.header("Content-Type").toLowerCase(Locale.ROOT);
    return contentType.startsWith("application/x-www-form-urlencoded")
        || (request.method().equals("GET") && request.path().contains("Action="));
  }

  private WireResponse dispatchQuery(WireRequest request, String requestId) {
    QueryTarget service = null;
    try {
      String authorization = request.header("Authorization");
      ObjectNode form = QueryProtocol.parseForm(formOf(request));
      if (!authorization.isEmpty() && authorization.contains("Credential=")) {
        service = queryByService.get(Credential.parse(authorization, scopes).service());
      } else if (queryByService.size() == 1) {
        service = queryByService.values().iterator().next();
      }
      if (service == null) {
        throw AwsServiceError.client(
            "UnknownOperationException", "No query-protocol service answers this request");
      }
      Credential credential = Credential.parse(authorization, scopes);
      Caller caller = callers.apply(credential.accessKeyId());
      JsonNode action = form.remove("Action");
      form.remove("Version");
      if (action == null || action.asText().isEmpty()) {
        throw AwsServiceError.client("MissingAction", "Missing Action");
      }
      AwsCall call =
          call(service.service(), action.asText(), credential, caller, form, requestId, request);
      JsonNode result = invoke(service.service(), service.handler(), call);
      if (result == null) {
        return WireResponse.noResponse();
      }
      return xml(
          200,
          requestId,
          QueryProtocol.response(action.asText(), service.xmlNamespace(), result, requestId));
    } catch (AwsServiceError e) {
      return queryError(service, requestId, e);
    } catch (RuntimeException e) {
      return queryError(service, requestId, internalError(e));
    }
  }

  private static String formOf(WireRequest request) {
    if (request.method().equals("GET")) {
      int question = request.path().indexOf('?');
      return question < 0 ? "" : request.path().substring(question + 1);
    }
    return new String(request.body(), StandardCharsets.UTF_8);
  }

  /** Runs {@code call} through quotas, faults and its service; null means "never answer". */
  private @Nullable JsonNode invoke(String service, AwsServiceHandler handler, AwsCall call) {
    CallJournal journal = journals.get(service);
    QuotaEnforcer quotaEnforcer = quotas;
    if (quotaEnforcer != null) {
      try {
        quotaEnforcer.admit(call);
      } catch (AwsServiceError e) {
        if (journal != null) {
          journal.rejected(call, e);
        }
        throw e;
      }
    }
    FaultInjector injector = faults;
    FaultInjector.Decision decision =
        injector == null ? FaultInjector.Decision.NONE : injector.decide(call);
    sleep(decision.delay());
    AwsServiceError refusal = decision.refusal();
    if (refusal != null) {
      if (journal != null) {
        journal.rejected(call, refusal);
      }
      throw refusal;
    }
    JsonNode result;
    try {
      result = handler.handle(call);
    } catch (AwsServiceError e) {
      if (journal != null) {
        journal.failed(call, e);
      }
      throw e;
    }
    AwsServiceError afterCommit = decision.errorAfterCommit();
    if (afterCommit != null) {
      if (journal != null) {
        journal.failed(call, afterCommit);
      }
      throw afterCommit;
    }
    Duration hold = decision.timeoutAfterCommit();
    if (hold != null) {
      sleep(hold);
      return null;
    }
    return result;
  }

  private static void sleep(Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static AwsServiceError internalError(RuntimeException e) {
    // A bug in an emulated service: answer as AWS answers an internal failure, naming the cause.
    return AwsServiceError.fault(
        500,
        "InternalFailure",
        String.format(
            "the embedded service failed: %s: %s", e.getClass().getName(), e.getMessage()));
  }

  private static WireResponse error(String requestId, AwsServiceError e) {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", e.code());
    String message = String.valueOf(e.getMessage());
    // AWS sends no message at all for the errors it answers without one
    // (InvalidCiphertextException, KMSInvalidSignatureException, ...); an empty "message" member
    // would reach SDKs that copy modelled error members (botocore) as a member AWS never sends.
    if (!message.isEmpty()) {
      body.put("message", message);
    }
    return json(e.httpStatus(), requestId, body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static WireResponse queryError(
      @Nullable QueryTarget service, String requestId, AwsServiceError e) {
    if (service == null) {
      return error(requestId, e);
    }
    return xml(
        e.httpStatus(), requestId, QueryProtocol.error(service.xmlNamespace(), e, requestId));
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

  private static WireResponse xml(int status, String requestId, byte[] body) {
    return new WireResponse(
        status,
        Map.of(
            "Content-Type",
            QueryProtocol.CONTENT_TYPE,
            "x-amzn-RequestId",
            requestId,
            "Content-Length",
            Integer.toString(body.length)),
        body);
  }

  /** The access key, Region and service of a SigV4 {@code Authorization} header. */
  record Credential(String accessKeyId, String region, String service) {
    /**
     * The credential scope of {@code authorization}, read in place (no copy of the scope), its
     * parts shared through {@code repeats}: this runs for every request.
     */
    static Credential parse(String authorization, RepeatedText repeats) {
      // AWS4-HMAC-SHA256 Credential=AKID/20261205/us-east-1/kms/aws4_request, SignedHeaders=...
      int found = authorization.indexOf("Credential=");
      if (found < 0) {
        throw AwsServiceError.client(
            "MissingAuthenticationTokenException", "Request is missing Authentication Token");
      }
      int start = found + "Credential=".length();
      int comma = authorization.indexOf(',', start);
      int end = comma < 0 ? authorization.length() : comma;
      // AKID/DATE/REGION/SERVICE/aws4_request: five parts, read without String.split (per call)
      int s0 = slash(authorization, start, end);
      int s1 = s0 < 0 ? -1 : slash(authorization, s0 + 1, end);
      int s2 = s1 < 0 ? -1 : slash(authorization, s1 + 1, end);
      int s3 = s2 < 0 ? -1 : slash(authorization, s2 + 1, end);
      if (s3 < 0 || slash(authorization, s3 + 1, end) >= 0 || s0 == start || s2 == s1 + 1) {
        throw incomplete(authorization.substring(start, end));
      }
      return new Credential(
          repeats.of(authorization, start, s0),
          repeats.of(authorization, s1 + 1, s2),
          repeats.of(authorization, s2 + 1, s3));
    }

    /** The first {@code /} in {@code text[from..end)}, or -1. */
    private static int slash(String text, int from, int end) {
      int at = text.indexOf('/', from);
      return at < end ? at : -1;
    }

    private static AwsServiceError incomplete(String scope) {
      return AwsServiceError.client(
          "IncompleteSignatureException",
          "Credential should be scoped to a valid Region, not '" + scope + "'");
    }
  }
}

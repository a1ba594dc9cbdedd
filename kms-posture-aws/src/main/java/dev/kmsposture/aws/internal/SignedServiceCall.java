package dev.kmsposture.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * One read-only JSON request to an AWS service for which the project has no SDK client, signed with
 * Signature Version 4 by the SDK's {@code AwsV4HttpSigner} with the caller's credentials and sent
 * with the caller's HTTP client. A failed request is thrown as the SDK's own exceptions, so the
 * scan's fault handling ({@link ScanCalls}) treats it as it treats an SDK client's: an error answer
 * is an {@link AwsServiceException} with the service's error code (throttling codes and 5xx are
 * retried there), a broken connection an {@link SdkClientException} caused by the {@link
 * IOException}. It does not retry on its own.
 *
 * <p>Thread-safe.
 */
public final class SignedServiceCall {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final String signingName;
  private final String region;
  private final URI endpoint;

  /**
   * Creates the caller of one service in one Region.
   *
   * @param signingName the service's SigV4 signing name (also its endpoint prefix here)
   * @param endpoint the endpoint, or null for {@code https://PREFIX.REGION.DOMAIN}, the Region's
   *     DNS suffix from the SDK's partition metadata ({@code amazonaws.com}, {@code
   *     amazonaws.com.cn})
   */
  public SignedServiceCall(
      SdkHttpClient http,
      AwsCredentialsProvider credentials,
      String signingName,
      Region region,
      @Nullable URI endpoint) {
    this.http = Objects.requireNonNull(http, "http");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.signingName = Objects.requireNonNull(signingName, "signingName");
    this.region = region.id();
    this.endpoint =
        endpoint != null
            ? endpoint
            : URI.create("https://" + signingName + "." + region.id() + "." + domain(region));
  }

  private static String domain(Region region) {
    PartitionMetadata metadata = PartitionMetadata.of(region);
    if (metadata != null && metadata.dnsSuffix() != null) {
      return metadata.dnsSuffix();
    }
    return switch (AccountScan.partition(region)) {
      case "aws-cn" -> "amazonaws.com.cn";
      default -> "amazonaws.com";
    };
  }

  /** The endpoint requests go to. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Sends a REST GET of {@code path} with {@code query} (REST-JSON protocol) and returns the JSON
   * answer.
   *
   * @throws AwsServiceException the service's error answer
   * @throws SdkClientException when the request could not be sent or the answer read
   */
  public JsonNode get(String path, Map<String, String> query) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(endpoint.resolve(path))
            .putHeader("Accept", "application/json");
    query.forEach(request::putRawQueryParameter);
    return send(request.build(), null);
  }

  /**
   * Sends an AWS JSON 1.1 request of {@code target} ({@code X-Amz-Target}) with {@code body} and
   * returns the JSON answer.
   *
   * @throws AwsServiceException the service's error answer
   * @throws SdkClientException when the request could not be sent or the answer read
   */
  public JsonNode json11(String target, JsonNode body) {
    byte[] payload = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint.resolve("/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", target)
            .putHeader("Content-Length", Integer.toString(payload.length))
            .build();
    return send(request, payload);
  }

  private JsonNode send(SdkHttpRequest request, byte @Nullable [] payload) {
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r -> {
                  r.identity(credentials.resolveCredentials())
                      .request(request)
                      .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                      .putProperty(AwsV4HttpSigner.REGION_NAME, region);
                  if (payload != null) {
                    r.payload(ContentStreamProvider.fromByteArray(payload));
                  }
                });
    HttpExecuteResponse response;
    JsonNode json;
    try {
      response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(signed.payload().orElse(null))
                      .build())
              .call();
      try (InputStream in = response.responseBody().map(s -> (InputStream) s).orElse(null)) {
        byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
        json = bytes.length == 0 ? JSON.createObjectNode() : readJson(bytes, response);
      }
    } catch (IOException e) {
      throw SdkClientException.builder()
          .message(
              String.format("cannot call %s at [%s]: %s", signingName, endpoint, e.getMessage()))
          .cause(e)
          .build();
    }
    int status = response.httpResponse().statusCode();
    if (status / 100 == 2) {
      return json;
    }
    String code = errorCode(response, json);
    String message = errorMessage(json);
    throw AwsServiceException.builder()
        .statusCode(status)
        .message(message.isEmpty() ? code : code + ": " + message)
        .requestId(response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(null))
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage(message.isEmpty() ? null : message)
                .serviceName(signingName)
                .sdkHttpResponse(response.httpResponse())
                .build())
        .build();
  }

  private JsonNode readJson(byte[] bytes, HttpExecuteResponse response) {
    try {
      JsonNode node = JSON.readTree(bytes);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException e) {
      if (response.httpResponse().statusCode() / 100 != 2) {
        return JSON.createObjectNode(); // an error page that is not JSON: the status speaks
      }
      throw SdkClientException.create(
          String.format(
              "%s at [%s] answered HTTP %d with a body that is not JSON",
              signingName, endpoint, response.httpResponse().statusCode()));
    }
  }

  /**
   * The error code: the {@code x-amzn-ErrorType} header (REST-JSON), else the body's {@code __type}
   * (AWS JSON), else its {@code ErrorCode} (EFS's error shapes) or {@code code}; the part before
   * {@code :} and after {@code #}.
   */
  static String errorCode(HttpExecuteResponse response, JsonNode body) {
    String raw = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("");
    for (String field : new String[] {"__type", "ErrorCode", "code", "Code"}) {
      if (!raw.isBlank()) {
        break;
      }
      raw = body.path(field).asText("");
    }
    int colon = raw.indexOf(':');
    if (colon >= 0) {
      raw = raw.substring(0, colon);
    }
    raw = raw.substring(raw.lastIndexOf('#') + 1).strip();
    return raw.isEmpty() ? "HTTP " + response.httpResponse().statusCode() : raw;
  }

  private static String errorMessage(JsonNode body) {
    for (String field : new String[] {"Message", "message", "errorMessage"}) {
      JsonNode m = body.get(field);
      if (m != null && m.isTextual()) {
        return m.asText();
      }
    }
    return "";
  }
}

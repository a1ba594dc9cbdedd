package dev.kmsposture.testkit.kms;

import dev.kmsposture.testkit.net.LoopbackOnly;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Raw HTTP requests to a {@link LocalKmsServer}, for checking the wire format byte by byte. */
final class RawHttp {
  static final String JSON_11 = "application/x-amz-json-1.1";

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI endpoint;

  RawHttp(URI endpoint) {
    LoopbackOnly.requireLoopback(endpoint);
    this.endpoint = endpoint;
  }

  /** A SigV4 Authorization header for {@code accessKey}, {@code region} and {@code service}. */
  static String authorization(String accessKey, String region, String service) {
    return String.format(
        "AWS4-HMAC-SHA256 Credential=%s/20260101/%s/%s/aws4_request,"
            + " SignedHeaders=content-type;host;x-amz-date;x-amz-target,"
            + " Signature=0000000000000000000000000000000000000000000000000000000000000000",
        accessKey, region, service);
  }

  /** A JSON 1.1 request with target {@code target}, signed for {@code region}/{@code service}. */
  HttpResponse<String> json(String target, String body, String region, String service)
      throws IOException, InterruptedException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", JSON_11);
    headers.put("X-Amz-Target", target);
    headers.put("Authorization", authorization("AKIDTEST", region, service));
    return post(headers, body);
  }

  HttpResponse<String> post(Map<String, String> headers, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}

package dev.kmsposture.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.aws.scan.AccountLister;
import dev.kmsposture.aws.scan.AccountPage;
import dev.kmsposture.aws.scan.MemberAccount;
import dev.kmsposture.aws.scan.ScanException;
import dev.kmsposture.policy.AccountId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * AWS Organizations {@code ListAccounts} over AWS JSON 1.1, signed with Signature Version 4 by the
 * SDK's signer and sent with the caller's HTTP client. See {@link
 * AccountLister#organizations(SdkHttpClient, AwsCredentialsProvider, Region)} for why it exists.
 *
 * <p>Throttled ({@code TooManyRequestsException}) and failed (5xx) calls are retried three times
 * with growing pauses, as the SDK's standard retry mode would.
 */
public final class SignedAccountLister implements AccountLister {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";
  private static final int MAX_RESULTS = 20; // ListAccounts' MaxResults range is 1 to 20
  private static final int ATTEMPTS = 4;

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final String signingRegion;
  private final URI endpoint;

  /**
   * Creates the lister.
   *
   * @param endpoint the endpoint, or null for the partition's Organizations endpoint
   */
  public SignedAccountLister(
      SdkHttpClient http,
      AwsCredentialsProvider credentials,
      Region region,
      @Nullable URI endpoint) {
    this.http = http;
    this.credentials = credentials;
    String partition = AccountScan.partition(region);
    // Organizations is a global service with one endpoint per partition (AWS General Reference,
    // "AWS Organizations endpoints and quotas"); requests are signed for that endpoint's Region.
    // With an endpoint override (an emulator), the caller's Region signs.
    if (endpoint != null) {
      this.signingRegion = region.id();
      this.endpoint = endpoint;
    } else if (partition.equals("aws-cn")) {
      this.signingRegion = "cn-northwest-1";
      this.endpoint = URI.create("https://organizations.cn-northwest-1.amazonaws.com.cn");
    } else if (partition.equals("aws-us-gov")) {
      this.signingRegion = "us-gov-west-1";
      this.endpoint = URI.create("https://organizations.us-gov-west-1.amazonaws.com");
    } else {
      this.signingRegion = "us-east-1";
      this.endpoint = URI.create("https://organizations.us-east-1.amazonaws.com");
    }
  }

  @Override
  public AccountPage page(@Nullable String nextToken) {
    ObjectNode body = JSON.createObjectNode();
    body.put("MaxResults", MAX_RESULTS);
    if (nextToken != null) {
      body.put("NextToken", nextToken);
    }
    byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
    for (int attempt = 1; ; attempt++) {
      Answer answer = send(payload);
      if (answer.status() / 100 == 2) {
        return parse(answer.body());
      }
      String code = errorCode(answer.body());
      boolean retryable =
          answer.status() >= 500
              || code.equals("TooManyRequestsException")
              || code.equals("ThrottlingException");
      if (!retryable || attempt == ATTEMPTS) {
        throw new ScanException(
            String.format(
                "Organizations ListAccounts failed: %s: %s (HTTP %d); ListAccounts works only in"
                    + " the organization's management account or a delegated administrator"
                    + " account — or pass the accounts as a list",
                code, errorMessage(answer.body()), answer.status()),
            null,
            null,
            null);
      }
      try {
        Thread.sleep(200L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.util.concurrent.CancellationException("interrupted while listing accounts");
      }
    }
  }

  private record Answer(int status, JsonNode body) {}

  private Answer send(byte[] payload) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint.resolve("/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", TARGET)
            .putHeader("Content-Length", Integer.toString(payload.length))
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(payload))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(signed.payload().orElse(null))
                      .build())
              .call();
      JsonNode json;
      try (InputStream in = response.responseBody().map(s -> (InputStream) s).orElse(null)) {
        json = in == null ? JSON.createObjectNode() : JSON.readTree(in);
      }
      return new Answer(
          response.httpResponse().statusCode(), json == null ? JSON.createObjectNode() : json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot call Organizations ListAccounts at " + endpoint, e);
    }
  }

  private static AccountPage parse(JsonNode body) {
    List<MemberAccount> accounts = new ArrayList<>();
    for (JsonNode a : body.path("Accounts")) {
      String id = a.path("Id").asText("");
      if (!id.matches("\\d{12}")) {
        continue;
      }
      String state = a.path("State").asText("");
      if (state.isEmpty()) {
        // Status is the older field (retired in 2026); PENDING_CLOSURE and SUSPENDED map as is.
        state = a.path("Status").asText("UNKNOWN");
      }
      accounts.add(new MemberAccount(AccountId.of(id), a.path("Name").asText(""), state));
    }
    JsonNode token = body.get("NextToken");
    return new AccountPage(
        accounts,
        token == null || token.isNull() || token.asText().isEmpty() ? null : token.asText());
  }

  private static String errorCode(JsonNode body) {
    String type = body.path("__type").asText("");
    int hash = type.lastIndexOf('#');
    return type.isEmpty() ? "UnknownError" : type.substring(hash + 1);
  }

  private static String errorMessage(JsonNode body) {
    JsonNode m = body.has("Message") ? body.get("Message") : body.get("message");
    return m == null ? "" : m.asText();
  }
}

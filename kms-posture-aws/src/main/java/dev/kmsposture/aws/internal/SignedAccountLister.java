package dev.kmsposture.aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.aws.scan.AccountLister;
import dev.kmsposture.aws.scan.AccountPage;
import dev.kmsposture.aws.scan.MemberAccount;
import dev.kmsposture.aws.scan.ScanException;
import dev.kmsposture.policy.AccountId;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * AWS Organizations {@code ListAccounts} over AWS JSON 1.1: one {@link SignedServiceCall#json11}
 * (signed with Signature Version 4 by the SDK's signer, sent with the caller's HTTP client). See
 * {@link AccountLister#organizations(SdkHttpClient, AwsCredentialsProvider, Region)} for why it
 * exists.
 *
 * <p>Throttled ({@code TooManyRequestsException}) and failed (5xx) calls are retried three times
 * with growing pauses, as the SDK's standard retry mode would.
 */
public final class SignedAccountLister implements AccountLister {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";
  private static final int MAX_RESULTS = 20; // ListAccounts' MaxResults range is 1 to 20
  private static final int ATTEMPTS = 4;

  private final SignedServiceCall call;

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
    String partition = AccountScan.partition(region);
    // Organizations is a global service with one endpoint per partition (AWS General Reference,
    // "AWS Organizations endpoints and quotas"); requests are signed for that endpoint's Region.
    // With an endpoint override (an emulator), the caller's Region signs.
    Region signingRegion;
    URI at;
    if (endpoint != null) {
      signingRegion = region;
      at = endpoint;
    } else if (partition.equals("aws-cn")) {
      signingRegion = Region.of("cn-northwest-1");
      at = URI.create("https://organizations.cn-northwest-1.amazonaws.com.cn");
    } else if (partition.equals("aws-us-gov")) {
      signingRegion = Region.of("us-gov-west-1");
      at = URI.create("https://organizations.us-gov-west-1.amazonaws.com");
    } else {
      signingRegion = Region.of("us-east-1");
      at = URI.create("https://organizations.us-east-1.amazonaws.com");
    }
    this.call = new SignedServiceCall(http, credentials, "organizations", signingRegion, at);
  }

  @Override
  public AccountPage page(@Nullable String nextToken) {
    ObjectNode body = JSON.createObjectNode();
    body.put("MaxResults", MAX_RESULTS);
    if (nextToken != null) {
      body.put("NextToken", nextToken);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return parse(call.json11(TARGET, body));
      } catch (AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code =
            details != null && details.errorCode() != null ? details.errorCode() : "UnknownError";
        String message =
            details != null && details.errorMessage() != null ? details.errorMessage() : "";
        boolean retryable =
            e.statusCode() >= 500
                || code.equals("TooManyRequestsException")
                || code.equals("ThrottlingException");
        if (!retryable || attempt == ATTEMPTS) {
          throw new ScanException(
              String.format(
                  "Organizations ListAccounts failed: %s: %s (HTTP %d); ListAccounts works only in"
                      + " the organization's management account or a delegated administrator"
                      + " account — or pass the accounts as a list",
                  code, message, e.statusCode()),
              null,
              null,
              e);
        }
      }
      try {
        Thread.sleep(200L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.util.concurrent.CancellationException("interrupted while listing accounts");
      }
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
}

package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.policy.AccountId;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Organizations over raw AWS JSON 1.1 (the SDK's {@code organizations} artifact is not used): the
 * exact request and response shapes a signed JSON caller sees.
 */
class OrganizationsCompanionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AccountId MANAGEMENT = AccountId.of("123456789012");

  private final LocalKms kms =
      LocalKms.builder()
          .caller("AKIDMEMBER", Caller.root(AccountId.of("100000000001")))
          .caller("AKIDLONER", Caller.root(AccountId.of("999999999999")))
          .organization(organization(45))
          .build();
  private final LocalKmsServer server = LocalKmsServer.start(kms);
  private final RawHttp http = new RawHttp(server.endpoint());

  @AfterEach
  void stop() {
    server.close();
  }

  /** The management account and {@code members} more, one of them suspended. */
  private static Organization organization(int members) {
    Organization.Builder org = Organization.builder("o-a1b2c3d4e5", MANAGEMENT);
    for (int i = 1; i <= members; i++) {
      org.account(
          OrganizationAccount.builder(AccountId.of(String.format("1%011d", i)))
              .name("member-" + i)
              .state(i == 7 ? "SUSPENDED" : "ACTIVE")
              .joinedTimestamp(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i))
              .build());
    }
    return org.build();
  }

  private HttpResponse<String> call(String operation, String body, String accessKey)
      throws IOException, InterruptedException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", RawHttp.JSON_11);
    headers.put("X-Amz-Target", "AWSOrganizationsV20161128." + operation);
    headers.put("Authorization", RawHttp.authorization(accessKey, "us-east-1", "organizations"));
    return http.post(headers, body);
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  @Test
  void describeOrganization_answersTheCallersOrganization() throws Exception {
    HttpResponse<String> response = call("DescribeOrganization", "{}", "AKIDMEMBER");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(RawHttp.JSON_11);
    assertThat(json(response))
        .isEqualTo(
            JSON.readTree(
                "{\"Organization\":{\"Id\":\"o-a1b2c3d4e5\","
                    + "\"Arn\":\"arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5\","
                    + "\"FeatureSet\":\"ALL\","
                    + "\"MasterAccountArn\":\"arn:aws:organizations::123456789012:account/o-a1b2c3d4e5/123456789012\","
                    + "\"MasterAccountId\":\"123456789012\","
                    + "\"MasterAccountEmail\":\"account-123456789012@example.com\","
                    + "\"AvailablePolicyTypes\":[{\"Type\":\"SERVICE_CONTROL_POLICY\",\"Status\":\"ENABLED\"}]}}"));
  }

  @Test
  void listAccounts_pagesOfAtMost20WithNextToken() throws Exception {
    // when
    List<JsonNode> accounts = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      String body = token == null ? "{}" : "{\"NextToken\":\"" + token + "\"}";
      JsonNode page = json(call("ListAccounts", body, LocalKms.DEFAULT_ACCESS_KEY_ID));
      pageSizes.add(page.get("Accounts").size());
      page.get("Accounts").forEach(accounts::add);
      token = page.has("NextToken") ? page.get("NextToken").asText() : null;
    } while (token != null);

    // then
    assertThat(pageSizes).containsExactly(20, 20, 6);
    assertThat(accounts).hasSize(46);
    assertThat(accounts.get(0).get("Id").asText()).isEqualTo("123456789012");
    JsonNode suspended = accounts.get(7);
    assertThat(suspended)
        .isEqualTo(
            JSON.readTree(
                "{\"Id\":\"100000000007\","
                    + "\"Arn\":\"arn:aws:organizations::123456789012:account/o-a1b2c3d4e5/100000000007\","
                    + "\"Email\":\"account-100000000007@example.com\",\"Name\":\"member-7\","
                    + "\"Status\":\"SUSPENDED\",\"State\":\"SUSPENDED\",\"JoinedMethod\":\"CREATED\","
                    + "\"JoinedTimestamp\":1735689607}"));
  }

  @Test
  void listAccounts_maxResults_isAtMost20() throws Exception {
    JsonNode five =
        json(call("ListAccounts", "{\"MaxResults\":5}", LocalKms.DEFAULT_ACCESS_KEY_ID));
    HttpResponse<String> tooMany =
        call("ListAccounts", "{\"MaxResults\":21}", LocalKms.DEFAULT_ACCESS_KEY_ID);

    assertThat(five.get("Accounts").size()).isEqualTo(5);
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(json(tooMany).get("__type").asText()).isEqualTo("InvalidInputException");
  }

  @Test
  void listAccounts_fromAMember_isAccessDenied() throws Exception {
    HttpResponse<String> response = call("ListAccounts", "{}", "AKIDMEMBER");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("__type").asText()).isEqualTo("AccessDeniedException");
    assertThat(json(response).get("message").asText())
        .isEqualTo("You don't have permissions to access this resource.");
  }

  @Test
  void anAccountOutsideEveryOrganization_isNotInUse() throws Exception {
    HttpResponse<String> response = call("DescribeOrganization", "{}", "AKIDLONER");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("__type").asText())
        .isEqualTo("AWSOrganizationsNotInUseException");
    assertThat(json(response).get("message").asText())
        .isEqualTo("Your account is not a member of an organization.");
  }

  @Test
  void listAccounts_foreignToken_isInvalidInput() throws Exception {
    HttpResponse<String> response =
        call("ListAccounts", "{\"NextToken\":\"not-a-token\"}", LocalKms.DEFAULT_ACCESS_KEY_ID);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("__type").asText()).isEqualTo("InvalidInputException");
  }

  @Test
  void describeAccount_findsAnAccountOfTheOrganization() throws Exception {
    JsonNode account =
        json(
            call(
                "DescribeAccount",
                "{\"AccountId\":\"100000000003\"}",
                LocalKms.DEFAULT_ACCESS_KEY_ID));
    HttpResponse<String> missing =
        call("DescribeAccount", "{\"AccountId\":\"555555555555\"}", LocalKms.DEFAULT_ACCESS_KEY_ID);

    assertThat(account.at("/Account/Name").asText()).isEqualTo("member-3");
    assertThat(json(missing).get("__type").asText()).isEqualTo("AccountNotFoundException");
  }

  @Test
  void organization_builderRejectsBadValues() {
    assertThatThrownBy(() -> Organization.builder("o-short", MANAGEMENT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "organization id [o-short] is not o- followed by 10 to 32 lower-case letters or digits");
    assertThatThrownBy(() -> OrganizationAccount.builder(MANAGEMENT).state("GONE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "account state [GONE] is not one of PENDING_ACTIVATION, ACTIVE, SUSPENDED,"
                + " PENDING_CLOSURE, CLOSED");
    assertThatThrownBy(
            () ->
                LocalKms.builder()
                    .organization(organization(1))
                    .organization(
                        Organization.builder("o-zzzzzzzzzz", AccountId.of("100000000001")).build())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "account [100000000001] is in organizations [o-a1b2c3d4e5] and [o-zzzzzzzzzz]; an"
                + " account belongs to one organization");
  }
}

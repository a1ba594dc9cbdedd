package dev.kmsposture.testkit.internal.organizations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.internal.wire.AwsServiceHandler;
import dev.kmsposture.testkit.kms.Organization;
import dev.kmsposture.testkit.kms.OrganizationAccount;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The Organizations companion (AWS JSON 1.1, target prefix {@code AWSOrganizationsV20161128}):
 * {@code DescribeOrganization}, {@code ListAccounts} (pages of at most 20) and {@code
 * DescribeAccount}, for the organizations seeded into the embedded KMS. {@code ListAccounts} and
 * {@code DescribeAccount} answer the management account only, as AWS does (delegated administrators
 * are not emulated).
 */
public final class OrganizationsService implements AwsServiceHandler {
  /** The {@code X-Amz-Target} prefix of Organizations requests. */
  public static final String TARGET_PREFIX = "AWSOrganizationsV20161128";

  private static final int MAX_RESULTS = 20;

  private final List<Organization> organizations;

  /**
   * Creates the service for {@code organizations}.
   *
   * @throws IllegalArgumentException if an account belongs to two organizations
   */
  public OrganizationsService(List<Organization> organizations) {
    this.organizations = List.copyOf(organizations);
    for (int i = 0; i < this.organizations.size(); i++) {
      for (int j = i + 1; j < this.organizations.size(); j++) {
        for (OrganizationAccount account : this.organizations.get(i).accounts()) {
          if (this.organizations.get(j).account(account.id()).isPresent()) {
            throw new IllegalArgumentException(
                String.format(
                    "account [%s] is in organizations [%s] and [%s]; an account belongs to one"
                        + " organization",
                    account.id(), this.organizations.get(i).id(), this.organizations.get(j).id()));
          }
        }
      }
    }
  }

  /** The organization {@code account} belongs to, if any. */
  public Optional<Organization> organizationOf(AccountId account) {
    return organizations.stream().filter(org -> org.account(account).isPresent()).findFirst();
  }

  @Override
  public JsonNode handle(AwsCall call) {
    return switch (call.operation()) {
      case "DescribeOrganization" -> describeOrganization(call);
      case "ListAccounts" -> listAccounts(call);
      case "DescribeAccount" -> describeAccount(call);
      default ->
          throw AwsServiceError.client(
              "UnknownOperationException",
              String.format(
                  "operation [%s] is not supported by the embedded Organizations; supported:"
                      + " DescribeOrganization, ListAccounts, DescribeAccount",
                  call.operation()));
    };
  }

  private Organization organization(AwsCall call) {
    return organizationOf(call.caller().account())
        .orElseThrow(
            () ->
                AwsServiceError.client(
                    "AWSOrganizationsNotInUseException",
                    "Your account is not a member of an organization."));
  }

  private Organization managedOrganization(AwsCall call) {
    Organization organization = organization(call);
    if (!organization.managementAccount().equals(call.caller().account())) {
      throw AwsServiceError.client(
          "AccessDeniedException", "You don't have permissions to access this resource.");
    }
    return organization;
  }

  private JsonNode describeOrganization(AwsCall call) {
    Organization organization = organization(call);
    OrganizationAccount management =
        organization
            .account(organization.managementAccount())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "bug in kms-posture: management account missing from its organization"));
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    ObjectNode org = result.putObject("Organization");
    org.put("Id", organization.id());
    org.put("Arn", organization.arn());
    org.put("FeatureSet", organization.featureSet());
    org.put("MasterAccountArn", organization.accountArn(organization.managementAccount()));
    org.put("MasterAccountId", organization.managementAccount().value());
    org.put("MasterAccountEmail", management.email());
    ArrayNode policyTypes = org.putArray("AvailablePolicyTypes");
    if (organization.featureSet().equals("ALL")) {
      ObjectNode scp = policyTypes.addObject();
      scp.put("Type", "SERVICE_CONTROL_POLICY");
      scp.put("Status", "ENABLED");
    }
    return result;
  }

  private JsonNode listAccounts(AwsCall call) {
    Organization organization = managedOrganization(call);
    int maxResults = MAX_RESULTS;
    JsonNode max = call.input().get("MaxResults");
    if (max != null && !max.isNull()) {
      if (!max.canConvertToInt() || max.asInt() < 1 || max.asInt() > MAX_RESULTS) {
        throw invalidInput(
            max.asInt() < 1 ? "MIN_VALUE_EXCEEDED" : "MAX_VALUE_EXCEEDED",
            String.format(
                "You provided a value that does not match the required pattern or is out of"
                    + " range: MaxResults [%s] must be 1 to %d.",
                max.asText(), MAX_RESULTS));
      }
      maxResults = max.asInt();
    }
    List<OrganizationAccount> accounts = organization.accounts();
    int start = 0;
    JsonNode token = call.input().get("NextToken");
    if (token != null && !token.isNull()) {
      start = decodeToken(organization, token.asText(), accounts.size());
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    ArrayNode page = result.putArray("Accounts");
    int end = Math.min(accounts.size(), start + maxResults);
    for (OrganizationAccount account : accounts.subList(start, end)) {
      page.add(accountJson(organization, account));
    }
    if (end < accounts.size()) {
      result.put("NextToken", encodeToken(organization, end));
    }
    return result;
  }

  private JsonNode describeAccount(AwsCall call) {
    Organization organization = managedOrganization(call);
    JsonNode id = call.input().get("AccountId");
    if (id == null || !id.asText().matches("\\d{12}")) {
      throw invalidInput(
          "INVALID_PATTERN",
          String.format(
              "You provided a value that does not match the required pattern: AccountId [%s]",
              id == null ? "" : id.asText()));
    }
    OrganizationAccount account =
        organization
            .account(AccountId.of(id.asText()))
            .orElseThrow(
                () ->
                    AwsServiceError.client(
                        "AccountNotFoundException",
                        "You specified an account that doesn't exist."));
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.set("Account", accountJson(organization, account));
    return result;
  }

  private static ObjectNode accountJson(Organization organization, OrganizationAccount account) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("Id", account.id().value());
    json.put("Arn", organization.accountArn(account.id()));
    json.put("Email", account.email());
    json.put("Name", account.name());
    json.put("Status", account.status());
    json.put("State", account.state());
    json.put("JoinedMethod", account.joinedMethod());
    json.put("JoinedTimestamp", account.joinedTimestamp().getEpochSecond());
    return json;
  }

  private static String encodeToken(Organization organization, int offset) {
    String plain = organization.id() + ":" + offset;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(Organization organization, String token, int size) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int colon = plain.lastIndexOf(':');
      if (colon > 0 && plain.substring(0, colon).equals(organization.id())) {
        int offset = Integer.parseInt(plain.substring(colon + 1));
        if (offset >= 0 && offset <= size) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // not a token of ours; answered below
    }
    throw invalidInput(
        "INVALID_PAGINATION_TOKEN", "The NextToken value is not valid for this request.");
  }

  private static AwsServiceError invalidInput(String reason, String message) {
    return AwsServiceError.client("InvalidInputException", message + " (Reason: " + reason + ")");
  }
}

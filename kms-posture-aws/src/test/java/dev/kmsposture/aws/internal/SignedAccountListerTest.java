package dev.kmsposture.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.aws.scan.AccountPage;
import dev.kmsposture.aws.scan.ScanException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;

class SignedAccountListerTest {
  /** An HTTP client that records requests and answers from a script. */
  static final class ScriptedHttp implements SdkHttpClient {
    record Sent(SdkHttpRequest request, String body) {}

    final List<Sent> sent = new ArrayList<>();
    final Deque<String[]> answers = new ArrayDeque<>();

    ScriptedHttp answer(int status, String body) {
      answers.add(new String[] {Integer.toString(status), body});
      return this;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          String body;
          try (InputStream in = request.contentStreamProvider().orElseThrow().newStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          sent.add(new Sent(request.httpRequest(), body));
          String[] answer = answers.removeFirst();
          return HttpExecuteResponse.builder()
              .response(SdkHttpResponse.builder().statusCode(Integer.parseInt(answer[0])).build())
              .responseBody(
                  AbortableInputStream.create(
                      new ByteArrayInputStream(answer[1].getBytes(StandardCharsets.UTF_8))))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIAMANAGEMENT000000", "secret-key-never-printed"));

  @Test
  void page_signsAJsonCallToTheGlobalEndpoint() {
    ScriptedHttp http =
        new ScriptedHttp()
            .answer(
                200,
                "{\"Accounts\":[{\"Id\":\"111122223333\",\"Name\":\"prod\",\"Status\":\"ACTIVE\","
                    + "\"State\":\"ACTIVE\"},{\"Id\":\"444455556666\",\"Name\":\"old\",\"Status\":"
                    + "\"SUSPENDED\"}],\"NextToken\":\"next-1\"}");

    AccountPage page =
        new SignedAccountLister(http, CREDENTIALS, Region.EU_WEST_1, null).page(null);

    assertThat(page.accounts())
        .extracting(a -> a.id().value() + " " + a.name() + " " + a.state())
        .containsExactly("111122223333 prod ACTIVE", "444455556666 old SUSPENDED");
    assertThat(page.nextToken()).isEqualTo("next-1");
    SdkHttpRequest request = http.sent.get(0).request();
    assertThat(request.getUri().toString())
        .isEqualTo("https://organizations.us-east-1.amazonaws.com/");
    assertThat(request.firstMatchingHeader("X-Amz-Target"))
        .contains("AWSOrganizationsV20161128.ListAccounts");
    assertThat(request.firstMatchingHeader("Content-Type")).contains("application/x-amz-json-1.1");
    assertThat(request.firstMatchingHeader("Authorization").orElseThrow())
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIAMANAGEMENT000000/")
        .contains("/us-east-1/organizations/aws4_request")
        .doesNotContain("secret-key-never-printed");
    assertThat(http.sent.get(0).body()).isEqualTo("{\"MaxResults\":20}");
  }

  @Test
  void page_withToken_sendsIt() {
    ScriptedHttp http = new ScriptedHttp().answer(200, "{\"Accounts\":[]}");

    AccountPage page =
        new SignedAccountLister(http, CREDENTIALS, Region.US_EAST_1, null).page("t-2");

    assertThat(page.accounts()).isEmpty();
    assertThat(page.nextToken()).isNull();
    assertThat(http.sent.get(0).body()).isEqualTo("{\"MaxResults\":20,\"NextToken\":\"t-2\"}");
  }

  @Test
  void page_chinaPartition_usesItsEndpoint() {
    ScriptedHttp http = new ScriptedHttp().answer(200, "{\"Accounts\":[]}");

    new SignedAccountLister(http, CREDENTIALS, Region.CN_NORTH_1, null).page(null);

    assertThat(http.sent.get(0).request().getUri().getHost())
        .isEqualTo("organizations.cn-northwest-1.amazonaws.com.cn");
  }

  @Test
  void page_throttled_isRetried() {
    ScriptedHttp http =
        new ScriptedHttp()
            .answer(400, "{\"__type\":\"TooManyRequestsException\",\"Message\":\"slow down\"}")
            .answer(200, "{\"Accounts\":[{\"Id\":\"111122223333\",\"State\":\"ACTIVE\"}]}");

    AccountPage page =
        new SignedAccountLister(http, CREDENTIALS, Region.US_EAST_1, null).page(null);

    assertThat(page.accounts()).hasSize(1);
    assertThat(http.sent).hasSize(2);
  }

  @Test
  void page_notTheManagementAccount_failsSayingWhereListAccountsWorks() {
    ScriptedHttp http =
        new ScriptedHttp()
            .answer(
                400,
                "{\"__type\":\"com.amazonaws.organizations#AWSOrganizationsNotInUseException\","
                    + "\"Message\":\"Your account is not a member of an organization.\"}");

    assertThatThrownBy(
            () -> new SignedAccountLister(http, CREDENTIALS, Region.US_EAST_1, null).page(null))
        .isInstanceOf(ScanException.class)
        .hasMessage(
            "Organizations ListAccounts failed: AWSOrganizationsNotInUseException: Your account is"
                + " not a member of an organization. (HTTP 400); ListAccounts works only in the"
                + " organization's management account or a delegated administrator account — or"
                + " pass the accounts as a list");
  }
}

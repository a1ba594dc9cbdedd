package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The KMS wire protocol over real HTTP: headers, error shapes, routing, Region and caller. */
class LocalKmsServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalKms kms = LocalKms.create();
  private final LocalKmsServer server = LocalKmsServer.start(kms);
  private final RawHttp http = new RawHttp(server.endpoint());

  @AfterEach
  void stop() {
    server.close();
  }

  private static JsonNode body(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  @Test
  void endpoint_isLoopbackWithTheChosenPort() {
    assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.endpoint().getPort()).isEqualTo(server.port()).isPositive();
    assertThat(server.localKms()).isSameAs(kms);
  }

  @Test
  void unknownTarget_isA400UnknownOperationExceptionInAwsShape() throws Exception {
    // when
    HttpResponse<String> response = http.json("TrentService.MakeCoffee", "{}", "us-east-1", "kms");

    // then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(RawHttp.JSON_11);
    assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    JsonNode error = body(response);
    assertThat(error.get("__type").asText()).isEqualTo("UnknownOperationException");
    assertThat(error.get("message").asText()).contains("MakeCoffee");
  }

  @Test
  void errorWithoutAwsMessage_hasNoMessageMember() throws Exception {
    // Recorded from AWS: errors such as InvalidCiphertextException come without a message, so SDKs
    // that copy the error's members (botocore) show none.
    HttpResponse<String> response =
        http.json(
            "TrentService.Decrypt",
            "{\"CiphertextBlob\":\"bm90IGEgY2lwaGVydGV4dA==\"}",
            "us-east-1",
            "kms");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = body(response);
    assertThat(error.get("__type").asText()).isEqualTo("InvalidCiphertextException");
    assertThat(error.has("message")).isFalse();
  }

  @Test
  void unknownServicePrefix_isA400UnknownOperationException() throws Exception {
    HttpResponse<String> response =
        http.json("DynamoDB_20120810.ListTables", "{}", "us-east-1", "dynamodb");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).get("__type").asText()).isEqualTo("UnknownOperationException");
    assertThat(body(response).get("message").asText())
        .isEqualTo("Unknown operation DynamoDB_20120810.ListTables");
  }

  @Test
  void missingTarget_isA400UnknownOperationException() throws Exception {
    HttpResponse<String> response =
        http.post(
            Map.of(
                "Content-Type",
                RawHttp.JSON_11,
                "Authorization",
                RawHttp.authorization("AKIDTEST", "us-east-1", "kms")),
            "{}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).get("__type").asText()).isEqualTo("UnknownOperationException");
    assertThat(body(response).get("message").asText()).isEqualTo("Missing X-Amz-Target header");
  }

  @Test
  void malformedJson_isA400SerializationException() throws Exception {
    HttpResponse<String> response =
        http.json(
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails",
            "{\"trailNameList\": [",
            "us-east-1",
            "cloudtrail");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).get("__type").asText()).isEqualTo("SerializationException");
  }

  @Test
  void jsonArrayBody_isA400SerializationException() throws Exception {
    HttpResponse<String> response =
        http.json("TrentService.ListKeys", "[1, 2]", "us-east-1", "kms");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).get("__type").asText()).isEqualTo("SerializationException");
  }

  @Test
  void missingAuthorization_isA400MissingAuthenticationTokenException() throws Exception {
    HttpResponse<String> response =
        http.post(
            Map.of("Content-Type", RawHttp.JSON_11, "X-Amz-Target", "TrentService.ListKeys"), "{}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).get("__type").asText())
        .isEqualTo("MissingAuthenticationTokenException");
  }

  @Test
  void credentialScopeWithoutRegion_isA400IncompleteSignatureException() throws Exception {
    HttpResponse<String> response =
        http.post(
            Map.of(
                "Content-Type", RawHttp.JSON_11,
                "X-Amz-Target", "TrentService.ListKeys",
                "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101, Signature=0"),
            "{}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).get("__type").asText()).isEqualTo("IncompleteSignatureException");
  }

  @Test
  void region_comesFromTheCredentialScope() throws Exception {
    // when
    HttpResponse<String> response =
        http.json(
            CloudTrailTarget.of("CreateTrail"),
            "{\"Name\":\"audit\",\"S3BucketName\":\"audit-logs\"}",
            "ap-southeast-1",
            "cloudtrail");

    // then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response).get("TrailARN").asText())
        .isEqualTo("arn:aws:cloudtrail:ap-southeast-1:123456789012:trail/audit");
  }

  @Test
  void requestIds_areFreshForEveryResponse() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = http.json("TrentService.Nope", "{}", "us-east-1", "kms");
      ids.add(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
    }

    assertThat(ids).hasSize(20);
  }

  @Test
  void queryProtocol_getCallerIdentity_answersXml() throws Exception {
    // when
    HttpResponse<String> response =
        http.post(
            Map.of(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
                "Authorization",
                RawHttp.authorization("AKIDTEST", "us-east-1", "sts")),
            "Action=GetCallerIdentity&Version=2011-06-15");

    // then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml");
    String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
    assertThat(response.body())
        .isEqualTo(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn>"
                + "<UserId>123456789012</UserId><Account>123456789012</Account>"
                + "</GetCallerIdentityResult><ResponseMetadata><RequestId>"
                + requestId
                + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
  }

  @Test
  void queryProtocol_unknownAction_isAnXmlSenderError() throws Exception {
    HttpResponse<String> response =
        http.post(
            Map.of(
                "Content-Type",
                "application/x-www-form-urlencoded",
                "Authorization",
                RawHttp.authorization("AKIDTEST", "us-east-1", "sts")),
            "Action=GetSessionToken&Version=2011-06-15");

    assertThat(response.statusCode()).isEqualTo(400);
    String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
    assertThat(response.body())
        .isEqualTo(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                + "<Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation"
                + " GetSessionToken for version 2011-06-15</Message></Error><RequestId>"
                + requestId
                + "</RequestId></ErrorResponse>");
  }

  @Test
  void queryProtocol_missingAuthorization_isAnXmlMissingAuthenticationToken() throws Exception {
    HttpResponse<String> response =
        http.post(
            Map.of("Content-Type", "application/x-www-form-urlencoded"),
            "Action=GetCallerIdentity&Version=2011-06-15");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("<Type>Sender</Type><Code>MissingAuthenticationToken</Code>");
  }

  @Test
  void oversizedBody_isA413() throws Exception {
    String body = "{\"Description\":\"" + "x".repeat(LocalKmsServer.MAX_BODY_BYTES) + "\"}";

    HttpResponse<String> response = http.json("TrentService.CreateKey", body, "us-east-1", "kms");

    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void portInUse_failsWithAClearMessage() {
    assertThatThrownBy(() -> LocalKmsServer.builder(kms).port(server.port()).start())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage(
            "cannot listen on 127.0.0.1:%d: the port is in use; choose another port, or 0 for a"
                + " free one",
            server.port());
  }

  @Test
  void builder_rejectsBadPortAndThreads() {
    assertThatThrownBy(() -> LocalKmsServer.builder(kms).port(70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port [70000] is not 0 to 65535; use 0 for a free port");
    assertThatThrownBy(() -> LocalKmsServer.builder(kms).threads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads [0] is below 1");
  }

  @Test
  void close_releasesThePort() throws Exception {
    // given
    LocalKmsServer other = LocalKmsServer.start(kms);
    RawHttp otherHttp = new RawHttp(other.endpoint());

    // when
    other.close();
    other.close();

    // then
    assertThatThrownBy(() -> otherHttp.json("TrentService.ListKeys", "{}", "us-east-1", "kms"))
        .isInstanceOf(ConnectException.class);
  }
}

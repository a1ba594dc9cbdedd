package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The in-process client reads a request body at the size its stream says it holds, and falls back
 * to {@code Content-Length}: only a hint, so whatever the stream and the header say (too little,
 * too much, nothing, absurdly much), the body read is the whole stream and the answer is the same.
 */
class InProcessBodyLengthTest {
  /** A stream of {@code bytes} that says it holds {@code available} bytes, whatever is left. */
  private static InputStream claiming(byte[] bytes, int available) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int available() {
        return available;
      }
    };
  }

  private static String answer(
      SdkHttpClient http, byte[] body, @Nullable InputStream stream, @Nullable String length)
      throws IOException {
    SdkHttpFullRequest.Builder request =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("http://127.0.0.1/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", "TrentService.DescribeKey")
            .putHeader(
                "Authorization",
                RawHttp.authorization(LocalKms.DEFAULT_ACCESS_KEY_ID, "us-east-1", "kms"));
    if (length != null) {
      request.putHeader("Content-Length", length);
    }
    HttpExecuteRequest.Builder execute = HttpExecuteRequest.builder().request(request.build());
    if (stream != null) {
      execute.contentStreamProvider(() -> stream);
    } else {
      execute.contentStreamProvider(() -> new ByteArrayInputStream(body));
    }
    HttpExecuteResponse response = http.prepareRequest(execute.build()).call();
    try (InputStream in = response.responseBody().orElseThrow()) {
      return response.httpResponse().statusCode()
          + " "
          + new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anyLengthTheStreamOrHeaderClaims_readsTheWholeBody() throws IOException {
    // given
    LocalKms kms = LocalKms.create();
    String keyId;
    try (KmsClient client = kms.kmsClient(Region.US_EAST_1)) {
      keyId = client.createKey().keyMetadata().keyId();
    }
    byte[] body = ("{\"KeyId\":\"" + keyId + "\"}").getBytes(StandardCharsets.UTF_8);
    SdkHttpClient http = kms.httpClient();
    String expected = answer(http, body, null, Integer.toString(body.length));
    assertThat(expected).startsWith("200 ").contains(keyId);

    // when / then
    int n = body.length;
    for (int available :
        List.of(
            0, 1, n / 2, n - 1, n, n + 1, n + 4096, 1 << 20, (1 << 20) + 1, Integer.MAX_VALUE)) {
      for (String length : new String[] {null, "", "x", "0", "3", Integer.toString(n), "99999"}) {
        assertThat(answer(http, body, claiming(body, available), length))
            .as("available %d, Content-Length %s", available, length)
            .isEqualTo(expected);
      }
    }
  }
}

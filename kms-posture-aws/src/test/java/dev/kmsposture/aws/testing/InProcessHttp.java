package dev.kmsposture.aws.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client under real SDK clients that answers in process: nothing leaves the process. The
 * tests that script a service's answers share it; each gives a {@link Handler} that reads the
 * request and its body and returns the {@link Reply}.
 */
public final class InProcessHttp implements SdkHttpClient {
  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param contentType the {@code Content-Type} of the body
   * @param body the body, sent as UTF-8
   * @param requestId the request id, sent as {@code x-amzn-RequestId} and {@code x-amz-request-id}
   */
  public record Reply(int status, String contentType, String body, String requestId) {}

  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    /** Returns the answer to {@code request}, whose body (UTF-8) is {@code body}. */
    Reply answer(SdkHttpRequest request, String body);
  }

  private final String name;
  private final Handler handler;

  /** Creates a client called {@code name} that answers with {@code handler}. */
  public InProcessHttp(String name, Handler handler) {
    this.name = name;
    this.handler = handler;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        String body = "";
        if (request.contentStreamProvider().isPresent()) {
          try (InputStream in = request.contentStreamProvider().get().newStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        Reply reply = handler.answer(request.httpRequest(), body);
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
            .response(
                SdkHttpResponse.builder()
                    .statusCode(reply.status())
                    .putHeader("Content-Type", reply.contentType())
                    .putHeader("Content-Length", Integer.toString(bytes.length))
                    .putHeader("x-amzn-RequestId", reply.requestId())
                    .putHeader("x-amz-request-id", reply.requestId())
                    .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public String clientName() {
    return name;
  }

  @Override
  public void close() {}
}

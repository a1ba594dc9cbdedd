package dev.kmsposture.aws.inventory;

import dev.kmsposture.aws.testing.InProcessHttp;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An in-process HTTP layer under real SDK clients: nothing leaves the process. It recognises the
 * operation of each request (the JSON protocols' {@code X-Amz-Target}, the query protocols' {@code
 * Action}, S3's REST path and sub-resource) and replays the answers scripted for it, in order,
 * taken from the shapes of the services' API references. Every request is journaled.
 */
final class ReplayHttp implements SdkHttpClient {
  record Reply(int status, String contentType, String body) {}

  record Sent(String operation, SdkHttpRequest request, String body) {}

  private final Map<String, Deque<Reply>> script = new HashMap<>();
  final List<Sent> journal = Collections.synchronizedList(new ArrayList<>());
  private final InProcessHttp http = new InProcessHttp("replay", this::answer);

  ReplayHttp xml(String operation, String body) {
    return reply(operation, 200, "text/xml", body);
  }

  ReplayHttp json(String operation, String body) {
    return reply(operation, 200, "application/x-amz-json-1.1", body);
  }

  ReplayHttp reply(String operation, int status, String contentType, String body) {
    script
        .computeIfAbsent(operation, o -> new ArrayDeque<>())
        .add(new Reply(status, contentType, body));
    return this;
  }

  List<String> operations() {
    return journal.stream().map(Sent::operation).toList();
  }

  List<Sent> sent(String operation) {
    return journal.stream().filter(s -> s.operation().equals(operation)).toList();
  }

  static String operation(SdkHttpRequest request, String body) {
    String target = request.firstMatchingHeader("X-Amz-Target").orElse(null);
    if (target != null) {
      return target.substring(target.indexOf('.') + 1);
    }
    for (String pair : body.split("&", -1)) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
      }
    }
    Map<String, List<String>> q = request.rawQueryParameters();
    String path = request.encodedPath();
    if (path.equals("/2015-02-01/file-systems")) {
      return "DescribeFileSystems"; // EFS, REST-JSON
    }
    if (path.isEmpty() || path.equals("/")) {
      return "ListBuckets";
    }
    for (String sub : List.of("encryption", "tagging", "location")) {
      if (q.containsKey(sub)) {
        return switch (sub) {
          case "encryption" -> "GetBucketEncryption";
          case "tagging" -> "GetBucketTagging";
          default -> "GetBucketLocation";
        };
      }
    }
    return request.method() + " " + path;
  }

  /** The signing name in the request's SigV4 credential scope, or "" when it is not signed. */
  static String signingName(SdkHttpRequest request) {
    String auth = request.firstMatchingHeader("Authorization").orElse("");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request")
            .matcher(auth);
    return m.find() ? m.group(1) : "";
  }

  /** The requests sent to the service signed as {@code signingName}. */
  List<Sent> sentTo(String signingName) {
    return journal.stream().filter(s -> signingName(s.request()).equals(signingName)).toList();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return http.prepareRequest(request);
  }

  private InProcessHttp.Reply answer(SdkHttpRequest request, String body) {
    String operation = operation(request, body);
    journal.add(new Sent(operation, request, body));
    // Answers scripted as "SIGNING-NAME/Operation" (EFS's and FSx's DescribeFileSystems share a
    // name) come before those scripted by operation alone.
    Deque<Reply> replies = script.get(signingName(request) + "/" + operation);
    if (replies == null) {
      replies = script.get(operation);
    }
    Reply reply =
        replies == null || replies.isEmpty()
            ? new Reply(
                500,
                "application/json",
                "{\"__type\":\"Unscripted\",\"message\":\"no answer scripted for "
                    + operation
                    + "\"}")
            : replies.size() == 1 ? replies.peekFirst() : replies.removeFirst();
    return new InProcessHttp.Reply(reply.status(), reply.contentType(), reply.body(), "req-1");
  }

  @Override
  public void close() {}
}

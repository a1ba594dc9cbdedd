package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.testkit.kms.Caller;
import java.time.Instant;
import java.util.Map;

/** Decoded calls for tests of the wire layer. */
final class Calls {
  static final AccountId ACCOUNT = AccountId.of("123456789012");

  private Calls() {}

  static AwsCall kms(String operation, Map<String, String> input) {
    return call("kms", operation, ACCOUNT, "us-east-1", input);
  }

  static AwsCall call(
      String service,
      String operation,
      AccountId account,
      String region,
      Map<String, String> input) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    input.forEach(json::put);
    return new AwsCall(
        service,
        operation,
        region,
        Caller.root(account),
        json,
        "request-id",
        Instant.parse("2026-03-01T10:00:00Z"),
        "",
        "127.0.0.1");
  }
}

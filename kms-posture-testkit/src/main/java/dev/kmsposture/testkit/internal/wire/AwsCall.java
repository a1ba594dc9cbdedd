package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.kms.Caller;
import java.time.Instant;
import java.util.Objects;

/**
 * One decoded request to an emulated AWS service, the same whether it came in-process from an SDK
 * client or over HTTP.
 *
 * @param service the emulated service: {@code kms}, {@code cloudtrail} or {@code sts}
 * @param operation the operation name as AWS spells it, such as {@code CreateKey}
 * @param region the Region from the SigV4 credential scope
 * @param caller who signed the request (from its access key)
 * @param input the request body: the JSON object for JSON 1.1 services, the form parameters as a
 *     flat object of strings for query-protocol services (STS)
 * @param requestId the request id the response carries in {@code x-amzn-RequestId}
 * @param receivedAt when the request arrived, on the emulator's clock
 * @param userAgent the {@code User-Agent} header, or empty
 * @param sourceIpAddress the client address, {@code 127.0.0.1} in-process
 */
public record AwsCall(
    String service,
    String operation,
    String region,
    Caller caller,
    ObjectNode input,
    String requestId,
    Instant receivedAt,
    String userAgent,
    String sourceIpAddress) {

  /** Checks that no part is null. */
  public AwsCall {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(sourceIpAddress, "sourceIpAddress");
  }
}

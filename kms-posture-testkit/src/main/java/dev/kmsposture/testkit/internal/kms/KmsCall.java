package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.testkit.internal.wire.AwsCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One request as the engine works on it: the decoded call, its body reader, the journal event id it
 * will be recorded under, and the keys it touched.
 */
final class KmsCall {
  final AwsCall call;
  final Request in;
  final String eventId;
  final List<String> keyArns = new ArrayList<>(2);

  KmsCall(AwsCall call, String eventId) {
    this.call = call;
    this.in = new Request(call.input());
    this.eventId = eventId;
  }

  String operation() {
    return call.operation();
  }

  String region() {
    return call.region();
  }

  String account() {
    return call.caller().account().value();
  }

  String principalArn() {
    return call.caller().principalArn();
  }

  Instant now() {
    return call.receivedAt();
  }

  void touched(KmsKey key) {
    if (!keyArns.contains(key.arn)) {
      keyArns.add(key.arn);
    }
  }
}

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
  // the ARNs of the keys touched, in order, each once: an unmodifiable list, replaced as it grows
  // (a call touches one key, or two), which the journal entry keeps as it is, without a copy
  private List<String> keyArns = List.of();

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
    keyArns = with(keyArns, key.arn);
  }

  /** The ARNs of the keys touched so far, in order, each once; unmodifiable. */
  List<String> keyArns() {
    return keyArns;
  }

  /** {@code arns} with {@code arn} added at the end unless it is there; unmodifiable. */
  static List<String> with(List<String> arns, String arn) {
    if (arns.isEmpty()) {
      return List.of(arn);
    }
    if (arns.contains(arn)) {
      return arns;
    }
    List<String> more = new ArrayList<>(arns.size() + 1);
    more.addAll(arns);
    more.add(arn);
    return List.copyOf(more);
  }
}

package dev.kmsposture.testkit.kms.conformance;

import java.util.stream.Stream;

/**
 * The transports the conformance suite runs in. The suite is written once; each transport added
 * here (the HTTP transport of {@code LocalKmsServer}) runs every conformance test again.
 */
public final class ConformanceModes {
  private ConformanceModes() {}

  /** Every transport, as the argument source of the conformance classes. */
  public static Stream<KmsTransport> modes() {
    return Stream.of(KmsTransport.IN_PROCESS, KmsTransport.HTTP);
  }
}

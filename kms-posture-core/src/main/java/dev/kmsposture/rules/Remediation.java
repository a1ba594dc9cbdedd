package dev.kmsposture.rules;

import java.util.Objects;

/**
 * How to fix what a rule finds: a sentence, the AWS CLI command and the SDK for Java v2 call.
 * Commands use placeholders such as {@code <key-id>}.
 *
 * @param description what to do, in one or two sentences
 * @param cliCommand the AWS CLI command, e.g. {@code aws kms enable-key-rotation --key-id <key-id>}
 * @param sdkCall the SDK call, e.g. {@code kms.enableKeyRotation(r -> r.keyId(keyId))}
 */
public record Remediation(String description, String cliCommand, String sdkCall) {
  /** Checks that every part is present. */
  public Remediation {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(cliCommand, "cliCommand");
    Objects.requireNonNull(sdkCall, "sdkCall");
  }
}

package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.internal.wire.AwsServiceHandler;
import dev.kmsposture.testkit.kms.RequestJournal;
import java.time.Clock;
import java.util.Objects;

/**
 * The embedded KMS's service: keys, aliases, tags, grants, policies and cryptography across
 * accounts and Regions, answering {@link AwsCall}s for service {@code kms} (target prefix {@code
 * TrentService}).
 */
public final class KmsEngine implements AwsServiceHandler {
  private final Clock clock;
  private final RequestJournal journal;

  /** Creates an empty engine on {@code clock} that records into {@code journal}. */
  public KmsEngine(Clock clock, RequestJournal journal) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.journal = Objects.requireNonNull(journal, "journal");
  }

  @Override
  public JsonNode handle(AwsCall call) {
    throw AwsServiceError.client(
        "UnknownOperationException",
        String.format(
            "operation [%s] is not supported by the embedded KMS (clock %s, %d journal entries)",
            call.operation(), clock.getZone(), journal.entries().size()));
  }
}

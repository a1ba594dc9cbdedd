package dev.kmsposture.testkit.internal.kms;

import java.time.Instant;

/**
 * The last successful cryptographic operation on a key, as {@code GetKeyLastUsage} reports it.
 *
 * @param operation the operation, such as {@code Decrypt}
 * @param timestamp when it happened
 * @param cloudTrailEventId the journal entry's event id
 * @param kmsRequestId the request id of the call
 */
record LastUsage(
    String operation, Instant timestamp, String cloudTrailEventId, String kmsRequestId) {}

package dev.kmsposture.testkit.internal.kms;

import java.time.Instant;

/**
 * An alias in one account and Region.
 *
 * @param name the alias name, {@code alias/...}
 * @param targetKeyId the id of the key it points to
 * @param creationDate when it was created
 * @param lastUpdatedDate when it was created or last pointed at another key
 */
record AliasRecord(
    String name, String targetKeyId, Instant creationDate, Instant lastUpdatedDate) {}

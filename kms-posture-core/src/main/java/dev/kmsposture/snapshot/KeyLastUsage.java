package dev.kmsposture.snapshot;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GetKeyLastUsage} says. Tri-state: used (a timestamp), never used since creation (no
 * timestamp and the key was created on or after tracking started), or unknown before tracking
 * started.
 *
 * @param lastUsedAt when the key was last used, or null if not since tracking began
 * @param operation the operation of the last use, or null
 * @param trackingStartDate the later of tracking start and key creation, or null when unknown
 */
public record KeyLastUsage(
    @Nullable Instant lastUsedAt,
    @Nullable String operation,
    @Nullable Instant trackingStartDate) {}

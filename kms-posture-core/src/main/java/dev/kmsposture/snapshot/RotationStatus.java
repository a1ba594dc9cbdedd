package dev.kmsposture.snapshot;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GetKeyRotationStatus} says.
 *
 * @param enabled whether automatic rotation is enabled ({@code KeyRotationEnabled}); KMS reports
 *     false for a key pending deletion, and true again once deletion is cancelled
 * @param rotationPeriodInDays the automatic rotation period (90 to 2560), or null
 * @param nextRotationDate the next automatic rotation, or null
 * @param onDemandRotationStartDate when an on-demand rotation in progress started, or null
 */
public record RotationStatus(
    boolean enabled,
    @Nullable Integer rotationPeriodInDays,
    @Nullable Instant nextRotationDate,
    @Nullable Instant onDemandRotationStartDate) {}

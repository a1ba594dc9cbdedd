package dev.kmsposture.testkit.internal.kms;

import java.time.Instant;

/**
 * One completed rotation of a key's material, as {@code ListKeyRotations} lists it.
 *
 * @param materialId the id of the material the rotation made current
 * @param date when the rotation completed
 * @param type {@code AUTOMATIC} or {@code ON_DEMAND}
 */
record RotationRecord(String materialId, Instant date, String type) {}

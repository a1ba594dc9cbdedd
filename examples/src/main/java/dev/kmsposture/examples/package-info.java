/**
 * Small, compiled and tested programs that show each use of kms-posture. Example programs arrive
 * with the features they show (create a key, scan, embed a custom rule, assert on a policy).
 */
@NullMarked
package dev.kmsposture.examples;

import org.jspecify.annotations.NullMarked;

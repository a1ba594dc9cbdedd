/** AWS-facing parts. */
package dev.kmsposture.aws;

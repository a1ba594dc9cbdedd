package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;

/** One KMS API operation: answers a call with its response body or throws an AWS error. */
@FunctionalInterface
interface Operation {
  JsonNode run(KmsCall call);
}

package dev.kmsposture.rules.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import java.util.Map;

/**
 * Snapshot JSON fixtures for rule tests: a well-made customer-managed key in account 111122223333,
 * us-east-1, captured at {@link #NOW}, which each test changes by deep-merging a JSON text block
 * (an explicit {@code null} removes a field). Nothing but the metadata is collected unless the
 * overrides add it.
 */
final class Fixtures {
  static final String ACCOUNT = "111122223333";
  static final String NOW = "2026-06-01T00:00:00Z";
  static final String ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/" + ID;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** Returns the JSON of key {@code id} in us-east-1: the default key with {@code overrides}. */
  static String key(String id, String overrides) {
    String base =
        """
        {
          "arn": "arn:aws:kms:us-east-1:111122223333:key/%s",
          "keyId": "%s",
          "region": "us-east-1",
          "metadata": {
            "keyManager": "CUSTOMER",
            "keySpec": "SYMMETRIC_DEFAULT",
            "keyUsage": "ENCRYPT_DECRYPT",
            "origin": "AWS_KMS",
            "keyState": "Enabled",
            "creationDate": "2025-01-01T00:00:00Z",
            "description": "Encrypts customer PII in the prod orders database"
          }
        }
        """
            .formatted(id, id);
    return merge(base, overrides);
  }

  /** Returns the JSON of the default key ({@link #ID}) with {@code overrides}. */
  static String key(String overrides) {
    return key(ID, overrides);
  }

  /** The id shared by the multi-Region fixture keys. */
  static final String MRK = "mrk-0123456789abcdef0123456789abcdef";

  /** The primary of the multi-Region fixture set, in us-east-1. */
  static final String PRIMARY_ARN = "arn:aws:kms:us-east-1:111122223333:key/" + MRK;

  /** The replica of the multi-Region fixture set, in eu-west-1. */
  static final String REPLICA_ARN = "arn:aws:kms:eu-west-1:111122223333:key/" + MRK;

  /**
   * Returns the JSON of the multi-Region key of {@code keyType} (PRIMARY in us-east-1, REPLICA in
   * eu-west-1) of a set with one replica, with {@code overrides}.
   */
  static String mrk(String keyType, String overrides) {
    boolean primary = keyType.equals("PRIMARY");
    String region = primary ? "us-east-1" : "eu-west-1";
    String base =
        """
        {
          "arn": "arn:aws:kms:%s:111122223333:key/%s",
          "keyId": "%s",
          "region": "%s",
          "metadata": {"multiRegion": {"keyType": "%s",
            "primaryKey": {"arn": "%s", "region": "us-east-1"},
            "replicaKeys": [{"arn": "%s", "region": "eu-west-1"}]}}
        }
        """
            .formatted(region, MRK, MRK, region, keyType, PRIMARY_ARN, REPLICA_ARN);
    return merge(key(MRK, base), overrides);
  }

  /** Returns a snapshot holding {@code keys} (JSON objects), with no trails collected. */
  static AccountSnapshot snapshot(String... keys) {
    return snapshotWith("{}", keys);
  }

  /** Returns a snapshot holding {@code keys}, with {@code overrides} merged into the envelope. */
  static AccountSnapshot snapshotWith(String overrides, String... keys) {
    String envelope =
        """
        {
          "schemaVersion": 1,
          "account": "111122223333",
          "partition": "aws",
          "regions": ["us-east-1"],
          "capturedAt": "%s",
          "keys": [%s]
        }
        """
            .formatted(NOW, String.join(",", keys));
    return AccountSnapshot.parse(merge(envelope, overrides));
  }

  /** Runs {@code rule} on the single key with {@code overrides}; expects exactly one finding. */
  static Finding one(KeyRule rule, String overrides) {
    return one(rule, PostureConfig.defaults(), overrides);
  }

  /** Runs {@code rule} with {@code config} on the single key with {@code overrides}. */
  static Finding one(KeyRule rule, PostureConfig config, String overrides) {
    List<Finding> findings = run(rule, config, snapshot(key(overrides)), ARN);
    assertThat(findings).hasSize(1);
    return findings.get(0);
  }

  /** Runs {@code rule} on the key {@code arn} of {@code snapshot}. */
  static List<Finding> run(
      KeyRule rule, PostureConfig config, AccountSnapshot snapshot, String arn) {
    KeySnapshot key = snapshot.key(arn).orElseThrow();
    return rule.check(key, RuleContext.of(snapshot, config));
  }

  /** Returns the configuration {@code yaml} over the defaults. */
  static PostureConfig config(String yaml) {
    return PostureConfig.parse(yaml);
  }

  static String merge(String baseJson, String overridesJson) {
    try {
      JsonNode base = JSON.readTree(baseJson);
      JsonNode over = JSON.readTree(overridesJson);
      mergeInto((ObjectNode) base, (ObjectNode) over);
      return JSON.writeValueAsString(base);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("fixture JSON is malformed: " + e.getMessage(), e);
    }
  }

  private static void mergeInto(ObjectNode base, ObjectNode over) {
    for (Map.Entry<String, JsonNode> e : over.properties()) {
      JsonNode current = base.get(e.getKey());
      if (e.getValue().isNull()) {
        base.remove(e.getKey());
      } else if (current instanceof ObjectNode objectNode
          && e.getValue() instanceof ObjectNode value) {
        mergeInto(objectNode, value);
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }
}

package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Snapshot JSON fixtures for the key-policy, access and grant rules: one key per snapshot, written
 * as snapshot JSON (schema version 1) and read back with {@link AccountSnapshot#parse(String)}.
 */
final class PolicyRuleFixtures {
  static final String ACCOUNT = "111122223333";
  static final String OTHER_ACCOUNT = "444455556666";
  static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  /** The console's default key policy: the root "Enable IAM User Permissions" statement. */
  static final String DEFAULT_POLICY =
      """
      {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
          {
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "kms:*",
            "Resource": "*"
          }
        ]
      }
      """;

  private PolicyRuleFixtures() {}

  /** Returns a policy with the root statement followed by {@code statements} (JSON objects). */
  static String rootAnd(String... statements) {
    StringBuilder sb =
        new StringBuilder(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Root", "Effect": "Allow",
               "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": "kms:*", "Resource": "*"}""");
    for (String s : statements) {
      sb.append(",\n  ").append(s);
    }
    return sb.append("\n]}").toString();
  }

  /** Returns a key fixture: a customer-managed symmetric key aliased {@code alias}. */
  static Key cmk(String alias) {
    return new Key("CUSTOMER", alias);
  }

  /** Returns a key fixture: an AWS managed key aliased {@code aws/<service>}. */
  static Key awsManaged(String service) {
    return new Key("AWS", "aws/" + service);
  }

  /** Runs {@code rule} on the snapshot's only key with the default configuration. */
  static List<Finding> check(KeyRule rule, AccountSnapshot snapshot) {
    return check(rule, snapshot, PostureConfig.defaults());
  }

  /** Runs {@code rule} on the snapshot's only key with {@code config}. */
  static List<Finding> check(KeyRule rule, AccountSnapshot snapshot, PostureConfig config) {
    KeySnapshot key = snapshot.keys().get(0);
    return rule.check(key, RuleContext.of(snapshot, config));
  }

  /** Returns {@code text} as a JSON string literal. */
  static String jsonString(String text) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** A key in snapshot JSON, built field by field. Not thread-safe. */
  static final class Key {
    private final String manager;
    private @Nullable String alias;
    private String spec = "SYMMETRIC_DEFAULT";
    private String usage = "ENCRYPT_DECRYPT";
    private String description = "";
    private @Nullable String tags = "{}";
    private @Nullable String policy = DEFAULT_POLICY;
    private @Nullable String grants;
    private @Nullable String resources;
    private @Nullable String unreadable;
    private boolean aliasesCollected = true;

    private Key(String manager, String alias) {
      this.manager = manager;
      this.alias = alias;
    }

    Key noAlias() {
      this.alias = null;
      return this;
    }

    Key aliasesNotCollected() {
      this.aliasesCollected = false;
      return this;
    }

    Key spec(String spec, String usage) {
      this.spec = spec;
      this.usage = usage;
      return this;
    }

    Key description(String description) {
      this.description = description;
      return this;
    }

    /** Sets the tags as a JSON object, or null for "not collected". */
    Key tags(@Nullable String tagsJson) {
      this.tags = tagsJson;
      return this;
    }

    /** Sets the policy text, or null for "not collected". */
    Key policy(@Nullable String policy) {
      this.policy = policy;
      return this;
    }

    /** Sets the grants as a JSON array, or null for "not collected". */
    Key grants(@Nullable String grantsJson) {
      this.grants = grantsJson;
      return this;
    }

    /** Sets the resources as a JSON array. */
    Key resources(String resourcesJson) {
      this.resources = resourcesJson;
      return this;
    }

    /** Records that {@code part} could not be read. */
    Key unreadable(String part, String reason) {
      this.unreadable = "{" + jsonString(part) + ": " + jsonString(reason) + "}";
      return this;
    }

    /** Returns the key as snapshot JSON. */
    String json() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          """
          {
            "arn": "%s",
            "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
            "region": "us-east-1",
            "metadata": {
              "keyManager": "%s",
              "keySpec": "%s",
              "keyUsage": "%s",
              "origin": "AWS_KMS",
              "keyState": "Enabled",
              "creationDate": "2025-01-15T10:00:00Z",
              "description": %s
            }"""
              .formatted(KEY_ARN, manager, spec, usage, jsonString(description)));
      if (aliasesCollected) {
        sb.append(",\n  \"aliases\": ")
            .append(alias == null ? "[]" : "[" + jsonString("alias/" + alias) + "]");
      }
      if (tags != null) {
        sb.append(",\n  \"tags\": ").append(tags);
      }
      if (policy != null) {
        sb.append(",\n  \"policy\": ").append(jsonString(policy));
      }
      if (grants != null) {
        sb.append(",\n  \"grants\": ").append(grants);
      }
      if (resources != null) {
        sb.append(",\n  \"resources\": ").append(resources);
      }
      if (unreadable != null) {
        sb.append(",\n  \"unreadable\": ").append(unreadable);
      }
      return sb.append("\n}").toString();
    }

    /** Returns a snapshot of the key's account holding only this key. */
    AccountSnapshot snapshot() {
      return AccountSnapshot.parse(
          """
          {
            "schemaVersion": 1,
            "account": "111122223333",
            "partition": "aws",
            "regions": ["us-east-1"],
            "capturedAt": "2026-11-28T12:00:00Z",
            "keys": [%s]
          }
          """
              .formatted(json()));
    }
  }
}

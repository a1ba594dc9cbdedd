package dev.kmsposture.report;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.CollectionError;
import dev.kmsposture.snapshot.KeyEvent;
import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.snapshot.RotationStatus;
import dev.kmsposture.snapshot.TrailSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Account snapshots of every kind of key the rules tell apart, from a seed: symmetric, asymmetric,
 * HMAC and imported keys; AWS managed; disabled and pending deletion; multi-Region primaries with
 * their replicas (listed before or after them); keys sharing an alias name; production tags and
 * names; least-privilege, default, public, cross-account and unparseable policies, and parts not
 * collected or unreadable; trails present, missing or empty, and collection errors.
 */
final class GeneratedSnapshots {
  static final String ACCOUNT = "111122223333";
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  private GeneratedSnapshots() {}

  static AccountSnapshot snapshot(long seed, int keys) {
    Random r = new Random(seed);
    List<KeySnapshot> list = new ArrayList<>();
    List<KeySnapshot> replicas = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      list.add(key(i, r, replicas));
    }
    // Replicas go anywhere: before their primary, after it, at the end.
    for (KeySnapshot replica : replicas) {
      list.add(r.nextInt(list.size() + 1), replica);
    }
    List<TrailSnapshot> trails =
        switch (r.nextInt(3)) {
          case 0 -> null;
          case 1 -> List.of();
          default ->
              List.of(
                  TrailSnapshot.builder()
                      .name("management-events")
                      .homeRegion("us-east-1")
                      .multiRegion(r.nextBoolean())
                      .logging(r.nextInt(3) == 0 ? null : true)
                      .eventSelectors(
                          List.of(new TrailSnapshot.EventSelector("All", true, List.of())))
                      .build());
        };
    List<CollectionError> errors =
        r.nextInt(4) == 0
            ? List.of(new CollectionError("eu-west-1", "ListKeys", "AccessDeniedException: no"))
            : List.of();
    return AccountSnapshot.builder()
        .account(ACCOUNT)
        .regions(List.of("us-east-1", "us-west-2", "eu-west-1"))
        .capturedAt(NOW)
        .keys(list)
        .trails(trails)
        .collectionErrors(errors)
        .build();
  }

  private static KeySnapshot key(int i, Random r, List<KeySnapshot> replicas) {
    String id = String.format("%08x-0000-4000-8000-%012x", i, (long) i * 7919L);
    String region = i % 5 == 0 ? "us-west-2" : "us-east-1";
    int kind = r.nextInt(100);
    String spec = "SYMMETRIC_DEFAULT";
    String usage = "ENCRYPT_DECRYPT";
    String origin = "AWS_KMS";
    String manager = "CUSTOMER";
    String state = "Enabled";
    MultiRegionConfiguration mrk = null;
    String expirationModel = null;
    Instant validTo = null;
    if (kind < 8) {
      spec = "RSA_2048";
      usage = "SIGN_VERIFY";
    } else if (kind < 12) {
      spec = "HMAC_256";
      usage = "GENERATE_VERIFY_MAC";
    } else if (kind < 15) {
      origin = "EXTERNAL";
      expirationModel = "KEY_MATERIAL_EXPIRES";
      validTo = NOW.plus(Duration.ofDays(r.nextInt(400)));
    } else if (kind < 20) {
      manager = "AWS";
    } else if (kind < 28) {
      id = "mrk-" + String.format("%032x", (long) i);
      region = "us-east-1";
      String primary = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + id;
      String replica = "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/" + id;
      List<MultiRegionConfiguration.MultiRegionKey> replicaKeys =
          List.of(new MultiRegionConfiguration.MultiRegionKey(replica, "eu-west-1"));
      mrk =
          new MultiRegionConfiguration(
              "PRIMARY",
              new MultiRegionConfiguration.MultiRegionKey(primary, "us-east-1"),
              replicaKeys);
      if (r.nextInt(4) != 0) {
        // Most primaries have their replica in the snapshot; some differ from it.
        MultiRegionConfiguration rc =
            new MultiRegionConfiguration(
                "REPLICA",
                new MultiRegionConfiguration.MultiRegionKey(primary, "us-east-1"),
                replicaKeys);
        replicas.add(
            KeySnapshot.builder(
                    replica,
                    metadata(r, "CUSTOMER", spec, usage, origin, "Enabled", rc, null, null))
                .aliases(List.of("alias/" + (r.nextBoolean() ? "prod" : "staging") + "-mrk-" + i))
                .tags(Map.of("Owner", "team-" + i % 3, "MultiRegion", r.nextBoolean() ? "dr" : ""))
                .policy(policy(i, r.nextInt(12)))
                .build());
      }
    } else if (kind < 32) {
      state = "Disabled";
    } else if (kind < 35) {
      state = "PendingDeletion";
    }
    String arn = "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + id;
    KeyMetadata md =
        metadata(r, manager, spec, usage, origin, state, mrk, expirationModel, validTo);
    String env = r.nextInt(3) == 0 ? "prod" : "staging";
    String alias =
        manager.equals("AWS")
            ? "alias/aws/" + List.of("ebs", "s3", "rds", "sqs").get(i % 4)
            // Some keys share a name, so the report tells them apart by ARN.
            : "alias/" + env + "-service-" + (r.nextInt(6) == 0 ? 1 : i);
    KeySnapshot.Builder b = KeySnapshot.builder(arn, md);
    if (r.nextInt(15) != 0) {
      b.aliases(r.nextInt(10) == 0 ? List.of() : List.of(alias));
    }
    if (r.nextInt(15) != 0) {
      b.tags(
          r.nextInt(4) == 0
              ? Map.of("Owner", "team-" + (i % 17))
              : Map.of(
                  "Owner",
                  "team-" + (i % 17),
                  "Environment",
                  env,
                  "DataClassification",
                  r.nextBoolean() ? "restricted" : "internal"));
    }
    int shape = r.nextInt(12);
    if (shape == 11) {
      b.unreadable(KeyPart.POLICY, "AccessDeniedException: not authorized");
    } else {
      b.policy(policy(i, shape));
    }
    if (spec.equals("SYMMETRIC_DEFAULT") && origin.equals("AWS_KMS") && r.nextInt(10) != 0) {
      b.rotation(new RotationStatus(r.nextInt(3) != 0, 365, NOW.plus(Duration.ofDays(90)), null));
    }
    Instant created = md.creationDate();
    if (r.nextInt(8) != 0) {
      b.grants(
          r.nextInt(3) == 0
              ? List.of(
                  new KeyGrant(
                      "grant-" + i,
                      null,
                      r.nextBoolean()
                          ? "arn:aws:iam::" + ACCOUNT + ":role/ebs-attach"
                          : "arn:aws:iam::444455556666:root",
                      null,
                      ACCOUNT,
                      List.of("Decrypt", "CreateGrant"),
                      Map.of(),
                      Map.of(),
                      created))
              : List.of());
    }
    if (r.nextInt(6) != 0) {
      b.lastUsage(
          new KeyLastUsage(
              r.nextInt(4) == 0 ? null : NOW.minus(Duration.ofDays(r.nextInt(200))),
              "Decrypt",
              r.nextBoolean() ? created : created.plus(Duration.ofDays(40))));
    }
    b.keyEvents(
        state.equals("PendingDeletion")
            ? List.of(
                new KeyEvent(
                    NOW.minus(Duration.ofDays(18)),
                    "ScheduleKeyDeletion",
                    null,
                    r.nextBoolean() ? 30 : 7,
                    null))
            : List.of());
    return b.build();
  }

  private static KeyMetadata metadata(
      Random r,
      String manager,
      String spec,
      String usage,
      String origin,
      String state,
      @Nullable MultiRegionConfiguration mrk,
      @Nullable String expirationModel,
      @Nullable Instant validTo) {
    Instant created = NOW.minus(Duration.ofDays(30 + r.nextInt(1500)));
    return KeyMetadata.builder()
        .keyManager(manager)
        .keySpec(spec)
        .keyUsage(usage)
        .origin(origin)
        .keyState(state)
        .creationDate(created)
        .deletionDate(state.equals("PendingDeletion") ? NOW.plus(Duration.ofDays(12)) : null)
        .description(r.nextInt(10) == 0 ? "" : "data key for service " + r.nextInt(40))
        .multiRegion(mrk)
        .expirationModel(expirationModel)
        .validTo(validTo)
        .build();
  }

  private static String policy(int key, int shape) {
    String root =
        "{\"Sid\":\"EnableRoot\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    String admins =
        "{\"Sid\":\"KeyAdministrators\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/SecurityAdmin\"},\"Action\":[\"kms:Describe*\",\"kms:PutKeyPolicy\","
            + "\"kms:ScheduleKeyDeletion\",\"kms:CancelKeyDeletion\",\"kms:EnableKeyRotation\","
            + "\"kms:TagResource\",\"kms:UntagResource\"],\"Resource\":\"*\"}";
    String users =
        "{\"Sid\":\"KeyUsers\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/app-"
            + key % 7
            + "\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:GenerateDataKey*\"],"
            + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":"
            + "\"s3.us-east-1.amazonaws.com\"}}}";
    String everyone =
        "{\"Sid\":\"Everyone\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
            + "\"Resource\":\"*\"}";
    String partner =
        "{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::444455556666:root\"},\"Action\":[\"kms:Decrypt\"],\"Resource\":\"*\"}";
    String adminUse =
        "{\"Sid\":\"AdminUse\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/SecurityAdmin\"},\"Action\":[\"kms:Decrypt\",\"kms:PutKeyPolicy\"],"
            + "\"Resource\":\"*\"}";
    List<String> statements =
        switch (shape) {
          case 0, 1, 2 -> List.of(root);
          case 3, 4, 5 -> List.of(admins, users);
          case 6 -> List.of(root, everyone);
          case 7 -> List.of(root, admins, users, partner);
          case 8 -> List.of(adminUse, users);
          case 9 -> List.of(users);
          default -> List.of(root, admins, root.replace("EnableRoot", "EnableRootAgain"));
        };
    if (shape == 10 && key % 2 == 0) {
      // A policy that does not parse: the principal given twice.
      return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "\"*\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }
}

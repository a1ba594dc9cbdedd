package dev.kmsposture.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyEvent;
import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.RotationStatus;
import dev.kmsposture.snapshot.TrailSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Account snapshots of any size, generated with a fixed seed: a realistic mix of symmetric
 * customer-managed keys with least-privilege, default and public policies, asymmetric and HMAC
 * keys, imported material, multi-Region primaries, AWS-managed keys, grants, usage and events. The
 * benchmarks check them ({@code kms-posture-bench}: {@code PostureEngineBenchmark}, {@code
 * SnapshotFile}) and the command line's tests run {@code check} on them at scale; the same
 * arguments always give the same bytes, which is how reports of runs are compared.
 *
 * <p>Policies repeat as in a real account ({@code templates}: about 100 distinct texts, made from a
 * handful of templates that differ in the application role they name) or all differ ({@code
 * unique}: every key's policy names its own roles and carries its own Id).
 */
public final class ScaleSnapshots {
  /** The account of every generated snapshot. */
  public static final String ACCOUNT = "111122223333";

  /** When every generated snapshot was captured: the rules' "now". */
  public static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  /** The seed of {@link #write}. */
  public static final long SEED = 7;

  private static final int BATCH = 1000;

  private ScaleSnapshots() {}

  /**
   * Writes the snapshot of {@code keys} keys to {@code file}, as {@link #write(int, boolean,
   * OutputStream)} does.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, int keys, boolean unique) throws IOException {
    write(file, keys, unique, false);
  }

  /**
   * Writes the snapshot of {@code keys} keys to {@code file}, as {@link #write(int, boolean,
   * boolean, OutputStream)} does.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, int keys, boolean unique, boolean inventory)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(keys, unique, inventory, out);
    }
  }

  /**
   * Writes a snapshot of {@code keys} keys, drawn with the seed {@link #SEED}, to {@code out} (left
   * open) as JSON, key by key: the generator holds a thousand keys at a time, never the whole
   * snapshot, so that snapshots of a million keys can be written.
   *
   * @param keys the number of keys
   * @param unique whether every policy text differs, or policies repeat from templates
   * @param out where the JSON goes
   * @throws IOException if {@code out} cannot be written
   */
  public static void write(int keys, boolean unique, OutputStream out) throws IOException {
    write(keys, unique, false, out);
  }

  /**
   * Writes a snapshot of {@code keys} keys as {@link #write(int, boolean, OutputStream)} does; with
   * {@code inventory}, an empty resource inventory comes before the keys, as the snapshot writer
   * puts it ({@code kms-posture scan --resources}); without it the document has no inventory (a
   * scan without {@code --resources}), so a reader must hold the keys until the end.
   *
   * @param keys the number of keys
   * @param unique whether every policy text differs, or policies repeat from templates
   * @param inventory whether an empty inventory precedes the keys
   * @param out where the JSON goes
   * @throws IOException if {@code out} cannot be written
   */
  public static void write(int keys, boolean unique, boolean inventory, OutputStream out)
      throws IOException {
    write(keys, unique, inventory, false, out);
  }

  /**
   * Writes a snapshot as {@link #write(int, boolean, boolean, OutputStream)} does; with {@code
   * manyMultiRegion}, about 40% of the keys are multi-Region primaries (each naming a replica in
   * another Region) instead of 4%: the other choices, and so the other keys, stay the same.
   *
   * @param keys the number of keys
   * @param unique whether every policy text differs, or policies repeat from templates
   * @param inventory whether an empty inventory precedes the keys
   * @param manyMultiRegion whether half the plain symmetric keys are multi-Region primaries
   * @param out where the JSON goes
   * @throws IOException if {@code out} cannot be written
   */
  public static void write(
      int keys, boolean unique, boolean inventory, boolean manyMultiRegion, OutputStream out)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Random random = new Random(SEED);
    try (JsonGenerator g =
        new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
      g.setCodec(mapper);
      g.useDefaultPrettyPrinter();
      // The header (account, regions, trails) as the generated snapshot has it, keys apart.
      AccountSnapshot empty = snapshot(0, random, unique);
      JsonNode header =
          mapper.readTree(
              (inventory ? empty.withInventory(ResourceInventory.empty()) : empty).toJson());
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : header.properties()) {
        if (field.getKey().equals("keys")) {
          g.writeArrayFieldStart("keys");
          for (int from = 0; from < keys; from += BATCH) {
            for (JsonNode key :
                batch(
                    mapper, from, Math.min(keys, from + BATCH), random, unique, manyMultiRegion)) {
              g.writeTree(key);
            }
          }
          g.writeEndArray();
        } else {
          g.writeFieldName(field.getKey());
          g.writeTree(field.getValue());
        }
      }
      g.writeEndObject();
      g.writeRaw('\n');
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static JsonNode batch(
      ObjectMapper mapper, int from, int to, Random random, boolean unique, boolean many)
      throws IOException {
    List<KeySnapshot> list = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      list.add(key(i, random, unique, many));
    }
    AccountSnapshot part = AccountSnapshot.of(ACCOUNT, NOW, list);
    return mapper.readTree(part.toJson()).get("keys");
  }

  /**
   * Returns a snapshot of {@code n} keys drawn from {@code random}; the same seed gives the same
   * snapshot.
   *
   * @param n the number of keys
   * @param random the source of every choice
   * @param uniquePolicies whether every key's policy text differs ({@code unique}) or policies
   *     repeat from templates
   * @return the snapshot, with a CloudTrail trail and the regions us-east-1 and us-west-2
   */
  public static AccountSnapshot snapshot(int n, Random random, boolean uniquePolicies) {
    List<KeySnapshot> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(key(i, random, uniquePolicies));
    }
    TrailSnapshot trail =
        TrailSnapshot.builder()
            .name("management-events")
            .homeRegion("us-east-1")
            .multiRegion(true)
            .logging(true)
            .eventSelectors(List.of(new TrailSnapshot.EventSelector("All", true, List.of())))
            .build();
    return AccountSnapshot.builder()
        .account(ACCOUNT)
        .regions(List.of("us-east-1", "us-west-2"))
        .capturedAt(NOW)
        .keys(list)
        .trails(List.of(trail))
        .build();
  }

  /**
   * Returns key number {@code i}, drawing its choices from {@code random}.
   *
   * @param i the key's number, which its id, alias and role names carry
   * @param random the source of every choice
   * @param uniquePolicies whether the key's policy names the key, so that no two texts are equal
   * @return the key
   */
  public static KeySnapshot key(int i, Random random, boolean uniquePolicies) {
    return key(i, random, uniquePolicies, false);
  }

  /**
   * Returns key number {@code i} as {@link #key(int, Random, boolean)} does, or, with {@code
   * manyMultiRegion} and for half the keys that would be plain symmetric keys, a multi-Region
   * primary in its place (drawing the same choices, so the keys after it are the same).
   */
  public static KeySnapshot key(
      int i, Random random, boolean uniquePolicies, boolean manyMultiRegion) {
    String id = String.format("%08x-0000-4000-8000-%012x", i, (long) i * 7919L);
    String region = i % 5 == 0 ? "us-west-2" : "us-east-1";
    int kind = random.nextInt(100);
    if (manyMultiRegion && kind >= 29 && i % 2 == 0) {
      kind = 20;
    }
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
      validTo = NOW.plus(Duration.ofDays(random.nextInt(400)));
    } else if (kind < 20) {
      manager = "AWS";
    } else if (kind < 24) {
      id = "mrk-" + String.format("%032x", (long) i);
      mrk =
          new MultiRegionConfiguration(
              "PRIMARY",
              new MultiRegionConfiguration.MultiRegionKey(
                  "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + id, "us-east-1"),
              List.of(
                  new MultiRegionConfiguration.MultiRegionKey(
                      "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/" + id, "eu-west-1")));
      region = "us-east-1";
    } else if (kind < 27) {
      state = "Disabled";
    } else if (kind < 29) {
      state = "PendingDeletion";
    }
    String arn = "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + id;
    Instant created = NOW.minus(Duration.ofDays(30 + random.nextInt(1500)));
    KeyMetadata md =
        KeyMetadata.builder()
            .keyManager(manager)
            .keySpec(spec)
            .keyUsage(usage)
            .origin(origin)
            .keyState(state)
            .creationDate(created)
            .deletionDate(state.equals("PendingDeletion") ? NOW.plus(Duration.ofDays(12)) : null)
            .pendingDeletionWindowInDays(state.equals("PendingDeletion") ? 30 : null)
            .description(random.nextInt(10) == 0 ? "" : "data key for service " + (i % 40))
            .multiRegion(mrk)
            .expirationModel(expirationModel)
            .validTo(validTo)
            .build();
    String env = random.nextInt(3) == 0 ? "prod" : "staging";
    String alias =
        manager.equals("AWS")
            ? "alias/aws/" + List.of("ebs", "s3", "rds", "sqs").get(i % 4)
            : "alias/" + env + "-service-" + i;
    KeySnapshot.Builder b =
        KeySnapshot.builder(arn, md)
            .aliases(random.nextInt(12) == 0 ? List.of() : List.of(alias))
            .tags(
                random.nextInt(4) == 0
                    ? Map.of("Owner", "team-" + (i % 17))
                    : Map.of(
                        "Owner",
                        "team-" + (i % 17),
                        "Environment",
                        env,
                        "Purpose",
                        "orders",
                        "DataClassification",
                        random.nextBoolean() ? "restricted" : "internal"))
            .policy(policy(i, random.nextInt(10), uniquePolicies))
            .rotation(
                spec.equals("SYMMETRIC_DEFAULT") && origin.equals("AWS_KMS")
                    ? new RotationStatus(
                        random.nextInt(3) != 0, 365, NOW.plus(Duration.ofDays(90)), null)
                    : null)
            .grants(
                random.nextInt(3) == 0
                    ? List.of(
                        KeyGrant.builder()
                            .grantId("grant-" + i)
                            .granteePrincipal("arn:aws:iam::" + ACCOUNT + ":role/ebs-attach")
                            .issuingAccount(ACCOUNT)
                            .operations(List.of("Decrypt", "CreateGrant"))
                            .creationDate(created)
                            .build())
                    : List.of())
            .lastUsage(
                new KeyLastUsage(
                    random.nextInt(4) == 0 ? null : NOW.minus(Duration.ofDays(random.nextInt(200))),
                    "Decrypt",
                    created))
            .keyEvents(
                state.equals("PendingDeletion")
                    ? List.of(
                        new KeyEvent(
                            NOW.minus(Duration.ofDays(18)), "ScheduleKeyDeletion", null, 30, null))
                    : List.of());
    return b.build();
  }

  // The policy text of key number `i` in one of four shapes. Each key gets its own String, as when
  // a snapshot is read from JSON. From templates, the application role is one of 50; when unique,
  // the role and the policy Id name the key, so no two texts are equal.
  private static String policy(int key, int shape, boolean unique) {
    int i = unique ? key : key % 50;
    String root =
        "{\"Sid\":\"EnableRoot\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    String admins =
        "{\"Sid\":\"KeyAdministrators\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/SecurityAdmin\"},\"Action\":[\"kms:Describe*\",\"kms:PutKeyPolicy\","
            + "\"kms:ScheduleKeyDeletion\",\"kms:CancelKeyDeletion\",\"kms:EnableKeyRotation\","
            + "\"kms:TagResource\",\"kms:UntagResource\",\"kms:CreateAlias\",\"kms:DeleteAlias\"],"
            + "\"Resource\":\"*\"}";
    String users =
        "{\"Sid\":\"KeyUsers\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/app-"
            + i
            + "\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:GenerateDataKey*\","
            + "\"kms:DescribeKey\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
            + "\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\",\"kms:CallerAccount\":\""
            + ACCOUNT
            + "\"}}}";
    String audit =
        "{\"Sid\":\"Auditors\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/Audit\"},\"Action\":[\"kms:DescribeKey\",\"kms:GetKeyPolicy\","
            + "\"kms:GetKeyRotationStatus\",\"kms:ListResourceTags\"],\"Resource\":\"*\"}";
    String grants =
        "{\"Sid\":\"Grants\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":role/app-"
            + i
            + "\"},\"Action\":[\"kms:CreateGrant\",\"kms:ListGrants\",\"kms:RevokeGrant\"],"
            + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"kms:GrantIsForAWSResource\":true}}}";
    String publicViaService =
        "{\"Sid\":\"Shared\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
            + "\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey\"],\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}";
    String crossAccount =
        "{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},"
            + "\"Action\":[\"kms:Decrypt\",\"kms:DescribeKey\"],\"Resource\":\"*\"}";
    List<String> statements;
    if (shape < 3) {
      statements = List.of(root);
    } else if (shape < 7) {
      statements = List.of(admins, users, audit, grants);
    } else if (shape < 8) {
      statements = List.of(root, publicViaService);
    } else {
      statements = List.of(root, admins, users, crossAccount);
    }
    return "{\"Version\":\"2012-10-17\","
        + (unique ? "\"Id\":\"key-policy-" + key + "\"," : "")
        + "\"Statement\":["
        + String.join(",", statements)
        + "]}";
  }
}

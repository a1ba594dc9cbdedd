package dev.kmsposture.bench;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.FindingSink;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyEvent;
import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeyMetadata;
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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole rule library over an account snapshot of {@code keys} keys, on one thread: one
 * operation is one {@link PostureEngine#check} of the whole snapshot (time per operation; divide by
 * the key count for the cost per key). The snapshot is a realistic mix generated with a fixed seed:
 * symmetric customer-managed keys with least-privilege, default and public policies, asymmetric and
 * HMAC keys, imported material, multi-Region primaries and replicas, AWS-managed keys, grants,
 * usage and events.
 *
 * <p>{@code policies} chooses how key policies repeat. {@code templates} (the realistic case): each
 * key carries its own copy of its policy text, made from a handful of templates that differ in the
 * application role they name, about 100 distinct texts, as in an account whose keys come from the
 * console default, CDK or Terraform modules. The engine parses, validates and analyses each
 * distinct text once per check. {@code unique} (the worst case): every key's policy names its own
 * roles, so every policy text differs and every check parses, validates and analyses every policy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
public class PostureEngineBenchmark {
  static final String ACCOUNT = "111122223333";
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  /** The number of keys in the snapshot. */
  @Param({"1000", "10000", "100000"})
  public int keys;

  /** {@code templates}: policies repeat as in a real account; {@code unique}: all differ. */
  @Param({"templates", "unique"})
  public String policies;

  private AccountSnapshot snapshot;
  private PostureEngine engine;

  /** Generates the snapshot with a fixed seed and builds the engine with every built-in rule. */
  @Setup
  public void setUp() {
    snapshot = snapshot(keys, new Random(7), policies.equals("unique"));
    engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
  }

  /** Checks the whole snapshot. */
  @Benchmark
  public PostureReport checkSnapshot() {
    return engine.check(snapshot);
  }

  /**
   * Checks the same snapshot as a stream ({@link PostureEngine#start}): each key handed over in
   * turn, each finding to a sink that only counts it. The engine's own time, with no report held or
   * ordered.
   */
  @Benchmark
  public long checkStreaming() {
    CountingSink sink = new CountingSink();
    PostureEngine.Session session = engine.start(snapshot, "", sink);
    for (KeySnapshot key : snapshot.keys()) {
      session.check(key);
    }
    session.finish(snapshot);
    return sink.count;
  }

  /** Counts the findings it is handed, by status. */
  static final class CountingSink implements FindingSink {
    final long[] byStatus = new long[Status.values().length];
    long count;

    @Override
    @SuppressWarnings("EnumOrdinal") // a counter per status, the cheapest sink there is
    public void accept(Finding finding) {
      byStatus[finding.status().ordinal()]++;
      count++;
    }
  }

  static AccountSnapshot snapshot(int n, Random random, boolean uniquePolicies) {
    List<KeySnapshot> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(key(i, random, uniquePolicies));
    }
    TrailSnapshot trail =
        new TrailSnapshot(
            "management-events",
            "us-east-1",
            true,
            false,
            true,
            List.of(new TrailSnapshot.EventSelector("All", true, List.of())),
            List.of());
    return new AccountSnapshot(
        AccountSnapshot.SCHEMA_VERSION,
        ACCOUNT,
        "aws",
        List.of("us-east-1", "us-west-2"),
        NOW,
        list,
        List.of(),
        List.of(trail),
        List.of(),
        null);
  }

  static KeySnapshot key(int i, Random random, boolean uniquePolicies) {
    String id = String.format("%08x-0000-4000-8000-%012x", i, (long) i * 7919L);
    String region = i % 5 == 0 ? "us-west-2" : "us-east-1";
    int kind = random.nextInt(100);
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
        new KeyMetadata(
            manager,
            spec,
            usage,
            origin,
            null,
            state,
            created,
            state.equals("PendingDeletion") ? NOW.plus(Duration.ofDays(12)) : null,
            state.equals("PendingDeletion") ? 30 : null,
            random.nextInt(10) == 0 ? "" : "data key for service " + (i % 40),
            mrk,
            expirationModel,
            validTo);
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
                        new KeyGrant(
                            "grant-" + i,
                            null,
                            "arn:aws:iam::" + ACCOUNT + ":role/ebs-attach",
                            null,
                            ACCOUNT,
                            List.of("Decrypt", "CreateGrant"),
                            Map.of(),
                            Map.of(),
                            created))
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
  // a
  // snapshot is read from JSON. From templates, the application role is one of 50; when unique,
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

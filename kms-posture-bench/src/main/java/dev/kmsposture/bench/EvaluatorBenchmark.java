package dev.kmsposture.bench;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.KeyPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decisions per second of {@link KeyAccessEvaluator} on one thread: 20 realistic key policies (5 to
 * 15 statements each, most with conditions) and 10,000 requests spread over them. One operation is
 * one decision. Run with {@code -prof gc} for the allocation per decision.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class EvaluatorBenchmark {
  static final int POLICIES = 20;
  static final int REQUESTS = 10_000;
  static final String ACCOUNT = "111122223333";
  static final String PARTNER = "444455556666";

  private KeyAccessEvaluator[] evaluators;
  private AccessRequest[] requests;
  private int[] target;

  /** Builds the corpus with a fixed seed. */
  @Setup
  public void setUp() {
    Random random = new Random(42);
    evaluators = new KeyAccessEvaluator[POLICIES];
    for (int i = 0; i < POLICIES; i++) {
      String keyArn = keyArn(i);
      evaluators[i] =
          KeyAccessEvaluator.builder().keyPolicy(KeyPolicy.parse(policy(i))).keyArn(keyArn).build();
    }
    List<String> principals =
        List.of(
            "arn:aws:iam::" + ACCOUNT + ":root",
            "arn:aws:iam::" + ACCOUNT + ":role/KeyAdmin",
            "arn:aws:sts::" + ACCOUNT + ":assumed-role/KeyAdmin/alice",
            "arn:aws:sts::" + ACCOUNT + ":assumed-role/App0/i-0abc",
            "arn:aws:sts::" + ACCOUNT + ":assumed-role/App3/i-0def",
            "arn:aws:iam::" + ACCOUNT + ":user/ci",
            "arn:aws:iam::" + PARTNER + ":role/Partner",
            "arn:aws:sts::" + PARTNER + ":assumed-role/Partner/job",
            "logs.us-east-1.amazonaws.com",
            "arn:aws:iam::999988887777:role/Stranger");
    List<String> actions =
        List.of(
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:DescribeKey",
            "kms:CreateGrant",
            "kms:PutKeyPolicy",
            "kms:ScheduleKeyDeletion",
            "kms:ReEncryptFrom");
    List<String> services =
        List.of(
            "s3.us-east-1.amazonaws.com",
            "ec2.us-east-1.amazonaws.com",
            "rds.us-east-1.amazonaws.com");
    requests = new AccessRequest[REQUESTS];
    target = new int[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      int p = random.nextInt(POLICIES);
      String principal = principals.get(random.nextInt(principals.size()));
      AccessRequest.Builder b =
          AccessRequest.builder()
              .principal(principal)
              .action(actions.get(random.nextInt(actions.size())))
              .resource(keyArn(p));
      if (random.nextInt(3) > 0) {
        b.putContext("kms:ViaService", services.get(random.nextInt(services.size())));
      }
      if (random.nextBoolean()) {
        b.putContext(
            "kms:EncryptionContext:aws:logs:arn",
            "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:app" + random.nextInt(3));
      }
      if (random.nextInt(4) == 0) {
        b.putContext("aws:SourceIp", "10.0." + random.nextInt(4) + "." + random.nextInt(250));
      }
      if (random.nextInt(5) == 0) {
        b.putContext("kms:GrantIsForAWSResource", random.nextBoolean() ? "true" : "false");
      }
      b.putContext("aws:PrincipalIsAWSService", principal.startsWith("arn:") ? "false" : "true");
      b.putContext("aws:PrincipalOrgID", random.nextInt(4) == 0 ? "o-other" : "o-abc123");
      requests[i] = b.build();
      target[i] = p;
    }
  }

  static String keyArn(int i) {
    return "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/0000000" + i + "-1111-2222-3333-444455556666";
  }

  /** The i-th policy: a default-style admin/use policy with 5 to 15 statements. */
  static String policy(int i) {
    List<String> s = new ArrayList<>();
    s.add(stmt("EnableRoot", "Allow", aws("arn:aws:iam::" + ACCOUNT + ":root"), "\"kms:*\"", ""));
    s.add(
        stmt(
            "KeyAdministrators",
            "Allow",
            aws("arn:aws:iam::" + ACCOUNT + ":role/KeyAdmin"),
            "[\"kms:Create*\", \"kms:Describe*\", \"kms:Enable*\", \"kms:List*\", \"kms:Put*\","
                + " \"kms:Update*\", \"kms:Revoke*\", \"kms:Disable*\", \"kms:Get*\", \"kms:Delete*\","
                + " \"kms:TagResource\", \"kms:UntagResource\", \"kms:ScheduleKeyDeletion\","
                + " \"kms:CancelKeyDeletion\"]",
            ""));
    s.add(
        stmt(
            "KeyUsers",
            "Allow",
            aws("arn:aws:iam::" + ACCOUNT + ":role/App" + (i % 5)),
            "[\"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\","
                + " \"kms:DescribeKey\"]",
            "{\"StringEquals\": {\"kms:ViaService\": [\"s3.us-east-1.amazonaws.com\","
                + " \"rds.us-east-1.amazonaws.com\"], \"kms:CallerAccount\": \""
                + ACCOUNT
                + "\"}}"));
    s.add(
        stmt(
            "GrantsForAwsResources",
            "Allow",
            aws("arn:aws:iam::" + ACCOUNT + ":role/App" + (i % 5)),
            "[\"kms:CreateGrant\", \"kms:ListGrants\", \"kms:RevokeGrant\"]",
            "{\"Bool\": {\"kms:GrantIsForAWSResource\": true}}"));
    s.add(
        stmt(
            "DenyOutsideOrg",
            "Deny",
            "\"*\"",
            "\"kms:*\"",
            "{\"StringNotEquals\": {\"aws:PrincipalOrgID\": \"o-abc123\"}, \"Bool\":"
                + " {\"aws:PrincipalIsAWSService\": \"false\"}}"));
    int extra = i % 11;
    for (int k = 0; k < extra; k++) {
      switch (k % 5) {
        case 0 -> {
          s.add(
              stmt(
                  "Logs" + k,
                  "Allow",
                  "{\"Service\": \"logs.us-east-1.amazonaws.com\"}",
                  "[\"kms:Encrypt*\", \"kms:Decrypt*\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\","
                      + " \"kms:Describe*\"]",
                  "{\"ArnLike\": {\"kms:EncryptionContext:aws:logs:arn\": \"arn:aws:logs:us-east-1:"
                      + ACCOUNT
                      + ":log-group:app"
                      + k
                      + "\"}}"));
        }
        case 1 -> {
          s.add(
              stmt(
                  "Partner" + k,
                  "Allow",
                  aws("arn:aws:iam::" + PARTNER + ":root"),
                  "[\"kms:Decrypt\", \"kms:DescribeKey\"]",
                  "{\"StringEqualsIfExists\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}"));
        }
        case 2 -> {
          s.add(
              stmt(
                  "DenyDeletionOutsideVpn" + k,
                  "Deny",
                  "\"*\"",
                  "[\"kms:ScheduleKeyDeletion\", \"kms:DisableKey\"]",
                  "{\"NotIpAddress\": {\"aws:SourceIp\": [\"10.0.0.0/16\", \"2001:db8::/32\"]}}"));
        }
        case 3 -> {
          s.add(
              stmt(
                  "CiEncrypt" + k,
                  "Allow",
                  aws("arn:aws:iam::" + ACCOUNT + ":user/ci"),
                  "[\"kms:Encrypt\", \"kms:GenerateDataKey\"]",
                  "{\"StringLike\": {\"kms:ViaService\": \"*.us-east-1.amazonaws.com\"},"
                      + " \"ForAllValues:StringEquals\": {\"kms:EncryptionContextKeys\":"
                      + " [\"app\", \"env\"]}}"));
        }
        default -> {
          s.add(
              stmt(
                  "Auditors" + k,
                  "Allow",
                  aws("arn:aws:iam::" + ACCOUNT + ":role/Auditor"),
                  "[\"kms:Describe*\", \"kms:Get*\", \"kms:List*\"]",
                  "{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::"
                      + ACCOUNT
                      + ":role/*\"}}"));
        }
      }
    }
    return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", s) + "]}";
  }

  static String aws(String arn) {
    return "{\"AWS\": \"" + arn + "\"}";
  }

  static String stmt(String sid, String effect, String principal, String actions, String cond) {
    return "{\"Sid\": \""
        + sid
        + "\", \"Effect\": \""
        + effect
        + "\", \"Principal\": "
        + principal
        + ", \"Action\": "
        + actions
        + ", \"Resource\": \"*\""
        + (cond.isEmpty() ? "" : ", \"Condition\": " + cond)
        + "}";
  }

  /** Evaluates all 10,000 requests; one operation is one decision. */
  @Benchmark
  @OperationsPerInvocation(REQUESTS)
  public void evaluate(Blackhole bh) {
    KeyAccessEvaluator[] e = evaluators;
    AccessRequest[] r = requests;
    int[] t = target;
    for (int i = 0; i < r.length; i++) {
      Decision d = e[t[i]].evaluate(r[i]);
      bh.consume(d);
    }
  }

  /** Evaluates all 10,000 requests and formats each explanation, as the command line does. */
  @Benchmark
  @OperationsPerInvocation(REQUESTS)
  public void evaluateWithExplanation(Blackhole bh) {
    KeyAccessEvaluator[] e = evaluators;
    AccessRequest[] r = requests;
    int[] t = target;
    for (int i = 0; i < r.length; i++) {
      bh.consume(e[t[i]].evaluate(r[i]).explanation());
    }
  }
}

package dev.kmsposture.bench;

import dev.kmsposture.leastprivilege.AwsService;
import dev.kmsposture.leastprivilege.KeyPolicyPresets;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.prover.PolicyProver;
import dev.kmsposture.prover.ProofResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Time to prove one key policy with {@link PolicyProver}: the three questions {@code analyze
 * --prove} asks of every policy (public access, access from outside the account, lockout). Each
 * invocation proves the next policy of the corpus, so {@link Mode#SampleTime}'s percentiles are the
 * per-policy figures: {@code p0.50} the median, {@code p1.00} the worst.
 *
 * <ul>
 *   <li>{@code realistic}: the 20 policies of {@link EvaluatorBenchmark} (5 to 15 statements, an
 *       organization guard, service and partner statements) and the production and AWS default
 *       presets;
 *   <li>{@code adversarial}: 40 generated policies of 6 to 10 statements built to be hard: partial
 *       wildcards, {@code NotPrincipal}, {@code NotAction}, {@code NotResource}, conditional Denies
 *       on the principal's ARN, account and organization, ARN and string wildcards, IP ranges,
 *       numbers, dates and {@code ForAnyValue:}/{@code ForAllValues:} sets.
 * </ul>
 *
 * <p>Run: {@code java -jar kms-posture-bench/target/benchmarks.jar ProverBenchmark} (the prover and
 * Z3 are in {@code target/prover-lib/}, which the jar's manifest names).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 20)
public class ProverBenchmark {
  static final String ACCOUNT = EvaluatorBenchmark.ACCOUNT;
  static final String KEY = EvaluatorBenchmark.keyArn(0);

  private final PolicyProver prover = PolicyProver.create();
  private KeyPolicy[] realistic;
  private KeyPolicy[] adversarial;
  private int nextRealistic;
  private int nextAdversarial;

  /** Builds both corpora with a fixed seed. */
  @Setup(Level.Trial)
  public void setUp() {
    List<KeyPolicy> r = new ArrayList<>();
    for (int i = 0; i < EvaluatorBenchmark.POLICIES; i++) {
      r.add(KeyPolicy.parse(EvaluatorBenchmark.policy(i)));
    }
    AccountId account = AccountId.of(ACCOUNT);
    r.add(KeyPolicyPresets.awsDefault(account).policy());
    r.add(
        KeyPolicyPresets.productionData(
                account,
                "arn:aws:iam::" + ACCOUNT + ":role/App",
                List.of(AwsService.S3, AwsService.RDS),
                List.of("us-east-1", "eu-west-1"),
                "arn:aws:iam::" + ACCOUNT + ":role/Backup",
                "arn:aws:iam::" + ACCOUNT + ":role/Audit",
                "arn:aws:iam::" + ACCOUNT + ":role/SecurityAdmin")
            .policy());
    realistic = r.toArray(new KeyPolicy[0]);
    Random random = new Random(7);
    adversarial = new KeyPolicy[40];
    for (int i = 0; i < adversarial.length; i++) {
      adversarial[i] = adversarialPolicy(random);
    }
  }

  /** Proves the next realistic policy. */
  @Benchmark
  public void realistic(Blackhole bh) {
    prove(realistic[nextRealistic++ % realistic.length], bh);
  }

  /** Proves the next adversarial policy. */
  @Benchmark
  public void adversarial(Blackhole bh) {
    prove(adversarial[nextAdversarial++ % adversarial.length], bh);
  }

  private void prove(KeyPolicy policy, Blackhole bh) {
    ProofResult pub = prover.publicAccess(policy, KEY);
    ProofResult outside = prover.externalAccess(policy, KEY);
    ProofResult lockout = prover.accountCanPutKeyPolicy(policy, KEY);
    bh.consume(pub.kind());
    bh.consume(outside.kind());
    bh.consume(lockout.kind());
  }

  // ---- the adversarial corpus
  // --------------------------------------------------------------------

  private static final String[] PRINCIPALS = {
    "\"*\"",
    "{\"AWS\": \"arn:aws:iam::" + ACCOUNT + ":root\"}",
    "{\"AWS\": \"" + ACCOUNT + "\"}",
    "{\"AWS\": \"arn:aws:iam::" + ACCOUNT + ":role/Key*\"}",
    "{\"AWS\": \"arn:aws:iam::*:root\"}",
    "{\"AWS\": \"arn:aws:iam::*:role/*Deploy?\"}",
    "{\"AWS\": [\"arn:aws:iam::"
        + ACCOUNT
        + ":role/KeyAdmin\", \"arn:aws:iam::444455556666:root\"]}",
    "{\"AWS\": \"arn:aws:sts::" + ACCOUNT + ":assumed-role/KeyAdmin/*\"}",
    "{\"Service\": \"*.amazonaws.com\"}"
  };

  private static final String[] ACTIONS = {
    "\"Action\": \"kms:*\"",
    "\"Action\": [\"kms:Put*\", \"kms:Schedule*\"]",
    "\"Action\": \"kms:Decrypt\"",
    "\"NotAction\": [\"kms:Decrypt\", \"kms:Encrypt\"]",
    "\"Action\": \"kms:*Key*\""
  };

  private static final String[] RESOURCES = {
    "\"Resource\": \"*\"",
    "\"Resource\": \"arn:aws:kms:*:" + ACCOUNT + ":key/*\"",
    "\"NotResource\": \"arn:aws:kms:us-east-1:" + ACCOUNT + ":key/other\"",
    "\"Resource\": \"" + KEY + "\""
  };

  private static final String[] CONDITIONS = {
    "\"ArnNotLike\": {\"aws:PrincipalArn\": [\"arn:aws:iam::*:role/Break*\","
        + " \"arn:aws:iam::"
        + ACCOUNT
        + ":role/*Admin\"]}",
    "\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/*-prod-?\"}",
    "\"StringNotEquals\": {\"aws:PrincipalAccount\": [\"" + ACCOUNT + "\", \"444455556666\"]}",
    "\"StringNotLike\": {\"aws:PrincipalOrgID\": \"o-a1b2*\"}",
    "\"StringLike\": {\"kms:ViaService\": [\"s3.*.amazonaws.com\", \"rds.*.amazonaws.com\"]}",
    "\"StringEqualsIgnoreCase\": {\"aws:PrincipalTag/team\": \"Platform\"}",
    "\"IpAddress\": {\"aws:SourceIp\": [\"10.0.0.0/8\", \"2001:db8::/32\"]}",
    "\"NotIpAddress\": {\"aws:SourceIp\": \"10.1.0.0/16\"}",
    "\"NumericLessThan\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\": \"30\"}",
    "\"DateGreaterThan\": {\"aws:CurrentTime\": \"2025-01-01T00:00:00Z\"}",
    "\"ForAnyValue:StringLike\": {\"kms:EncryptionContextKeys\": [\"tenant*\", \"app?\"]}",
    "\"ForAllValues:StringEquals\": {\"kms:EncryptionContextKeys\": [\"tenant\", \"purpose\"]}",
    "\"Bool\": {\"aws:SecureTransport\": \"false\"}",
    "\"Null\": {\"aws:PrincipalOrgID\": \"true\"}"
  };

  private static String pick(String[] xs, Random random) {
    return xs[random.nextInt(xs.length)];
  }

  static KeyPolicy adversarialPolicy(Random random) {
    List<String> statements = new ArrayList<>();
    int n = 6 + random.nextInt(5);
    for (int i = 0; i < n; i++) {
      boolean deny = random.nextInt(5) < 2;
      String who =
          random.nextInt(6) == 0
              ? "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::" + ACCOUNT + ":role/KeyAdmin\"}"
              : "\"Principal\": " + pick(PRINCIPALS, random);
      List<String> conditions = new ArrayList<>();
      int c = random.nextInt(4);
      for (int k = 0; k < c; k++) {
        String cond = pick(CONDITIONS, random);
        String op = cond.substring(0, cond.indexOf(':'));
        if (conditions.stream().noneMatch(x -> x.startsWith(op))) {
          conditions.add(cond);
        }
      }
      statements.add(
          "{\"Sid\": \"S"
              + i
              + "\", \"Effect\": \""
              + (deny ? "Deny" : "Allow")
              + "\", "
              + who
              + ", "
              + pick(ACTIONS, random)
              + ", "
              + pick(RESOURCES, random)
              + (conditions.isEmpty()
                  ? ""
                  : ", \"Condition\": {" + String.join(", ", conditions) + "}")
              + "}");
    }
    return KeyPolicy.parse(
        "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}");
  }
}

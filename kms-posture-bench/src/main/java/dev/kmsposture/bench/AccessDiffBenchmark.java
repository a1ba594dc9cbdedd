package dev.kmsposture.bench;

import dev.kmsposture.access.AccessDiff;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.util.List;
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
 * {@link AccessDiff#between} on the largest policy pairs found, one diff per operation, single shot
 * (a diff is seconds): the case that ran past 120 seconds and 6 GB before the enumeration was
 * bounded, and the cases that hit each limit of the bound.
 *
 * <ul>
 *   <li>{@code 8k-26k}: valid policies of about 8 KB and 26 KB: 13 and 37 statements naming 6 and 8
 *       principals each (roles, users, sessions, account roots, partial wildcards, NotPrincipal), 3
 *       condition keys of 4 and 5 values (strings, wildcards, numbers, IP ranges, ARNs,
 *       multi-valued), 1 to 3 action patterns each;
 *   <li>{@code distinct-actions}: as {@code 8k-26k} but every statement names other actions, so few
 *       actions can be decided together (the most evaluations per request);
 *   <li>{@code many-accounts}: two 32 KB policies naming about 3,000 account ids, beyond the
 *       request bound (coverage {@code TRUNCATED});
 *   <li>{@code everyone}: a policy opened to {@code "*"} for {@code kms:*}: every request changes
 *       (the most changes kept and counted).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class AccessDiffBenchmark {
  static final AccountId ACCOUNT = AccountId.of("111122223333");

  /** Which pair of policies. */
  @Param({"8k-26k", "distinct-actions", "many-accounts", "everyone"})
  public String pair;

  private KeyPolicy before;
  private KeyPolicy after;

  /** Generates the pair with fixed seeds. */
  @Setup
  public void setUp() {
    switch (pair) {
      case "8k-26k" -> {
        before = KeyPolicy.parse(DiffPolicies.text(13, 6, 3, 4, false, false, 1));
        after = KeyPolicy.parse(DiffPolicies.text(37, 8, 3, 5, false, false, 2));
      }
      case "distinct-actions" -> {
        before = KeyPolicy.parse(DiffPolicies.text(13, 6, 3, 4, false, true, 1));
        after = KeyPolicy.parse(DiffPolicies.text(37, 8, 3, 5, false, true, 2));
      }
      case "many-accounts" -> {
        before = KeyPolicy.parse(DiffPolicies.text(200, 24, 2, 4, true, false, 1));
        after = KeyPolicy.parse(DiffPolicies.text(200, 24, 2, 4, true, false, 2));
      }
      case "everyone" -> {
        before = KeyPolicy.parse(DiffPolicies.text(13, 6, 3, 4, false, false, 1));
        String open =
            "{\"Sid\":\"Everyone\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
                + "\"kms:*\",\"Resource\":\"*\"}";
        String text = DiffPolicies.text(13, 6, 3, 4, false, false, 1);
        after = KeyPolicy.parse(text.substring(0, text.length() - 2) + "," + open + "]}");
      }
      default -> throw new IllegalArgumentException("unknown pair [" + pair + "]");
    }
  }

  /** Compares the two policies. */
  @Benchmark
  public AccessDiff diff() {
    return AccessDiff.between(before, after, ACCOUNT);
  }

  /** Key policies that grow along every axis an access diff enumerates. */
  static final class DiffPolicies {
    private static final List<String> ACTIONS =
        List.of(
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey*",
            "kms:Describe*",
            "kms:ReEncrypt*",
            "kms:*Grant*",
            "kms:Sign",
            "kms:Get*",
            "kms:PutKeyPolicy",
            "kms:ScheduleKeyDeletion",
            "kms:TagResource",
            "kms:*",
            "kms:List*",
            "kms:GenerateMac",
            "kms:DeriveSharedSecret");
    private static final List<String> SINGLE_ACTIONS =
        List.of(
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyPair",
            "kms:DescribeKey",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:CreateGrant",
            "kms:ListGrants",
            "kms:RevokeGrant",
            "kms:RetireGrant",
            "kms:Sign",
            "kms:Verify",
            "kms:GetPublicKey",
            "kms:GetKeyPolicy",
            "kms:PutKeyPolicy",
            "kms:ScheduleKeyDeletion",
            "kms:CancelKeyDeletion",
            "kms:TagResource",
            "kms:UntagResource",
            "kms:EnableKeyRotation",
            "kms:DisableKeyRotation",
            "kms:GetKeyRotationStatus",
            "kms:GenerateMac",
            "kms:VerifyMac",
            "kms:DeriveSharedSecret",
            "kms:DisableKey",
            "kms:EnableKey",
            "kms:ListResourceTags",
            "kms:UpdateKeyDescription");

    private DiffPolicies() {}

    static String text(
        int statements,
        int principals,
        int keys,
        int values,
        boolean manyAccounts,
        boolean distinctActions,
        long seed) {
      Random r = new Random(seed);
      StringBuilder sb =
          new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[")
              .append("{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":")
              .append(
                  "\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
      for (int i = 0; i < statements; i++) {
        String s = statement(i, principals, keys, values, manyAccounts, distinctActions, r);
        if (sb.length() + s.length() + 3 > KeyPolicy.MAX_BYTES) {
          break;
        }
        sb.append(',').append(s);
      }
      return sb.append("]}").toString();
    }

    private static String statement(
        int i,
        int principals,
        int keys,
        int values,
        boolean manyAccounts,
        boolean distinctActions,
        Random r) {
      boolean deny = r.nextInt(4) == 0;
      boolean notPrincipal = deny && r.nextInt(3) == 0;
      StringBuilder sb = new StringBuilder("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"");
      sb.append(deny ? "Deny" : "Allow").append("\",");
      sb.append(notPrincipal ? "\"NotPrincipal\"" : "\"Principal\"").append(":{\"AWS\":[");
      for (int p = 0; p < principals; p++) {
        sb.append(p > 0 ? "," : "").append('"').append(principal(manyAccounts, r)).append('"');
      }
      sb.append("]},\"Action\":[");
      List<String> pool = distinctActions ? SINGLE_ACTIONS : ACTIONS;
      int actions = 1 + r.nextInt(3);
      for (int a = 0; a < actions; a++) {
        sb.append(a > 0 ? "," : "")
            .append('"')
            .append(pool.get(r.nextInt(pool.size())))
            .append('"');
      }
      sb.append("],\"Resource\":\"*\"");
      if (keys > 0) {
        sb.append(",\"Condition\":{");
        String[] ops = {
          "StringEquals", "StringLike", "ForAnyValue:StringEquals", "NumericLessThan"
        };
        for (int k = 0; k < Math.min(keys, ops.length); k++) {
          String op = ops[(i + k) % ops.length];
          String key = op.startsWith("Numeric") ? "kms:ctx:n" + k : "kms:EncryptionContext:k" + k;
          sb.append(k > 0 ? "," : "").append('"').append(op).append("\":{\"").append(key);
          sb.append("\":[");
          for (int v = 0; v < values; v++) {
            sb.append(v > 0 ? "," : "").append('"');
            sb.append(
                op.startsWith("Numeric")
                    ? Integer.toString(r.nextInt(1000))
                    : "v" + r.nextInt(1000) + (op.equals("StringLike") ? "*" : ""));
            sb.append('"');
          }
          sb.append("]}");
        }
        sb.append('}');
      }
      return sb.append('}').toString();
    }

    private static String principal(boolean manyAccounts, Random r) {
      String account =
          String.format("%012d", 200_000_000_000L + r.nextInt(manyAccounts ? 5000 : 12));
      if (manyAccounts) {
        return account;
      }
      return switch (r.nextInt(6)) {
        case 0 -> account;
        case 1 -> "arn:aws:iam::" + account + ":role/app-" + r.nextInt(500);
        case 2 -> "arn:aws:iam::" + account + ":user/u" + r.nextInt(500);
        case 3 -> "arn:aws:sts::" + account + ":assumed-role/app-" + r.nextInt(50) + "/s1";
        case 4 -> "arn:aws:iam::*:role/team-" + r.nextInt(20);
        default -> "arn:aws:iam::" + account + ":root";
      };
    }
  }
}

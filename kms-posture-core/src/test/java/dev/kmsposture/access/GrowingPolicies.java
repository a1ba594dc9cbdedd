package dev.kmsposture.access;

import dev.kmsposture.policy.KeyPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Key policies that grow along every axis an access diff enumerates: statements, principals per
 * statement (ARNs, account ids, sessions, partial wildcards, {@code *}, service principals),
 * NotPrincipal, action patterns with wildcards, condition keys and values (string, wildcard,
 * numeric, IP range, Boolean, multi-valued, on principal and account keys). Deterministic for a
 * seed, and always within KMS's 32 KB policy size: statements stop being added when the next would
 * not fit.
 */
final class GrowingPolicies {
  static final String KEY_ACCOUNT = "111122223333";

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

  private GrowingPolicies() {}

  /** What one generated pair of policies is made of. */
  record Shape(int statements, int principals, int keys, int values, boolean manyAccounts) {}

  /**
   * Returns a policy of (up to) {@code shape.statements()} statements besides the account root's,
   * generated from {@code seed}.
   */
  static KeyPolicy policy(Shape shape, long seed) {
    return KeyPolicy.parse(text(shape, seed));
  }

  /** Returns the text of {@link #policy(Shape, long)}: compact JSON, as a user writes it. */
  static String text(Shape shape, long seed) {
    Random r = new Random(seed);
    StringBuilder sb =
        new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[")
            .append("{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::")
            .append(KEY_ACCOUNT)
            .append(":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    for (int i = 0; i < shape.statements(); i++) {
      String statement = statement(shape, i, r);
      if (sb.length() + statement.length() + 3 > KeyPolicy.MAX_BYTES) {
        break;
      }
      sb.append(',').append(statement);
    }
    return sb.append("]}").toString();
  }

  private static String statement(Shape shape, int i, Random r) {
    boolean deny = r.nextInt(4) == 0;
    boolean notPrincipal = deny && r.nextInt(3) == 0;
    StringBuilder sb = new StringBuilder("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"");
    sb.append(deny ? "Deny" : "Allow").append("\",");
    sb.append(notPrincipal ? "\"NotPrincipal\"" : "\"Principal\"");
    if (!notPrincipal && r.nextInt(12) == 0) {
      sb.append(":\"*\"");
    } else {
      sb.append(":{\"AWS\":[");
      for (int p = 0; p < shape.principals(); p++) {
        if (p > 0) {
          sb.append(',');
        }
        sb.append('"').append(principal(shape, r)).append('"');
      }
      sb.append("]}");
    }
    sb.append(",\"Action\":[");
    int actions = 1 + r.nextInt(3);
    for (int a = 0; a < actions; a++) {
      if (a > 0) {
        sb.append(',');
      }
      sb.append('"').append(ACTIONS.get(r.nextInt(ACTIONS.size()))).append('"');
    }
    sb.append("],\"Resource\":\"*\"");
    if (shape.keys() > 0) {
      // One block per operator, each key once: a JSON object may not repeat a member.
      Map<String, StringBuilder> blocks = new LinkedHashMap<>();
      for (int k = 0; k < shape.keys(); k++) {
        condition(blocks, shape, i, k, r);
      }
      sb.append(",\"Condition\":{");
      boolean first = true;
      for (Map.Entry<String, StringBuilder> b : blocks.entrySet()) {
        sb.append(first ? "" : ",").append('"').append(b.getKey()).append("\":{");
        sb.append(b.getValue()).append('}');
        first = false;
      }
      sb.append('}');
    }
    return sb.append('}').toString();
  }

  private static String account(Shape shape, Random r) {
    int accounts = shape.manyAccounts() ? 5000 : 12;
    return String.format("%012d", 200_000_000_000L + r.nextInt(accounts));
  }

  private static String principal(Shape shape, Random r) {
    String account = account(shape, r);
    return switch (shape.manyAccounts() ? 0 : r.nextInt(7)) {
      case 0 -> account;
      case 1 -> "arn:aws:iam::" + account + ":role/app-" + r.nextInt(500);
      case 2 -> "arn:aws:iam::" + account + ":user/u" + r.nextInt(500);
      case 3 -> "arn:aws:sts::" + account + ":assumed-role/app-" + r.nextInt(50) + "/s1";
      case 4 -> "arn:aws:iam::*:role/team-" + r.nextInt(20);
      case 5 -> "arn:aws:iam::" + account + ":role/path/" + r.nextInt(50) + "/*";
      default -> "arn:aws:iam::" + account + ":root";
    };
  }

  // One key of a condition; the first eight cycle through every kind of sample, later ones are
  // string keys of their own.
  private static void condition(
      Map<String, StringBuilder> blocks, Shape shape, int statement, int k, Random r) {
    int kind = k < 8 ? (statement + k) % 8 : k % 3;
    String op =
        switch (kind) {
          case 0 -> "StringEquals";
          case 1 -> "StringLike";
          case 2 -> "ForAnyValue:StringEquals";
          case 3 -> "NumericLessThan";
          case 4 -> "IpAddress";
          case 5 -> "Bool";
          case 6 -> "ArnLike";
          default -> "StringNotEquals";
        };
    String key =
        switch (kind) {
          case 3 -> "kms:RecipientAttestation:Pcr" + k;
          case 4 -> "aws:SourceIp";
          case 5 -> "kms:GrantIsForAWSResource";
          case 6 -> "aws:PrincipalArn";
          case 7 -> "kms:CallerAccount";
          default -> "kms:EncryptionContext:k" + k;
        };
    StringBuilder block = blocks.computeIfAbsent(op, o -> new StringBuilder());
    if (block.indexOf('"' + key + '"') >= 0) {
      return;
    }
    block.append(block.length() == 0 ? "" : ",").append('"').append(key).append("\":[");
    int values = kind == 5 ? 1 : shape.values();
    for (int v = 0; v < values; v++) {
      if (v > 0) {
        block.append(',');
      }
      block.append('"').append(value(shape, kind, r)).append('"');
    }
    block.append(']');
  }

  private static String value(Shape shape, int kind, Random r) {
    return switch (kind) {
      case 1 -> "tenant-" + r.nextInt(100) + "-*";
      case 3 -> Integer.toString(r.nextInt(1000));
      case 4 -> "10." + r.nextInt(256) + "." + r.nextInt(256) + ".0/" + (16 + r.nextInt(9));
      case 5 -> "true";
      case 6 -> "arn:aws:iam::" + account(shape, r) + ":role/ci-*";
      case 7 -> account(shape, r);
      default -> "v" + r.nextInt(1000);
    };
  }
}

package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.Generators.pick;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionKey;
import dev.kmsposture.policy.ConditionOperator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Generates a statement's {@code Condition} block as a list of conditions with distinct (operator,
 * key) pairs: every operator family (String, Numeric, Date, Bool, Binary, IpAddress, Arn, Null),
 * the {@code IfExists} suffix, and the {@code ForAnyValue:}/{@code ForAllValues:} qualifiers on
 * multi-valued keys, with values from the key's account, its partners and strangers.
 *
 * <p>The edge cases are the empty block, a single {@code StringEquals kms:CallerAccount}, and the
 * largest block: one condition of every family; each only when {@link #maxConditions(int)} allows
 * its size.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">IAM
 *     condition operators</a>
 * @since 0.1.0
 */
@CheckReturnValue
public final class ConditionBlockGenerator implements Generator<List<Condition>> {

  /** An operator family with the keys and values it is written with. */
  private record Family(
      String name, List<String> operators, List<String> keys, List<String> values, int kind) {}

  private static final int STRING = 0;
  private static final int MULTI = 1;
  private static final int BOOL = 2;

  private final Settings settings;
  private final int maxConditions;

  ConditionBlockGenerator(Settings settings, int maxConditions) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.maxConditions = maxConditions;
  }

  /**
   * Returns a generator whose account conditions name {@code account}.
   *
   * @param account the key's account
   * @return the configured generator
   */
  public ConditionBlockGenerator forAccount(AccountId account) {
    return new ConditionBlockGenerator(settings.withAccount(account), maxConditions);
  }

  /**
   * Returns a generator of blocks with at most {@code max} conditions.
   *
   * @param max the most conditions in one block
   * @return the configured generator
   * @throws IllegalArgumentException if {@code max} is negative
   */
  public ConditionBlockGenerator maxConditions(int max) {
    if (max < 0) {
      throw new IllegalArgumentException(
          String.format("maximum conditions [%d] is negative; expected 0 or more", max));
    }
    return new ConditionBlockGenerator(settings, max);
  }

  private List<Family> families() {
    String account = settings.account().value();
    String other = Vocabulary.OTHER_ACCOUNTS.get(0).value();
    return List.of(
        new Family(
            "String",
            List.of(
                "StringEquals",
                "StringNotEquals",
                "StringEqualsIgnoreCase",
                "StringNotEqualsIgnoreCase",
                "StringLike",
                "StringNotLike"),
            List.of(
                "kms:CallerAccount",
                "aws:PrincipalAccount",
                "kms:ViaService",
                "aws:PrincipalOrgID",
                "kms:EncryptionContext:app",
                "aws:SourceVpce",
                "aws:PrincipalTag/team"),
            List.of(
                account,
                other,
                "s3." + settings.region() + ".amazonaws.com",
                "ec2." + settings.region() + ".amazonaws.com",
                "o-a1b2c3d4e5",
                "demo",
                "vpce-1a2b3c4d",
                "security",
                "*"),
            STRING),
        new Family(
            "String (multi-valued)",
            List.of("StringEquals", "StringLike", "StringNotEquals"),
            List.of("kms:EncryptionContextKeys", "aws:PrincipalOrgPaths", "kms:GrantOperations"),
            List.of("app", "tenant", "o-a1b2c3d4e5/r-ab12/*", "Decrypt", "Encrypt"),
            MULTI),
        new Family(
            "Numeric",
            List.of(
                "NumericEquals",
                "NumericNotEquals",
                "NumericLessThan",
                "NumericLessThanEquals",
                "NumericGreaterThan",
                "NumericGreaterThanEquals"),
            List.of(
                "kms:ScheduleKeyDeletionPendingWindowInDays",
                "kms:RotationPeriodInDays",
                "aws:MultiFactorAuthAge"),
            List.of("7", "30", "365", "3600"),
            STRING),
        new Family(
            "Date",
            List.of(
                "DateEquals",
                "DateNotEquals",
                "DateLessThan",
                "DateLessThanEquals",
                "DateGreaterThan",
                "DateGreaterThanEquals"),
            List.of("aws:CurrentTime", "aws:TokenIssueTime"),
            List.of("2026-01-01T00:00:00Z", "2030-12-31T23:59:59Z"),
            STRING),
        new Family(
            "Bool",
            List.of("Bool"),
            List.of(
                "kms:GrantIsForAWSResource",
                "aws:SecureTransport",
                "aws:ViaAWSService",
                "kms:BypassPolicyLockoutSafetyCheck"),
            List.of(),
            BOOL),
        new Family(
            "Binary",
            List.of("BinaryEquals"),
            List.of("aws:RequestTag/blob"),
            List.of("QmluYXJ5VmFsdWU="),
            STRING),
        new Family(
            "IpAddress",
            List.of("IpAddress", "NotIpAddress"),
            List.of("aws:SourceIp"),
            List.of("10.0.0.0/8", "203.0.113.0/24", "2001:db8::/32"),
            STRING),
        new Family(
            "Arn",
            List.of("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"),
            List.of("aws:PrincipalArn", "aws:SourceArn"),
            List.of(
                settings.iam(account, "role/KeyAdmin"),
                settings.iam(account, "role/*"),
                settings.iam("*", "role/App"),
                "arn:" + settings.partition() + ":s3:::app-bucket"),
            STRING),
        new Family(
            "Null",
            List.of("Null"),
            List.of("kms:ViaService", "aws:SourceVpce", "kms:EncryptionContext:app"),
            List.of(),
            BOOL));
  }

  @Override
  public List<Condition> generate(RandomGenerator random, int size) {
    int n = Generators.length(random, size, 0, maxConditions);
    List<Family> families = families();
    List<Condition> out = new ArrayList<>(n);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Condition c = condition(pick(random, families), random);
      if (seen.add(c.operator().name() + " " + c.key().normalized())) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /** One condition of {@code family}: an operator, maybe qualified or IfExists, a key, values. */
  private static Condition condition(Family family, RandomGenerator random) {
    String operator = pick(random, family.operators());
    ConditionKey key = ConditionKey.of(pick(random, family.keys()));
    if (family.kind() == MULTI) {
      operator = (random.nextBoolean() ? "ForAnyValue:" : "ForAllValues:") + operator;
    }
    if (!operator.equals("Null") && random.nextInt(4) == 0) {
      operator = operator + "IfExists";
    }
    ConditionOperator op = ConditionOperator.of(operator);
    if (family.kind() == BOOL) {
      return Condition.of(op, key, random.nextInt(3) != 0);
    }
    int count = 1 + random.nextInt(Math.min(3, family.values().size()));
    List<String> values = new ArrayList<>(family.values());
    List<String> chosen = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      chosen.add(values.remove(random.nextInt(values.size())));
    }
    return Condition.of(op, key, chosen.toArray(new String[0]));
  }

  @Override
  public List<List<Condition>> edgeCases() {
    List<List<Condition>> out = new ArrayList<>();
    out.add(List.of());
    // Each edge case keeps to the maximum, as the random blocks do.
    if (maxConditions >= 1) {
      out.add(
          List.of(
              Condition.of(
                  ConditionOperator.STRING_EQUALS,
                  ConditionKey.of("kms:CallerAccount"),
                  settings.account().value())));
    }
    if (maxConditions >= families().size()) {
      List<Condition> every = new ArrayList<>();
      for (Family f : families()) {
        String op = f.operators().get(0);
        if (f.kind() == MULTI) {
          op = "ForAnyValue:" + op;
        }
        every.add(
            f.kind() == BOOL
                ? Condition.of(ConditionOperator.of(op), ConditionKey.of(f.keys().get(0)), true)
                : Condition.of(
                    ConditionOperator.of(op), ConditionKey.of(f.keys().get(0)), f.values().get(0)));
      }
      out.add(List.copyOf(every));
    }
    return out;
  }
}

package dev.kmsposture.testkit.kms;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import java.util.Objects;

/**
 * Who makes a request to the embedded KMS: the account the request counts against and the principal
 * that signed it.
 *
 * <p>By default every access key acts as the root user of {@link #DEFAULT_ACCOUNT} (the usual
 * emulator default); a test maps access keys to other callers with {@code
 * LocalKms.Builder.caller(accessKeyId, caller)}.
 *
 * @param account the caller's account
 * @param principalArn the calling principal, such as {@code arn:aws:iam::111122223333:root} or
 *     {@code arn:aws:iam::111122223333:role/App} (an assumed-role session ARN is also accepted)
 */
public record Caller(AccountId account, String principalArn) {
  /** The account every access key acts in unless a test maps it elsewhere: {@code 123456789012}. */
  public static final AccountId DEFAULT_ACCOUNT = AccountId.of("123456789012");

  /**
   * Validates the caller.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code principalArn} is not an IAM or STS ARN of {@code
   *     account}
   */
  public Caller {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(principalArn, "principalArn");
    Arn arn =
        Arn.tryParse(principalArn)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        String.format(
                            "principal [%s] is not an ARN; expected arn:aws:iam::<account>:root,"
                                + " :role/<name>, :user/<name> or an sts assumed-role ARN",
                            principalArn)));
    if (!arn.service().equals("iam") && !arn.service().equals("sts")) {
      throw new IllegalArgumentException(
          String.format(
              "principal [%s] is not an IAM or STS principal; callers are IAM roles, users, the"
                  + " account root or assumed-role sessions",
              principalArn));
    }
    if (!arn.account().equals(account.value())) {
      throw new IllegalArgumentException(
          String.format(
              "principal [%s] is not in account [%s]; a caller's principal belongs to its account",
              principalArn, account));
    }
  }

  /**
   * Returns the root user of {@code account}.
   *
   * @throws NullPointerException if {@code account} is null
   */
  public static Caller root(AccountId account) {
    return new Caller(account, account.rootArn());
  }

  /**
   * Returns a caller that acts as {@code principalArn}, in the account the ARN names.
   *
   * @throws IllegalArgumentException if the text is not an IAM or STS principal ARN
   */
  public static Caller of(String principalArn) {
    Objects.requireNonNull(principalArn, "principalArn");
    Arn arn =
        Arn.tryParse(principalArn)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        String.format("principal [%s] is not an ARN", principalArn)));
    return new Caller(AccountId.of(arn.account()), principalArn);
  }
}
